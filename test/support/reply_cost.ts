/**
 * What one reply costs llama.cpp, counted from a tokenizer: tokens written
 * and decode steps (one `llama_decode` batch each), in the form replies had
 * before issue 14 (JSON, every token sampled) and in the line form the
 * embedded backend generates now.
 *
 * - JSON form: `{"command": "…", "explanation": "…"}` (the spacing of the old
 *   prompt's examples), every token sampled, then one step that samples the
 *   end of the turn.
 * - Line form: the first line (`command\n`) sampled; the forced `#` evaluated
 *   in the same batch as the newline (no step of its own); ` explanation`
 *   sampled; then the end of the turn. Command only (`CMDAI_EXPLAIN=0`): the
 *   reply stops at the newline, with no end-of-turn step.
 *
 * Each stretch is tokenized on its own, as the backend evaluates it.
 *
 * @module
 */

import { type Reply, replyText } from "../../src/answer/reply.ts";
import { replyParts } from "./gguf_scripted.ts";

/** Tokens in a text (no special tokens). */
export type CountTokens = (text: string) => number;

/** A reply's cost. */
export interface ReplyCost {
  /** Tokens the reply adds to the context (sampled and forced). */
  tokens: number;
  /** Tokens sampled. */
  sampled: number;
  /** Decode steps: `llama_decode` batches from the prompt's last token to the reply's end. */
  steps: number;
}

/** The reply as JSON, as the old prompt's examples spelled it. */
export function jsonReply(reply: Reply, explain = true): string {
  const command = `"command": ${JSON.stringify(reply.command)}`;
  return explain
    ? `{${command}, "explanation": ${JSON.stringify(reply.explanation ?? "")}}`
    : `{${command}}`;
}

/** The cost of the reply in the JSON form (before issue 14). */
export function jsonCost(reply: Reply, count: CountTokens, explain = true): ReplyCost {
  const tokens = count(jsonReply(reply, explain));
  return { tokens, sampled: tokens, steps: tokens + 1 };
}

/** The cost of the reply in the line form, as the embedded backend generates it. */
export function lineCost(reply: Reply, count: CountTokens, explain = true): ReplyCost {
  if (!explain) {
    const first = count(`${reply.command}\n`);
    return { tokens: first, sampled: first, steps: first };
  }
  const { first, forced, rest } = replyParts(replyText(reply));
  const sampled = count(first) + count(rest);
  return { tokens: sampled + count(forced), sampled, steps: sampled + 1 };
}
