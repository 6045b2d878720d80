/**
 * Which utilities a request needs, as probabilities: a classifier over the request's terms
 * (trained on the tldr descriptions and NL2Bash dev requests) proposes candidates, and a small
 * logistic regression weighs each candidate's evidence: the classifier's probability, whether
 * the request names the utility, how common the utility is, and whether it tends to come with
 * the first choice (`find … | xargs …`).
 *
 * @module
 */

import type { GroundingIndex, RerankWeights } from "./index.ts";
import { requestText, terms } from "./text.ts";

/** The index with the lookups a query needs, built once per index. */
export interface Model {
  index: GroundingIndex;
  /** Utility name → its number. */
  ids: Map<string, number>;
  /** Utilities whose names are everyday words (`sort`, `find`, `date`). */
  common: Set<number>;
  /** Utility → the pages that document it. */
  pagesOf: Map<number, number[]>;
  /** Page → its examples' description terms, filled in as pages are first looked at. */
  exampleTerms: Map<number, string[][]>;
}

/** A candidate utility and the probability that the request's command uses it. */
export interface Scored {
  utility: number;
  probability: number;
}

/** The features of a candidate, in {@link FEATURES} order. */
export type Features = number[];

/** Feature names, in the order of {@link Features} (the reranker's weights use the same). */
export const FEATURES = [
  "classifier",
  "named",
  "namedCommon",
  "prior",
  "companion",
] as const satisfies readonly (keyof RerankWeights)[];

/** Classifier log probabilities below this are treated as this (no evidence). */
const FLOOR = -10;

/** How many of the classifier's best labels become candidates. */
const CANDIDATES = 12;

/** Words in a request that name the shell or the task itself, never the utility wanted. */
const META = new Set(
  "bash sh zsh fish shell command commands script scripts linux unix terminal console line"
    .split(" "),
);

/** Builds the lookups of `index`. */
export function modelOf(index: GroundingIndex): Model {
  const ids = new Map<string, number>();
  index.utilities.forEach((u, i) => ids.set(u, i));
  const pagesOf = new Map<number, number[]>();
  index.pages.forEach((p, i) => {
    const list = pagesOf.get(p.utility);
    if (list) list.push(i);
    else pagesOf.set(p.utility, [i]);
  });
  return { index, ids, common: new Set(index.common), pagesOf, exampleTerms: new Map() };
}

/** The classifier's log probability for each label, given the request's terms. */
export function classify(index: GroundingIndex, requestTerms: readonly string[]): Float64Array {
  const z = new Float64Array(index.labels);
  for (let c = 0; c < z.length; c++) z[c] = index.bias[c] / 64;
  for (const t of new Set(requestTerms)) {
    if (!Object.hasOwn(index.terms, t)) continue;
    const pairs = index.terms[t];
    for (let i = 0; i < pairs.length; i += 2) z[pairs[i]] += pairs[i + 1] / 64;
  }
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (const v of z) sum += Math.exp(v - max);
  const log = max + Math.log(sum);
  for (let c = 0; c < z.length; c++) z[c] -= log;
  return z;
}

/** Utilities the request names outright (`rsync`, `md5sum`), by number. */
export function namedUtilities(model: Model, text: string): Set<number> {
  const out = new Set<number>();
  for (const w of text.toLowerCase().match(/[a-z0-9][a-z0-9_+.-]*/g) ?? []) {
    const word = w.replace(/[.]+$/, "");
    if (META.has(word)) continue;
    const id = model.ids.get(word);
    if (id !== undefined) out.add(id);
  }
  return out;
}

/**
 * The candidates for a request and their features (for scoring, and for fitting the weights);
 * none when the request has no word the classifier knows and names no utility.
 */
export function candidates(model: Model, request: string): { utility: number; x: Features }[] {
  const text = requestText(request);
  const known = terms(text).filter((t) => Object.hasOwn(model.index.terms, t));
  const named = namedUtilities(model, text);
  if (known.length === 0 && named.size === 0) return [];
  const logp = classify(model.index, known);
  const order = [...logp.keys()].sort((a, b) => logp[b] - logp[a]);
  const first = order[0];
  const pool = new Set([...order.slice(0, CANDIDATES), ...named]);
  const companions = new Map<number, number>();
  const pairs = model.index.companions[String(first)] ?? [];
  for (let i = 0; i < pairs.length; i += 2) companions.set(pairs[i], pairs[i + 1] / 100);
  return [...pool].map((u) => {
    const isNamed = named.has(u);
    return {
      utility: u,
      x: [
        u < logp.length ? Math.max(FLOOR, logp[u]) : FLOOR,
        isNamed && !model.common.has(u) ? 1 : 0,
        isNamed && model.common.has(u) ? 1 : 0,
        Math.log1p(model.index.prior[u] ?? 0),
        u === first ? 0 : companions.get(u) ?? 0,
      ],
    };
  });
}

/** The probability that a command uses a candidate with features `x`, under `weights`. */
export function probability(weights: RerankWeights, x: Features): number {
  let z = weights.bias;
  FEATURES.forEach((f, i) => z += weights[f] * x[i]);
  return 1 / (1 + Math.exp(-z));
}

/** Candidate utilities of `request`, most probable first. */
export function scoreUtilities(model: Model, request: string): Scored[] {
  return candidates(model, request)
    .map(({ utility, x }) => ({ utility, probability: probability(model.index.rerank, x) }))
    .sort((a, b) => b.probability - a.probability);
}
