/**
 * One request and one explanation, end to end, as the command line and the
 * resident server both run them: read the line → find the model → context →
 * prompt → backend → reply → safety → what the caller sees (text, JSON, or
 * the widget frame), written through the {@link IO} it is given.
 *
 * Failures are thrown as {@link CmdaiError}s; the caller renders them for its
 * output mode (`report.ts`).
 *
 * @module
 */

import type { ExplainArgs, RequestArgs } from "./args.ts";
import { type Ask, readLine } from "./ask.ts";
import { answerRequest } from "./answer.ts";
import { describeCommand, type Described } from "./describe.ts";
import { explanationMessage, toLine } from "./line.ts";
import { recallOffer, rememberOffer } from "./offers.ts";
import { formatExplained, formatHuman, formatJson, makeStyle, utf8Locale } from "./output.ts";
import { decide, type Decision, policyFromEnv } from "./policy.ts";
import { checkLength } from "./prompt.ts";
import type { Backend, LoadOptions } from "../backends/backend.ts";
import { checkSettings, withBackend } from "../backends/open.ts";
import type { Env } from "../env.ts";
import { CmdaiError, ExitCode, failure } from "../errors.ts";
import type { IO } from "../io.ts";
import { requireModelFile, resolveModel } from "../models/spec.ts";
import { type Frame, laterMessage, widgetFrame } from "../report.ts";
import { ratingFields } from "../safety/report.ts";
import { runtimeDir } from "../runtime_dir.ts";
import type { Rating } from "../safety/mod.ts";
import { setting } from "../settings.ts";
import type { Shell } from "./context.ts";

/**
 * What a request runs on: in a process of its own, a model loaded for it; in
 * the resident server, the warm one, and the client's directory.
 */
export interface Runtime {
  /** The directory the request was made in, for the prompt (default: this process's). */
  cwd?: string;
  /** The loaded model at `path` (default: loaded now, for this request alone). */
  backend?(path: string, options: LoadOptions): Promise<Backend>;
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
  if (args.enter && !setting(env, "commentEnter")) return undefined;
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
  checkLength(reading.ask);
  return { ask: reading.ask, again: false, dir };
}

/** The model file a request on the embedded backend reads, found from `cwd`. */
function modelFile(env: Env, cwd?: string): Promise<string> {
  return requireModelFile(resolveModel({ env, cwd }));
}

/** Rates a command by the rules alone, as every command that shows a rating does. */
async function rate(command: string, shell: Shell): Promise<Rating> {
  const { createRater } = await import("../safety/mod.ts");
  return await (await createRater()).rate(command, shell);
}

/** Runs one request; returns the exit code. */
export async function runRequest(
  args: RequestArgs,
  io: IO,
  env: Env,
  runtime: Runtime = {},
): Promise<number> {
  const started = performance.now();
  const policy = policyFromEnv(env);
  const maxTokens = setting(env, "maxTokens");
  const explain = setting(env, "explain");
  const { remote } = await checkSettings(env);
  const asked = await asking(args, env);
  if (!asked) {
    if (args.widget) io.stdout(widgetFrame({ code: ExitCode.passThrough }));
    return ExitCode.passThrough;
  }
  const path = remote ? undefined : await modelFile(env, runtime.cwd);
  const { createRater } = await import("../safety/mod.ts");
  const load = { modelPath: path, load: runtime.backend };
  return await withBackend(
    env,
    io.signal,
    load,
    createRater(),
    async (backend, rater, signal, loadMs) => {
      const unicode = utf8Locale(env);
      // Up brings back what was typed; another command for the same request adds nothing.
      const history = asked.again ? "" : args.request;
      let decision: Decision = "line";
      let placed: Frame | undefined;
      const where = {
        shell: args.shell,
        cwd: runtime.cwd,
        env,
        recent: args.recent,
        known: args.known,
      };
      const answer = await answerRequest(
        asked.ask,
        where,
        backend,
        rater,
        signal,
        { maxTokens, explain },
        async (command) => {
          decision = decide(policy, command.rating.risk);
          if (!args.widget) return explain;
          // The widget gets the command the moment it is rated; the explanation follows if
          // anyone will see it (a warning or a refusal shows the rules' reasons instead).
          placed = toLine(command, decision, history, unicode);
          if (placed.line !== undefined && asked.dir && args.session) {
            const offered = [...(asked.ask.offered ?? []), command.command];
            await rememberOffer(asked.dir, args.session, placed.line, { ...asked.ask, offered })
              .catch(() => {});
          }
          io.stdout(widgetFrame(placed));
          return explain && decision === "line";
        },
      );
      if (args.widget) {
        if (placed?.code === ExitCode.ok && explain && decision === "line") {
          io.stdout(laterMessage(explanationMessage(answer, decision, unicode)));
        }
        return placed?.code ?? ExitCode.ok;
      }
      const timings = {
        load_ms: loadMs,
        generate_ms: answer.generateMs,
        total_ms: performance.now() - started,
      };
      io.stdout(
        (args.json
          ? formatJson(answer, backend, timings)
          : formatHuman(answer, decision, makeStyle(io.colour))) + "\n",
      );
      return ExitCode.ok;
    },
  );
}

/**
 * Explains one command; returns the exit code. The rating comes from the
 * rules and is shown whatever the model does: when the description fails,
 * the rating stands beside the reason, and the exit code is the failure's.
 */
export async function runExplain(
  args: ExplainArgs,
  io: IO,
  env: Env,
  runtime: Runtime = {},
): Promise<number> {
  const started = performance.now();
  const rating = await rate(args.command, args.shell);
  let described: Described | undefined;
  let failed: ReturnType<typeof failure> | undefined;
  let about: Pick<Backend, "kind" | "model" | "url"> | undefined;
  let loadMs = 0;
  try {
    const { remote } = await checkSettings(env);
    const path = remote ? undefined : await modelFile(env, runtime.cwd);
    await withBackend(
      env,
      io.signal,
      { modelPath: path, load: runtime.backend },
      Promise.resolve(),
      async (backend, _, signal, ms) => {
        about = backend;
        loadMs = ms;
        described = await describeCommand(args.command, args.shell, backend, signal, runtime.cwd);
      },
    );
  } catch (e) {
    // Ctrl-C asks for nothing more; any other failure leaves the rating to show.
    if (e instanceof CmdaiError && e.code === ExitCode.interrupted) throw e;
    failed = failure(e);
  }
  const code = failed?.code ?? ExitCode.ok;
  const description = described?.description ??
    { failed: (failed?.line ?? "").replace(/^cmdai: /, "") };
  if (args.json) {
    io.stdout(
      JSON.stringify({
        command: args.command,
        ...(described ? described.description : {}),
        ...ratingFields(rating),
        shell: args.shell,
        ...(about
          ? { backend: about.kind, model: about.model, ...(about.url ? { url: about.url } : {}) }
          : {}),
        ...(described
          ? {
            timings: {
              load_ms: Math.round(loadMs),
              generate_ms: Math.round(described.generateMs),
              total_ms: Math.round(performance.now() - started),
            },
            tokens: described.tokens,
          }
          : { error: "failed" in description ? description.failed : "", exit_code: code }),
      }) + "\n",
    );
  } else if (args.widget) {
    const text = formatExplained(args.command, rating, description, makeStyle(false), false);
    io.stdout(widgetFrame({ code, message: text.replace(/\n+$/, "") }));
  } else {
    io.stdout(formatExplained(args.command, rating, description, makeStyle(io.colour)));
  }
  return code;
}
