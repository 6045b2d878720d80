/**
 * `cmdai [flags] request`: finds the model, loads it with the safety rater,
 * answers the request and prints it as text, JSON or the widget's new line.
 *
 * @module
 */

import type { RequestArgs } from "./cli.ts";
import { inferenceThreads } from "./cpus.ts";
import { CmdaiError, ExitCode } from "./errors.ts";
import { toLine } from "./line.ts";
import type { Env } from "./env.ts";
import { requireModelFile, resolveModel } from "./model.ts";
import { formatHuman, formatJson, makeStyle, utf8Locale } from "./output.ts";
import { decide, policyFromEnv } from "./policy.ts";
import { answerRequest } from "./request.ts";
import { exists } from "./fs.ts";

/** Default request timeout; `CMDAI_TIMEOUT` (seconds) changes it. */
const DEFAULT_TIMEOUT_S = 30;

/** Where the command's text goes: injectable for tests. */
export interface RequestIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stdin and stderr are a terminal: a person is there to watch a download. */
  interactive: boolean;
  colour: boolean;
}

function timeoutSeconds(env: Env): number {
  const raw = env.get("CMDAI_TIMEOUT");
  if (raw === undefined || raw === "") return DEFAULT_TIMEOUT_S;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new CmdaiError(
      ExitCode.usage,
      `CMDAI_TIMEOUT must be a positive number of seconds, not "${raw}"`,
    );
  }
  return n;
}

/**
 * The model file for this request. A missing hub model is downloaded only for
 * a person at a terminal; the widget and scripts are told to pull it.
 */
async function modelFile(
  args: RequestArgs,
  io: RequestIO,
  interrupt: AbortSignal,
  env: Env,
): Promise<string> {
  const model = resolveModel({ flag: args.model, env });
  if (model.kind === "hf" && !args.widget && io.interactive && !(await exists(model.cachedPath))) {
    const { processIO, pullWithProgress } = await import("./model_command.ts");
    await pullWithProgress(model, {
      env,
      dest: model.cachedPath,
      io: { ...processIO(), signal: interrupt },
    });
  }
  return await requireModelFile(model);
}

/** Runs one request; returns the exit code. */
export async function runRequest(
  args: RequestArgs,
  io: RequestIO,
  interrupt: AbortSignal,
  env: Env = Deno.env,
): Promise<number> {
  const started = performance.now();
  const policy = policyFromEnv(env);
  const timeoutS = timeoutSeconds(env);
  const threads = inferenceThreads(env);
  const path = await modelFile(args, io, interrupt, env);

  const timeout = AbortSignal.timeout(timeoutS * 1000);
  const signal = AbortSignal.any([interrupt, timeout]);
  try {
    const [{ loadModel }, { createRater }] = await Promise.all([
      import("./backend.ts"),
      import("./safety/mod.ts"),
    ]);
    const loadStarted = performance.now();
    const [backend, rater] = await Promise.all([
      loadModel(path, { threads, signal }),
      createRater(),
    ]);
    const loadMs = performance.now() - loadStarted;
    const answer = await answerRequest(args.request, args.shell, backend, rater, signal);
    const decision = decide(policy, answer.rating.risk);
    const timings = {
      load_ms: loadMs,
      generate_ms: answer.generateMs,
      total_ms: performance.now() - started,
    };
    if (args.widget) {
      const out = toLine(answer, decision, utf8Locale(env));
      if (out.line !== undefined) io.stdout(out.line + "\n");
      if (out.message) io.stderr(out.message + "\n");
      return out.code;
    }
    io.stdout(
      (args.json
        ? formatJson(answer, path, timings)
        : formatHuman(answer, decision, makeStyle(io.colour))) + "\n",
    );
    return ExitCode.ok;
  } catch (e) {
    if (interrupt.aborted) throw new CmdaiError(ExitCode.interrupted, "interrupted");
    if (timeout.aborted) {
      throw new CmdaiError(
        ExitCode.inference,
        `no reply within ${timeoutS} s (CMDAI_TIMEOUT sets the limit)`,
      );
    }
    throw e;
  }
}
