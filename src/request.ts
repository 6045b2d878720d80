/**
 * One request, end to end once a model is loaded: context → prompt → backend
 * → reply schema → safety. Printing and placing on the line happen elsewhere.
 *
 * @module
 */

import type { Backend } from "./backend.ts";
import { gatherContext, type Shell } from "./context.ts";
import { CmdaiError, ExitCode } from "./errors.ts";
import { buildPrompt } from "./prompt.ts";
import { parseReply } from "./reply.ts";
import type { Rater, Rating } from "./safety/mod.ts";

/** The reply is cut off after this many tokens; a real command is far shorter. */
export const MAX_REPLY_TOKENS = 256;

/** A validated, rated command. */
export interface Answer {
  command: string;
  explanation?: string;
  /** The command's rating. */
  rating: Rating;
  /** The request's own rating, kept apart from the command's. */
  requestRating: Rating;
  shell: Shell;
  generateMs: number;
}

/** Asks the loaded model for a command and rates it (and the request). */
export async function answerRequest(
  request: string,
  shell: Shell,
  backend: Backend,
  rater: Rater,
  signal?: AbortSignal,
): Promise<Answer> {
  const prompt = buildPrompt(request, gatherContext(shell));
  const started = performance.now();
  const generation = await backend.generate(prompt, { maxTokens: MAX_REPLY_TOKENS, signal });
  const generateMs = performance.now() - started;
  if (generation.cutOff) {
    throw new CmdaiError(
      ExitCode.inference,
      `the model's reply was cut off at ${MAX_REPLY_TOKENS} tokens; try a simpler request`,
    );
  }
  const reply = parseReply(generation.text);
  return {
    command: reply.command,
    explanation: reply.explanation,
    rating: rater.rate(reply.command),
    requestRating: rater.rateRequest(request),
    shell,
    generateMs,
  };
}
