/**
 * `cmdai eval FILE`: asks the configured backend for every request of a TSV dataset (NL2Bash or
 * InterCode-ALFA, see `eval/dataset.ts`), each through the same path as `cmdai "request"`, and
 * scores the commands: exact match against any gold, NLC2CMD (`eval/nlc2cmd.ts`), whether they
 * parse in the target shell (`syntax/check.ts`) and how the safety rater rates them.
 *
 * A request that fails (a bad reply, a timeout) is scored as a failure and the run goes on.
 * Ctrl-C stops the run; the summary still covers what finished, and the exit code is 130.
 *
 * @module
 */

import { answerRequest } from "../answer/answer.ts";
import { parseShell, type Shell } from "../answer/context.ts";
import type { Backend } from "../backends/backend.ts";
import type { Env } from "../env.ts";
import { CmdaiError, ExitCode, oneLine } from "../errors.ts";
import { parseFlags } from "../flags.ts";
import { settingsFromFlags } from "../config.ts";
import { COMMANDS } from "../cli.ts";
import { type IO, writeAllSync } from "../io.ts";
import { createRater, type Rater } from "../safety/mod.ts";
import { type BashParser, loadBashParser } from "../syntax/bash_parser.ts";
import { type EvalRequest, readDataset } from "../eval/dataset.ts";
import { commandUtilities, requestScore, type Utility } from "../eval/nlc2cmd.ts";
import { createEvalProgress } from "../eval/progress.ts";
import { formatTable, rowJson, type RowResult, summarize, summaryJson } from "../eval/report.ts";
import { createSyntaxChecker, type SyntaxChecker } from "../syntax/check.ts";

/** Seconds one request may take unless `--timeout` says otherwise. */
const DEFAULT_TIMEOUT_S = 60;

const USAGE = "usage: cmdai eval [--limit N] [--jobs N] [--shell bash|zsh|fish] " +
  "[--timeout S] [--out FILE.jsonl] [--json] [--backend B --url U --remote-model M] FILE";

const HELP = `${USAGE}

  Ask the configured model for every request in FILE and score the commands.
  FILE is a TSV without a header: nl<TAB>cmd (NL2Bash; rows with the same nl are one
  request with several golds) or InterCode-ALFA's 6 columns (nl, gold, gold2, fs,
  difficulty, benchmark_index).

  --limit N        only the first N requests
  --jobs N         requests at a time (default 1; remote backends only)
  --shell SHELL    target shell: bash (default), zsh or fish
  --timeout S      seconds one request may take (default ${DEFAULT_TIMEOUT_S}); then it counts as failed
  --out FILE       one JSON line per request: request, golds, prediction, scores, error, ms
  --json           the summary as one JSON line instead of a table
  --backend, --url, --remote-model
                   the backend to score (default: the configured one, see cmdai config)

  Reported: exact match (against any gold), mean NLC2CMD (-1..1), the share that parses
  in the target shell, the share rated high or critical, failures, ms per request.
`;

/** How long requests cut short by Ctrl-C get to wind down before the backend is disposed. */
const WIND_DOWN_MS = 2000;

/** Waits for `p` to settle, or `ms` at most. */
async function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    p.catch(() => {}),
    new Promise((resolve) => timer = setTimeout(resolve, ms)),
  ]);
  clearTimeout(timer);
}

/** The most requests in flight at once. */
const MAX_JOBS = 64;

interface EvalOptions {
  help: boolean;
  file: string;
  limit?: number;
  jobs: number;
  shell: Shell;
  timeoutS: number;
  out?: string;
  json: boolean;
  /** Settings the flags give (`--backend` …), by the variable each stands for. */
  settings: Record<string, string>;
}

/** A whole number from `min` to `max` given to `flag`; a usage error otherwise. */
function wholeFlag(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
    throw new CmdaiError(
      ExitCode.usage,
      `eval: ${flag} must be a whole number from ${min} to ${max}, not "${raw}"`,
    );
  }
  return n;
}

function parseEvalArgs(args: string[]): EvalOptions {
  const { values, positionals } = parseFlags(args, COMMANDS.eval.flags, USAGE);
  const help = values.help ?? false;
  if (!help && positionals.length === 0) {
    throw new CmdaiError(ExitCode.usage, `eval: no FILE given; ${USAGE}`);
  }
  if (positionals.length > 1) {
    throw new CmdaiError(ExitCode.usage, `eval takes one FILE, not ${positionals.length}`);
  }
  const timeoutS = values.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) {
    throw new CmdaiError(
      ExitCode.usage,
      `eval: --timeout must be a positive number of seconds, not "${values.timeout}"`,
    );
  }
  return {
    help,
    file: positionals[0] ?? "",
    limit: values.limit === undefined
      ? undefined
      : wholeFlag("--limit", values.limit, 1, Number.MAX_SAFE_INTEGER),
    jobs: values.jobs === undefined ? 1 : wholeFlag("--jobs", values.jobs, 1, MAX_JOBS),
    shell: values.shell === undefined ? "bash" : parseShell(values.shell),
    timeoutS,
    out: values.out,
    json: values.json ?? false,
    settings: settingsFromFlags(values),
  };
}

/** Opens `path` for the per-request lines, emptied first. */
function openOut(path: string): Deno.FsFile {
  try {
    return Deno.openSync(path, { write: true, create: true, truncate: true });
  } catch (e) {
    throw new CmdaiError(
      ExitCode.runtime,
      `cannot write ${path}: ${oneLine(String((e as Error).message ?? e))}`,
    );
  }
}

/** What scoring one request needs. */
interface Scorer {
  backend: Backend;
  rater: Rater;
  parser: BashParser;
  checker: SyntaxChecker;
  shell: Shell;
  /** The settings the run reads (`CMDAI_GROUND=0` leaves the tldr examples out, to compare). */
  env: Env;
  timeoutS: number;
  interrupt: AbortSignal;
}

/** Why a request failed, as one line. */
function reason(e: unknown, timedOut: boolean, timeoutS: number): string {
  if (timedOut) return `timed out after ${timeoutS} s`;
  if (e instanceof CmdaiError) return oneLine(e.message);
  return oneLine(String((e as Error)?.message ?? e));
}

/**
 * Asks for and scores one request; undefined when Ctrl-C cut it short (it is not counted).
 * Never rejects: any failure of the request is its row's error.
 */
async function evaluate(
  s: Scorer,
  index: number,
  req: EvalRequest,
  golds: Utility[][],
): Promise<RowResult | undefined> {
  const timeout = AbortSignal.timeout(s.timeoutS * 1000);
  const signal = AbortSignal.any([s.interrupt, timeout]);
  const started = performance.now();
  const base = { index, request: req.nl, golds: req.golds };
  try {
    const where = { shell: s.shell, env: s.env };
    const answer = await answerRequest({ request: req.nl }, where, s.backend, s.rater, signal);
    const ms = performance.now() - started;
    const prediction = answer.command;
    return {
      ...base,
      prediction,
      explanation: answer.explanation,
      exact: req.golds.some((g) => g.trim() === prediction.trim()),
      nlc2cmd: requestScore([commandUtilities(s.parser, prediction)], golds),
      parses: await s.checker.parses(prediction),
      risk: answer.rating.risk,
      ms,
    };
  } catch (e) {
    if (s.interrupt.aborted) return undefined;
    return {
      ...base,
      exact: false,
      nlc2cmd: -1,
      parses: s.checker.unavailable ? undefined : false,
      error: reason(e, timeout.aborted, s.timeoutS),
      ms: performance.now() - started,
    };
  }
}

/**
 * Runs `cmdai eval` with its own arguments (after `eval`); resolves to the exit code.
 * `open` loads the configured backend (given the interrupt signal); the run disposes of it.
 * `settings` gives the settings the run reads, with those of its flags.
 */
export async function runEval(
  args: string[],
  io: IO,
  open: (signal: AbortSignal, settings: Record<string, string>) => Promise<Backend>,
  settings: (flags: Record<string, string>) => Env = () => Deno.env,
): Promise<number> {
  const opts = parseEvalArgs(args);
  if (opts.help) {
    io.stdout(HELP);
    return ExitCode.ok;
  }
  const dataset = await readDataset(opts.file);
  const requests = dataset.requests.slice(0, opts.limit);
  const parser = await loadBashParser();
  const [rater, checker] = await Promise.all([
    createRater(),
    createSyntaxChecker(opts.shell, parser),
  ]);
  if (checker.unavailable) {
    io.stderr(`cmdai: eval: no ${opts.shell} parse check (${checker.unavailable})\n`);
  }
  // Golds are parsed once, leniently: a gold the grammar trips on still has its utilities.
  const golds = requests.map((r) => r.golds.map((g) => commandUtilities(parser, g, true) ?? []));
  const out = opts.out === undefined ? undefined : openOut(opts.out);
  try {
    const backend = await open(io.signal, opts.settings);
    try {
      return await evaluateAll(opts, io, dataset.format, requests, golds, out, {
        backend,
        rater,
        parser,
        checker,
        shell: opts.shell,
        env: settings(opts.settings),
        timeoutS: opts.timeoutS,
        interrupt: io.signal,
      });
    } finally {
      await backend.dispose();
    }
  } finally {
    out?.close();
  }
}

/** The run proper, once everything is loaded: rows, progress, then the summary. */
async function evaluateAll(
  opts: EvalOptions,
  io: IO,
  format: string,
  requests: EvalRequest[],
  golds: Utility[][][],
  out: Deno.FsFile | undefined,
  scorer: Scorer,
): Promise<number> {
  let jobs = Math.min(opts.jobs, Math.max(1, requests.length));
  if (jobs > 1 && scorer.backend.kind === "embedded") {
    // One llama.cpp context answers one prompt at a time: more jobs would only queue.
    io.stderr("cmdai: eval: --jobs is for remote backends; the embedded model runs 1 at a time\n");
    jobs = 1;
  }
  const progress = createEvalProgress({
    total: requests.length,
    write: io.stderr,
    isTerminal: io.stderrIsTerminal,
    columns: io.columns,
  });
  const rows: RowResult[] = [];
  let next = 0, failures = 0, closed = false;
  const worker = async () => {
    while (!closed && !io.signal.aborted && next < requests.length) {
      const i = next++;
      const row = await evaluate(scorer, i, requests[i], golds[i]);
      // A request finishing after Ctrl-C, once the summary is out, is left out of everything.
      if (row === undefined || closed) return;
      rows.push(row);
      if (row.error !== undefined) failures++;
      if (out) writeAllSync(out, rowJson(row) + "\n");
      progress.update(rows.length, failures);
    }
  };
  const all = Promise.all(Array.from({ length: jobs }, worker));
  // Ctrl-C must not wait for requests in flight: the summary is written at once.
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    io.signal.addEventListener("abort", onAbort, { once: true });
    if (io.signal.aborted) resolve();
  });
  try {
    await Promise.race([all, aborted]);
  } finally {
    io.signal.removeEventListener("abort", onAbort);
    closed = true;
    all.catch(() => {});
  }
  progress.finish();
  const interrupted = io.signal.aborted && rows.length < requests.length;
  const summary = summarize(rows, {
    file: opts.file,
    format,
    shell: opts.shell,
    backend: scorer.backend.kind,
    model: scorer.backend.model,
    requests: requests.length,
    parseCheck: scorer.checker.method,
    parseUnavailable: scorer.checker.unavailable,
    interrupted,
  });
  io.stdout(opts.json ? summaryJson(summary) + "\n" : formatTable(summary));
  if (interrupted) {
    io.stderr(`cmdai: eval interrupted: ${rows.length} of ${requests.length} requests finished\n`);
  }
  // Requests still in flight wind down before the backend is disposed under them.
  await settleWithin(all, WIND_DOWN_MS);
  return interrupted ? ExitCode.interrupted : ExitCode.ok;
}
