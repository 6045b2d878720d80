// The grounding figures on requests the shipped index has not seen: the held-out seventh of
// NL2Bash dev in test/fixtures/nl2bash_dev_sample.tsv (see LICENSE-nl2bash.md there). The floors
// sit a little under what the index reaches (README, "Grounding in the tldr pages"), so a change
// that makes grounding worse fails here; rebuilding the index may move them.

import { fileURLToPath } from "node:url";
import { assert } from "./support/assert.ts";
import { loadQwen2Vocab } from "./support/vocab_qwen2.ts";
import { bpeTokenize } from "./support/vocab_bpe.ts";
import { readDataset } from "../src/eval/dataset.ts";
import { loadBashParser } from "../src/syntax/bash_parser.ts";
import { ground } from "../src/grounding/mod.ts";
import { TUNING } from "../src/grounding/select.ts";
import { goldUtilities } from "./eval/grounding/build.ts";
import { figures } from "./eval/grounding/measure.ts";

const SAMPLE = fileURLToPath(new URL("./fixtures/nl2bash_dev_sample.tsv", import.meta.url));

/** Floors: a little under the shipped index's figures on the sample (0.842 and 0.604). */
const FLOOR = { first: 0.8, all: 0.57 };
/** The budget: p95 at most 120 Qwen2 tokens, the goal's 600 characters. */
const MAX_TOKENS = 120, MAX_CHARS = 600;

Deno.test("grounding on held-out NL2Bash dev requests: figures above their floors", async () => {
  const parser = await loadBashParser();
  const { bpe } = await loadQwen2Vocab();
  const requests = (await readDataset(SAMPLE)).requests;
  assert(requests.length >= 90, `the sample has ${requests.length} requests`);
  const outcomes = requests.map((r) => ({
    examples: ground(r.nl, { os: "linux" }),
    golds: r.golds.map((g) => goldUtilities(parser, g)),
  }));
  const f = figures(outcomes, (text) => bpeTokenize(bpe, text).length);
  const got = JSON.stringify(f);
  assert(f.first >= FLOOR.first, `first utility ${f.first} < ${FLOOR.first}: ${got}`);
  assert(f.all >= FLOOR.all, `all utilities ${f.all} < ${FLOOR.all}: ${got}`);
  assert(f.p95Tokens! <= MAX_TOKENS, `p95 tokens ${f.p95Tokens} > ${MAX_TOKENS}: ${got}`);
  assert(f.p95Chars <= Math.min(MAX_CHARS, TUNING.maxChars), `p95 chars: ${got}`);
});
