/**
 * The grounding figures for a set of requests: how often the gold command's first utility is
 * among the utilities of the examples added, how often all of its utilities are (with several
 * golds, the best one counts), how often nothing is added, and how long the added block is.
 *
 * @module
 */

import { formatGrounding, type Grounding } from "../../../src/grounding/mod.ts";

/** One request's outcome. */
export interface Outcome {
  examples: Grounding[];
  /** Per gold command, its utilities. */
  golds: string[][];
}

/** The figures over a set of outcomes. */
export interface Figures {
  requests: number;
  /** Share whose gold's first utility is covered (abstentions count as misses). */
  first: number;
  /** Share whose gold's utilities are all covered. */
  all: number;
  /** Share with nothing added. */
  abstain: number;
  /** Share of added examples that run at least one of the gold's utilities. */
  precision: number;
  /** Examples added per request, on average. */
  examples: number;
  /** 95th percentile of the block's characters (abstentions count as 0). */
  p95Chars: number;
  /** 95th percentile of the block's tokens, when a tokenizer is given. */
  p95Tokens?: number;
}

/** Whether the examples cover the first utility / all utilities of some gold command. */
export function covers(o: Outcome): { first: boolean; all: boolean } {
  const covered = new Set(o.examples.flatMap((e) => e.utilities));
  const golds = o.golds.filter((g) => g.length > 0);
  return {
    first: golds.some((g) => covered.has(g[0])),
    all: golds.some((g) => g.every((u) => covered.has(u))),
  };
}

/** The 95th percentile of `values` (nearest rank). */
export function p95(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1];
}

/** Figures of `outcomes`; `tokens` counts the tokens of a text (the model's tokenizer). */
export function figures(outcomes: readonly Outcome[], tokens?: (text: string) => number): Figures {
  let first = 0, all = 0, abstain = 0, shown = 0, relevant = 0;
  const chars: number[] = [], toks: number[] = [];
  for (const o of outcomes) {
    const c = covers(o);
    if (c.first) first++;
    if (c.all) all++;
    if (o.examples.length === 0) abstain++;
    const gold = new Set(o.golds.flat());
    for (const e of o.examples) {
      shown++;
      if (e.utilities.some((u) => gold.has(u))) relevant++;
    }
    const block = formatGrounding(o.examples);
    chars.push(block.length);
    if (tokens) toks.push(block ? tokens(block) : 0);
  }
  const n = outcomes.length || 1;
  return {
    requests: outcomes.length,
    first: first / n,
    all: all / n,
    abstain: abstain / n,
    precision: shown ? relevant / shown : 0,
    examples: shown / n,
    p95Chars: p95(chars),
    ...(tokens ? { p95Tokens: p95(toks) } : {}),
  };
}

/** One table row of figures (Markdown). */
export function figuresRow(name: string, f: Figures): string {
  const pct = (v: number) => v.toFixed(3);
  return `| ${name} | ${f.requests} | ${pct(f.first)} | ${pct(f.all)} | ${pct(f.abstain)} | ` +
    `${pct(f.precision)} | ${f.examples.toFixed(1)} | ${f.p95Chars} | ${f.p95Tokens ?? "–"} |`;
}

/** The header of {@link figuresRow}'s table. */
export const FIGURES_HEADER = "| set | requests | first utility | all utilities | abstain | " +
  "precision | examples | p95 chars | p95 tokens |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|";
