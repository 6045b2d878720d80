/**
 * `cmdai [flags] request`: finds the model, loads it with the safety rater,
 * answers the request and prints it as text, JSON or the widget's new line.
 *
 * @module
 */

import { type Ask, readLine } from "../answer/ask.ts";
import type { Backend, LoadOptions } from "../backends/backend.ts";
import type { RequestArgs } from "../cli.ts";
import type { IO } from "../io.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import { toLine, widgetStdout } from "../answer/line.ts";
import type { Env } from "../env.ts";
import { requireModelFile, resolveModel } from "../models/spec.ts";
import { formatHuman, formatJson, makeStyle, utf8Locale } from "../answer/output.ts";
import { decide, policyFromEnv } from "../answer/policy.ts";
import { answerRequest } from "../answer/answer.ts";
import { exists } from "../fs.ts";
import { setting } from "../settings.ts";
import { recallOffer, rememberOffer } from "../answer/offers.ts";
import { runtimeDir } from "../runtime_dir.ts";
import { checkSettings, withBackend } from "../backends/open.ts";

/**
 * The model file for this request. A missing hub model is downloaded only for
 * a person at a terminal; the widget and scripts are told to pull it.
 */
export async function modelFile(
  args: RequestArgs,
  io: IO,
  env: Env,
  cwd?: string,
): Promise<string> {
  const model = resolveModel({ flag: args.model, env, cwd });
  if (model.kind === "hf" && !args.widget && io.interactive && !(await exists(model.cachedPath))) {
    const { pullWithProgress } = await import("./model.ts");
    await pullWithProgress(model, {
      env,
      dest: model.cachedPath,
      io,
    });
  }
  return await requireModelFile(model);
}

/** What this invocation asks, and where the widget's shell session keeps its last offer. */
interface Asking {
  ask: Ask;
  /** The line is the command last placed there: this is a request for another one. */
  again: boolean;
  /** The runtime directory, when offers are remembered (widget with a session). */
  dir?: string;
}

/**
 * Reads the request: another command for a line the widget placed and the
 * user left unchanged, else what the line asks. Undefined when Enter was
 * pressed on a line that asks nothing (the shell runs it).
 */
async function asking(args: RequestArgs, env: Env): Promise<Asking | undefined> {
  // Without a private directory there is no memory of offers; the request itself still works.
  const dir = args.widget && args.session
    ? await runtimeDir(env).catch(() => undefined)
    : undefined;
  const previous = dir && args.session
    ? await recallOffer(dir, args.session, args.request)
    : undefined;
  if (previous) return args.enter ? undefined : { ask: previous, again: true, dir };
  const reading = await readLine(args.request, args.enter ? "enter" : "key");
  if (reading.kind === "command") return undefined;
  if (!reading.ask.request) {
    throw new CmdaiError(
      ExitCode.usage,
      "nothing to ask: type a request (for example: # list the biggest files)",
    );
  }
  return { ask: reading.ask, again: false, dir };
}

/**
 * What a request runs on: in a process of its own, a model loaded for it; in
 * the resident server, the warm one, and the client's directory.
 */
export interface RequestRuntime {
  /** The directory the request was made in, for the prompt (default: this process's). */
  cwd?: string;
  /** The loaded model at `path` (default: loaded now, for this request alone). */
  backend?(path: string, options: LoadOptions): Promise<Backend>;
}

/** Runs one request; returns the exit code. */
export async function runRequest(
  args: RequestArgs,
  io: IO,
  env: Env = Deno.env,
  runtime: RequestRuntime = {},
): Promise<number> {
  const started = performance.now();
  const policy = policyFromEnv(env);
  const maxTokens = setting(env, "maxTokens");
  const { kind, remote } = await checkSettings(env);
  if (remote && args.model) {
    throw new CmdaiError(
      ExitCode.usage,
      `--model picks a GGUF file for the embedded backend; the ${kind} backend takes --remote-model`,
    );
  }
  const asked = await asking(args, env);
  if (!asked) return ExitCode.passThrough;
  const path = remote ? undefined : await modelFile(args, io, env, runtime.cwd);
  const { createRater } = await import("../safety/mod.ts");
  const load = { modelPath: path, load: runtime.backend };
  return await withBackend(
    env,
    io.signal,
    load,
    createRater(),
    async (backend, rater, signal, loadMs) => {
      const answer = await answerRequest(
        asked.ask,
        args.shell,
        backend,
        rater,
        signal,
        runtime.cwd,
        { maxTokens, explain: setting(env, "explain") },
      );
      const decision = decide(policy, answer.rating.risk);
      const timings = {
        load_ms: loadMs,
        generate_ms: answer.generateMs,
        total_ms: performance.now() - started,
      };
      if (args.widget) {
        // Up brings back what was typed; another command for the same request adds nothing.
        const out = toLine(answer, decision, asked.again ? "" : args.request, utf8Locale(env));
        if (out.line !== undefined && asked.dir && args.session) {
          const offered = [...(asked.ask.offered ?? []), answer.command];
          await rememberOffer(asked.dir, args.session, out.line, { ...asked.ask, offered })
            .catch(() => {});
        }
        io.stdout(widgetStdout(out));
        if (out.message) io.stderr(out.message + "\n");
        return out.code;
      }
      io.stdout(
        (args.json
          ? formatJson(answer, backend, timings)
          : formatHuman(answer, decision, makeStyle(io.colour))) + "\n",
      );
      return ExitCode.ok;
    },
  );
}
