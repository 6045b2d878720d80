/**
 * Output tokens and decode steps per reply, the JSON form before issue 14 against the line form
 * now (see `test/support/reply_cost.ts` for how each is counted), with the real Qwen2 tokenizer
 * (llama.cpp's, from its vocab file): on the prompt's own example replies and on a sample of the
 * tldr pairs (the explanation is the tldr description, the command its example).
 *
 *   deno task bench:steps [TLDR_TSV] [--count 200]
 *
 * TLDR_TSV: description TAB command TAB page (default: `../shared/data/nl2sh/
 * tldr_pairs_filled.tsv` beside the repository, skipped when there is none). The sample is every
 * k-th row, k = rows ÷ count.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { gatherContext, SHELLS } from "../../src/answer/context.ts";
import { buildPrompt } from "../../src/answer/prompt.ts";
import { parseReply, type Reply } from "../../src/answer/reply.ts";
import { exists } from "../../src/fs.ts";
import { type CountTokens, jsonCost, lineCost, type ReplyCost } from "../support/reply_cost.ts";
import { qwen2VocabFile } from "../support/vocab_qwen2.ts";

/** The goal: decode steps per reply at most this share of the JSON form's. */
export const STEPS_GOAL = 0.7;

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: { count: { type: "string", default: "200" } },
  allowPositionals: true,
});
const DEFAULT_TSV = fileURLToPath(
  new URL("../../../shared/data/nl2sh/tldr_pairs_filled.tsv", import.meta.url),
);
const tsv = positionals[0] ?? (await exists(DEFAULT_TSV) ? DEFAULT_TSV : undefined);
const count = Number(values.count);
if (!Number.isInteger(count) || count < 1) throw new Error(`--count: not a count: ${values.count}`);

/** The distinct example replies of every shell's and userland's prompt. */
function exampleReplies(): Reply[] {
  const texts = new Set<string>();
  for (const shell of SHELLS) {
    for (const os of ["linux", "darwin"]) {
      for (const turn of buildPrompt({ request: "x" }, gatherContext(shell, os, "/")).turns) {
        texts.add(turn.reply);
      }
    }
  }
  return [...texts].map((t) => parseReply(t));
}

/** Every k-th pair of the tldr file whose command and explanation make a valid reply. */
async function tldrReplies(path: string, n: number): Promise<Reply[]> {
  const rows = (await Deno.readTextFile(path)).split("\n").filter((l) => l.trim())
    .map((l) => l.split("\t"));
  const k = Math.max(1, Math.floor(rows.length / n));
  const out: Reply[] = [];
  for (let i = 0; i < rows.length && out.length < n; i += k) {
    const [nl, cmd] = rows[i];
    try {
      out.push(parseReply(`${cmd.trim()}\n# ${nl.trim()}`));
    } catch { /* a row that is no one-line command (none in the tldr pairs so far) */ }
  }
  return out;
}

const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
const llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.disabled });
const vocab = await llama.loadModel({ modelPath: await qwen2VocabFile(), vocabOnly: true });
const tokens: CountTokens = (text) => vocab.tokenize(text).length;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number) => +x.toFixed(1);

function rows(set: string, replies: Reply[]) {
  return [true, false].map((explain) => {
    const old: ReplyCost[] = replies.map((r) => jsonCost(r, tokens, explain));
    const now: ReplyCost[] = replies.map((r) => lineCost(r, tokens, explain));
    const steps = (cs: ReplyCost[]) => cs.map((c) => c.steps);
    return {
      replies: `${set} (${replies.length})${explain ? "" : ", command only"}`,
      "tokens JSON": round(mean(old.map((c) => c.tokens))),
      "tokens lines": round(mean(now.map((c) => c.tokens))),
      "steps JSON mean": round(mean(steps(old))),
      "steps lines mean": round(mean(steps(now))),
      "steps JSON median": median(steps(old)),
      "steps lines median": median(steps(now)),
      // The ratio of the totals: the decode time saved over the whole set.
      "lines ÷ JSON": +(mean(steps(now)) / mean(steps(old))).toFixed(3),
    };
  });
}

const table = [
  ...rows("prompt's examples", exampleReplies()),
  ...(tsv ? rows("tldr pairs", await tldrReplies(tsv, count)) : []),
];
if (!tsv) console.log(`(no tldr pairs at ${DEFAULT_TSV}: pass their path)`);
console.log(`\nDecode steps per reply (Qwen2 tokenizer; goal: lines ÷ JSON ≤ ${STEPS_GOAL})`);
console.table(table);
await vocab.dispose();
await llama.dispose();
