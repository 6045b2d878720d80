/**
 * Grounding figures (`deno task eval:grounding [SHARED] [--split dev|test|sample] [--tldr DIR]`):
 *
 * - `test`: the shipped index on NL2Bash test (`SHARED/data/nl2sh/nl2bash_test.tsv`), never
 *   used for training or tuning;
 * - `sample`: the shipped index on the committed held-out dev sample (the floor test's data);
 * - a path: the shipped index on that file (NL2Bash or InterCode-ALFA layout);
 * - `dev`: 5-fold cross-validation on NL2Bash dev: each fold is grounded by an index built
 *   without it (needs `--tldr`, a tldr-pages checkout, as `index:grounding` does; minutes).
 *   `--tune` also searches the choice's knobs, within 120 tokens at p95, and prints the best.
 *
 * Prints the figures (first utility, all utilities, abstentions, precision of the added
 * examples, p95 characters and Qwen2 tokens of the block) and, for dev, how they trade against
 * the abstain threshold and the least probability shown. Options: `--show N` prints N requests
 * with what was added (`--misses`: only those whose first utility is missed); `--index FILE`
 * reads another index than the shipped one; `--train key=value,…` and `--inner N` (the
 * reranker's folds) change how dev's folds are built; `--cache DIR` keeps the folds' indices
 * there for the next run (while tuning the choice of examples).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { loadQwen2Vocab } from "../support/vocab_qwen2.ts";
import { bpeTokenize } from "../support/vocab_bpe.ts";
import { type GroundingIndex, readIndex } from "../../src/grounding/index.ts";
import { type Model, modelOf, type Scored, scoreUtilities } from "../../src/grounding/model.ts";
import { chooseExamples, TUNING, type Tuning } from "../../src/grounding/select.ts";
import { formatGrounding } from "../../src/grounding/mod.ts";
import { buildIndex, trainOptions } from "./grounding/build.ts";
import {
  DEFAULT_SHARED,
  type GoldRequest,
  nl2bashPath,
  readRequests,
  readSourcePages,
  trainingRequests,
} from "./grounding/sources.ts";
import { covers, figures, FIGURES_HEADER, figuresRow, type Outcome } from "./grounding/measure.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: {
    split: { type: "string", default: "test" },
    tldr: { type: "string" },
    folds: { type: "string", default: "5" },
    tune: { type: "boolean", default: false },
    show: { type: "string", default: "0" },
    train: { type: "string", default: "" },
    inner: { type: "string", default: "5" },
    index: { type: "string" },
    misses: { type: "boolean", default: false },
    cache: { type: "string" },
  },
  allowPositionals: true,
});
const shared = positionals[0] ?? DEFAULT_SHARED;
const SAMPLE = fileURLToPath(new URL("../fixtures/nl2bash_dev_sample.tsv", import.meta.url));
const INDEX = values.index ?? new URL("../../src/grounding/tldr_index.json", import.meta.url);

/** A request ready to ground: the model that grounds it and its scored utilities. */
interface Case {
  request: GoldRequest;
  model: Model;
  scored: Scored[];
}

/** The budget: at most this many Qwen2 tokens in the block at p95. */
const MAX_TOKENS = 120;

const bpe = (await loadQwen2Vocab()).bpe;
const tokens = (text: string) => bpeTokenize(bpe, text).length;

function outcomes(cases: readonly Case[], tuning: Tuning): Outcome[] {
  return cases.map((c) => ({
    examples: chooseExamples(c.model, c.request.nl, c.scored, { os: "linux" }, tuning),
    golds: c.request.goldUtilities,
  }));
}

/** The training knobs, with `--train key=value,…` overrides (for trying others on dev). */
const TRAIN_OPTIONS = trainOptions(values.train);

/** The index built without dev's `fold`; with `--cache DIR`, kept there and read back. */
async function foldIndex(
  pages: Awaited<ReturnType<typeof readSourcePages>>,
  dev: GoldRequest[],
  fold: number,
  folds: number,
): Promise<GroundingIndex> {
  const file = values.cache && `${values.cache}/fold-${fold}-of-${folds}.json`;
  if (file) {
    try {
      return readIndex(file);
    } catch { /* not built yet */ }
  }
  const train = trainingRequests(dev.filter((_, i) => i % folds !== fold));
  const index = buildIndex(pages, train, {
    train: TRAIN_OPTIONS,
    folds: Number(values.inner),
    notice: "",
  });
  if (file) await Deno.writeTextFile(file, JSON.stringify(index));
  return index;
}

async function crossValidated(): Promise<Case[]> {
  if (!values.tldr) throw new Error("--split dev needs --tldr TLDR_CHECKOUT");
  const folds = Number(values.folds);
  const pages = await readSourcePages(values.tldr);
  const dev = await readRequests(nl2bashPath(shared, "dev"));
  const cases: Case[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const model = modelOf(await foldIndex(pages, dev, fold, folds));
    for (const request of dev.filter((_, i) => i % folds === fold)) {
      cases.push({ request, model, scored: scoreUtilities(model, request.nl) });
    }
    console.error(`fold ${fold + 1}/${folds} done`);
  }
  return cases;
}

async function shipped(path: string): Promise<Case[]> {
  const model = modelOf(readIndex(INDEX));
  return (await readRequests(path)).map((request) => ({
    request,
    model,
    scored: scoreUtilities(model, request.nl),
  }));
}

/** A few values around each knob's default, one knob at a time, then the best combined. */
function tune(cases: readonly Case[]): void {
  const grid: Partial<Record<keyof Tuning, number[]>> = {
    minProbability: [0.03, 0.05, 0.08, 0.12, 0.16],
    maxUtilities: [4, 5, 6, 7, 8],
    maxChars: [400, 430, 460, 490, 520],
    coverWeight: [0, 1, 3, 6],
    strangerCost: [0, 0.5, 1.5, 3],
    lengthCost: [0.04, 0.08, 0.12, 0.16, 0.24, 0.32],
    positionCost: [0, 0.05, 0.1, 0.2],
  };
  // Within the token budget at p95; beyond it a tuning is worth nothing.
  const score = (t: Tuning) => {
    const f = figures(outcomes(cases, t), tokens);
    return f.p95Tokens! <= MAX_TOKENS ? f.first + f.all : 0;
  };
  let best = { ...TUNING };
  let bestScore = score(best);
  for (let round = 0; round < 2; round++) {
    for (const [knob, options] of Object.entries(grid) as [keyof Tuning, number[]][]) {
      for (const v of options) {
        const t = { ...best, [knob]: v };
        const s = score(t);
        if (s > bestScore + 1e-9) [best, bestScore] = [t, s];
      }
    }
  }
  console.log("\nbest tuning on these requests:", JSON.stringify(best));
  console.log(FIGURES_HEADER);
  console.log(figuresRow("tuned", figures(outcomes(cases, best), tokens)));
}

const split = values.split;
const path = split === "sample" ? SAMPLE : split === "test" ? nl2bashPath(shared, "test") : split;
const cases = split === "dev" ? await crossValidated() : await shipped(path);
const name = split === "dev"
  ? `nl2bash dev (${values.folds}-fold CV)`
  : split === "sample" || split === "test"
  ? `nl2bash ${split}`
  : split;
console.log(FIGURES_HEADER);
console.log(figuresRow(name, figures(outcomes(cases, TUNING), tokens)));
if (split === "dev") {
  console.log("\nAbstain threshold (likeliest utility's probability) against the figures:\n");
  console.log(FIGURES_HEADER.replace("| set |", "| threshold |"));
  for (const t of [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5]) {
    const row = figuresRow(String(t), figures(outcomes(cases, { ...TUNING, abstainBelow: t })));
    console.log(row);
  }
  console.log("\nThe least probability a utility needs to be shown, against the figures:\n");
  console.log(FIGURES_HEADER.replace("| set |", "| least probability |"));
  for (const p of [0.03, 0.05, 0.08, 0.12, 0.2, 0.3]) {
    const row = figuresRow(String(p), figures(outcomes(cases, { ...TUNING, minProbability: p })));
    console.log(row);
  }
  if (values.tune) tune(cases);
}
const show = Number(values.show);
const shown = cases.map((c) => ({
  c,
  examples: chooseExamples(c.model, c.request.nl, c.scored, { os: "linux" }),
})).filter(({ c, examples }) =>
  !values.misses || !covers({ examples, golds: c.request.goldUtilities }).first
);
for (const { c, examples } of shown.slice(0, show)) {
  console.log(`\n# ${c.request.nl}\n  gold: ${c.request.golds[0]}`);
  console.log(formatGrounding(examples).replace(/^/gm, "  ") || "  (nothing)");
}
