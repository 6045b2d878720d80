/**
 * One request, end to end once a model is loaded: context → prompt → backend
 * → reply schema → safety. Printing and placing on the line happen elsewhere.
 *
 * @module
 */

import type { Ask } from "./ask.ts";
import type { Backend, Prompt } from "../backends/backend.ts";
import { gatherContext, type Shell } from "./context.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import { buildPrompt } from "./prompt.ts";
import { COMMAND_ONLY_CONTRACT, parseReply, type Reply, REPLY_CONTRACT } from "./reply.ts";
import type { Rater, Rating } from "../safety/mod.ts";

/** The reply is cut off after this many tokens; a real command is far shorter. */
export const MAX_REPLY_TOKENS = 256;

/** What a reply may spend: its token limit, and whether it explains the command. */
export interface Limits {
  maxTokens: number;
  explain: boolean;
}

/** Sampling temperature for the second try when the model repeats an earlier offer. */
const RETRY_TEMPERATURE = 0.8;

/** One generation, checked against the token limit and the reply schema. */
async function generateReply(
  backend: Backend,
  prompt: Prompt,
  temperature: number,
  limits: Limits,
  signal?: AbortSignal,
): Promise<Reply & { tokens: Tokens }> {
  const { maxTokens, explain } = limits;
  const generation = await backend.generate(prompt, {
    maxTokens,
    contract: explain ? REPLY_CONTRACT : COMMAND_ONLY_CONTRACT,
    temperature,
    signal,
  });
  if (generation.cutOff) {
    throw new CmdaiError(
      ExitCode.inference,
      `the model's reply was cut off at ${maxTokens} tokens; try a simpler request`,
    );
  }
  return {
    ...parseReply(generation.text),
    tokens: { prompt: generation.promptTokens, output: generation.outputTokens },
  };
}

/** Tokens a request cost: prompt tokens evaluated (the cached prefix not counted) and generated. */
export interface Tokens {
  prompt: number;
  output: number;
}

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
  tokens: Tokens;
}

/** Asks the loaded model for a command and rates it (and the request). */
export async function answerRequest(
  ask: Ask,
  shell: Shell,
  backend: Backend,
  rater: Rater,
  signal?: AbortSignal,
  cwd?: string,
  limits: Limits = { maxTokens: MAX_REPLY_TOKENS, explain: true },
): Promise<Answer> {
  const prompt = buildPrompt(ask, gatherContext(shell, undefined, cwd));
  const offered = ask.offered ?? [];
  const started = performance.now();
  let reply = await generateReply(backend, prompt, 0, limits, signal);
  const tokens = { ...reply.tokens };
  // Asked for another command, a greedy model may still repeat one: one more try, sampled.
  if (offered.includes(reply.command)) {
    reply = await generateReply(backend, prompt, RETRY_TEMPERATURE, limits, signal);
    tokens.prompt += reply.tokens.prompt;
    tokens.output += reply.tokens.output;
  }
  const generateMs = performance.now() - started;
  if (offered.includes(reply.command)) {
    throw new CmdaiError(
      ExitCode.inference,
      `no different command came back (the model offered ${reply.command} again)`,
    );
  }
  return {
    command: reply.command,
    explanation: reply.explanation,
    rating: await rater.rate(reply.command, shell),
    requestRating: rater.rateRequest(ask.request),
    shell,
    generateMs,
    tokens,
  };
}
