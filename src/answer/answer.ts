/**
 * One request, end to end once a model is loaded: context → prompt → backend
 * → reply → safety. The command is rated the moment its line is whole, and
 * handed to the caller then (the widget puts it on the prompt line while the
 * explanation is still being written, or stops the model there when nobody
 * will read one). Printing and placing happen elsewhere.
 *
 * @module
 */

import { type Aids, gatherAids, installedFor, type Where } from "./aids.ts";
import { type Ask, cleanRequest } from "./ask.ts";
import type { Backend, Prompt } from "../backends/backend.ts";
import { gatherContext, type Shell } from "./context.ts";
import { CmdaiError, ExitCode, failure } from "../errors.ts";
import type { Installed } from "./installed.ts";
import { buildPrompt } from "./prompt.ts";
import { COMMAND_ONLY_CONTRACT, firstLine, parseReply, REPLY_CONTRACT } from "./reply.ts";
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

/** Tokens a request cost: prompt tokens evaluated (the cached prefix not counted) and generated. */
export interface Tokens {
  prompt: number;
  output: number;
  /** Decode steps, where the backend counts them (see `Generation.decodeSteps`). */
  decode_steps?: number;
}

/** A command whose line is whole, rated: what the caller can place before the rest arrives. */
export interface Command {
  command: string;
  /** The command's rating. */
  rating: Rating;
  /** The request's own rating, kept apart from the command's. */
  requestRating: Rating;
  shell: Shell;
  /** The programs it runs that are not found here (not on PATH, no builtin, alias or function). */
  notFound: string[];
}

/** A validated, rated command with its explanation. */
export interface Answer extends Command {
  explanation?: string;
  /** Why there is no explanation although one was asked for (cut off, rejected, timed out). */
  explanationError?: string;
  generateMs: number;
  tokens: Tokens;
}

/**
 * Called once the command is whole and rated; resolves to whether the
 * explanation is still wanted (false: the model stops after the command).
 */
export type OnCommand = (command: Command) => Promise<boolean> | boolean;

/** One generation: the command, handed over as soon as its line is whole, then the rest. */
async function generateReply(
  backend: Backend,
  prompt: Prompt,
  temperature: number,
  limits: Limits,
  signal: AbortSignal | undefined,
  onLine: (command: string) => Promise<"stop" | void>,
): Promise<{ command: string; explanation?: string; error?: string; tokens: Tokens }> {
  let command: string | undefined;
  let stopped = false;
  const generation = await backend.generate(prompt, {
    maxTokens: limits.maxTokens,
    contract: limits.explain ? REPLY_CONTRACT : COMMAND_ONLY_CONTRACT,
    temperature,
    signal,
    async onFirstLine(text) {
      const line = firstLine(text);
      if (line === undefined) return "more";
      command = parseReply(line, false).command;
      const verdict = await onLine(command);
      // Without an explanation to write (a server may write one all the same), the reply ends.
      stopped = verdict === "stop" || !limits.explain;
      return stopped ? "stop" : undefined;
    },
  }).catch((e: unknown) => {
    // Before the command is whole a failure is the request's; after, it costs the explanation.
    if (command === undefined) throw e;
    const why = signal?.aborted
      ? "stopped before it was done"
      : failure(e).line.replace(/^cmdai: /, "");
    return { text: "", cutOff: false, promptTokens: 0, outputTokens: 0, error: why };
  });
  const tokens: Tokens = {
    prompt: generation.promptTokens,
    output: generation.outputTokens,
    ...("decodeSteps" in generation && generation.decodeSteps !== undefined
      ? { decode_steps: generation.decodeSteps }
      : {}),
  };
  if ("error" in generation) return { command: command!, error: generation.error, tokens };
  if (generation.cutOff && command === undefined) {
    throw new CmdaiError(
      ExitCode.inference,
      `the model's reply was cut off at ${limits.maxTokens} tokens; try a simpler request`,
    );
  }
  if (command === undefined) {
    // A backend that cannot hand the first line over early: the whole reply at once.
    const reply = parseReply(generation.text, limits.explain);
    await onLine(reply.command);
    return { ...reply, tokens };
  }
  if (stopped || !limits.explain) return { command, tokens };
  if (generation.cutOff) {
    return { command, error: `the explanation was cut off at ${limits.maxTokens} tokens`, tokens };
  }
  try {
    return { command, explanation: parseReply(generation.text, true).explanation, tokens };
  } catch (e) {
    return { command, error: failure(e).line.replace(/^cmdai: /, ""), tokens };
  }
}

/** What the model is told for an ask, and what can run where it was made. */
export interface Told {
  prompt: Prompt;
  aids: Aids;
  /** Undefined when the request says no PATH: no program is called missing then. */
  installed?: Installed;
}

/**
 * Context → aids → prompt for an ask: what the model would be sent. `remoteUrl`
 * is the server a remote backend asks (recent commands stay on this machine).
 */
export function tellModel(ask: Ask, where: Where, remoteUrl?: string): Told {
  const ctx = gatherContext(where.shell, undefined, where.cwd);
  const installed = installedFor(where, ctx);
  // A revision's command names the utilities as well as its instruction does.
  const text = [ask.command, cleanRequest(ask.request)].filter(Boolean).join(" ");
  const aids = gatherAids(text, ctx, where, installed, remoteUrl);
  return { prompt: buildPrompt(ask, ctx, aids), aids, installed };
}

/**
 * Asks the loaded model for a command and rates it (and the request), and
 * looks up the programs it runs. `onCommand` gets the command as soon as its
 * line is whole and rated.
 */
export async function answerRequest(
  ask: Ask,
  where: Where,
  backend: Backend,
  rater: Rater,
  signal?: AbortSignal,
  limits: Limits = { maxTokens: MAX_REPLY_TOKENS, explain: true },
  onCommand?: OnCommand,
): Promise<Answer> {
  const { shell } = where;
  const { prompt, installed } = tellModel(ask, where, backend.url);
  const offered = ask.offered ?? [];
  const requestRating = rater.rateRequest(ask.request);
  const started = performance.now();
  let rated: Command | undefined;
  // The command is rated, and handed over, once: a repeat of an earlier offer is not.
  const onLine = async (command: string): Promise<"stop" | void> => {
    if (offered.includes(command)) return "stop";
    rated = {
      command,
      rating: await rater.rate(command, shell),
      requestRating,
      shell,
      notFound: installed?.missing(rater.programs(command)) ?? [],
    };
    return (await onCommand?.(rated) ?? true) ? undefined : "stop";
  };
  let reply = await generateReply(backend, prompt, 0, limits, signal, onLine);
  const tokens = { ...reply.tokens };
  // Asked for another command, a greedy model may still repeat one: one more try, sampled.
  if (offered.includes(reply.command)) {
    reply = await generateReply(backend, prompt, RETRY_TEMPERATURE, limits, signal, onLine);
    tokens.prompt += reply.tokens.prompt;
    tokens.output += reply.tokens.output;
    if (tokens.decode_steps !== undefined && reply.tokens.decode_steps !== undefined) {
      tokens.decode_steps += reply.tokens.decode_steps;
    }
  }
  const generateMs = performance.now() - started;
  if (offered.includes(reply.command) || !rated) {
    throw new CmdaiError(
      ExitCode.inference,
      `no different command came back (the model offered ${reply.command} again)`,
    );
  }
  return {
    ...rated,
    explanation: reply.explanation,
    explanationError: reply.error,
    generateMs,
    tokens,
  };
}
