/**
 * `cmdai check`: rate commands without a model.
 *
 * - `cmdai check "cmd"`: human-readable verdict;
 * - `cmdai check --json "cmd"`: one compact JSON line `{command, risk, rules}`;
 * - `--shell zsh|fish|bash` (default: from `$SHELL`): the shell the command is for; a command
 *   that does not parse there is flagged, as the widgets and `cmdai "request"` flag it (one
 *   rater entry point for all three);
 * - `cmdai check --jsonl`: stdin holds one JSON object per line with a `command` field; stdout
 *   gets exactly one compact JSON line per input line, in order, echoing `command` unchanged
 *   (or `{"error": …}` for a malformed line). Streams, so it works on endless input.
 *
 * The exit code is 0 whatever the risks; only usage and I/O errors fail.
 *
 * @module
 */

import { CmdaiError, ExitCode, oneLine } from "../errors.ts";
import { joinWords, parseLeadingFlags } from "../flags.ts";
import { COMMANDS } from "../cli.ts";
import type { IO } from "../io.ts";
import { decide, type Policy } from "../answer/policy.ts";
import { detectShell, parseShell, type Shell } from "../answer/context.ts";
import type { Env } from "../env.ts";
import { createRater, type Rater, type Rating } from "../safety/mod.ts";
import { ratingFields, riskLine } from "../safety/report.ts";

/** What `check` works with besides its IO. */
export interface CheckDeps {
  /** A rater to reuse (tests, a resident process); created on demand otherwise. */
  rater?: Rater;
  /** When given, the human output says what this policy does with the command. */
  policy?: Policy;
  /** Where `$SHELL` is read when no `--shell` is given (default: the process environment). */
  env?: Env;
}

const USAGE = "usage: cmdai check [--json | --jsonl] [--shell zsh|fish|bash] [--] COMMAND…";

/** Run `cmdai check` with its own arguments (after `check`); resolves to the exit code. */
export async function runCheck(
  args: string[],
  io: IO,
  deps: CheckDeps = {},
): Promise<number> {
  const opts = parseCheckArgs(args, deps.env);
  if (opts.help) {
    io.stdout(
      `${USAGE}\n\n  Rate a shell command's risk (safe, moderate, high, critical) and say why.\n` +
        "  --json    one JSON line: command, risk, rules [{id, reason}]\n" +
        '  --jsonl   batch: read JSON lines {"command": …} on stdin, write one result line each\n' +
        "  --shell   the shell the command is for (default: from $SHELL); it must parse there\n",
    );
    return ExitCode.ok;
  }
  const rater = deps.rater ?? await createRater();
  if (opts.jsonl) {
    await checkStream(io.stdin, io.stdout, rater, opts.shell);
    return ExitCode.ok;
  }
  const rating = await rater.rate(opts.command, opts.shell);
  io.stdout(
    opts.json ? jsonResult(opts.command, rating) + "\n" : human(opts.command, rating, deps.policy),
  );
  return ExitCode.ok;
}

interface CheckOptions {
  help: boolean;
  json: boolean;
  jsonl: boolean;
  shell: Shell;
  command: string;
}

function parseCheckArgs(args: string[], env?: Env): CheckOptions {
  // The command's words need no quotes: flags end at the first word that is not one.
  const parsed = parseLeadingFlags(args, COMMANDS.check.flags, USAGE);
  const positionals = parsed.rest;
  const [json, jsonl, help] = [parsed.values.json, parsed.values.jsonl, parsed.values.help]
    .map((v) => v === true);
  const shell = parsed.values.shell === undefined
    ? detectShell(env)
    : parseShell(parsed.values.shell as string);
  const command = joinWords(positionals);
  if (help) return { help, json, jsonl, shell, command };
  if (json && jsonl) throw new CmdaiError(ExitCode.usage, "check: use --json or --jsonl, not both");
  if (jsonl && positionals.length > 0) {
    throw new CmdaiError(ExitCode.usage, "check --jsonl reads commands from stdin, not arguments");
  }
  if (!jsonl && positionals.length === 0) {
    throw new CmdaiError(ExitCode.usage, `check: no command given; ${USAGE}`);
  }
  return { help, json, jsonl, shell, command };
}

/** The compact result line shared by `--json` and `--jsonl`. */
export function jsonResult(command: string, rating: Rating): string {
  return JSON.stringify({ command, ...ratingFields(rating) });
}

/** Rate one input line of `--jsonl` for `shell`. */
export async function checkJsonLine(line: string, rater: Rater, shell: Shell): Promise<string> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return JSON.stringify({ error: `invalid JSON: ${oneLine((e as Error).message)}` });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return JSON.stringify({ error: 'expected a JSON object with a "command" string' });
  }
  const command = (value as Record<string, unknown>).command;
  if (typeof command !== "string") {
    return JSON.stringify({ error: '"command" must be a string' });
  }
  return jsonResult(command, await rater.rate(command, shell));
}

/** Stream `--jsonl`: each chunk's complete lines are rated and written together. */
export async function checkStream(
  input: ReadableStream<Uint8Array>,
  write: (text: string) => void,
  rater: Rater,
  shell: Shell,
): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  const flush = async (text: string, final: boolean) => {
    pending += text;
    const lines = pending.split("\n");
    pending = final ? "" : lines.pop()!;
    if (final && lines[lines.length - 1] === "") lines.pop();
    if (lines.length === 0) return;
    let out = "";
    for (const line of lines) {
      out += await checkJsonLine(line.replace(/\r$/, ""), rater, shell) + "\n";
    }
    write(out);
  };
  for await (const chunk of input) await flush(decoder.decode(chunk, { stream: true }), false);
  await flush(decoder.decode(), true);
}

/** Printable form of a command for the terminal: control characters shown as escapes. */
function printable(command: string): string {
  return command.replace(
    // deno-lint-ignore no-control-regex
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) =>
      c === "\n"
        ? "\\n"
        : c === "\t"
        ? "\\t"
        : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

const WHAT: Record<string, string> = {
  line: "goes on the line",
  "line-notice": "goes on the line with a notice",
  "line-warning": "goes on the line with a warning",
  blocked: "never goes on the line",
};

function human(command: string, rating: Rating, policy?: Policy): string {
  const lines = [printable(command), `  ${riskLine(rating, { ids: true })}`];
  if (policy) lines.push(`  policy ${policy}: ${WHAT[decide(policy, rating.risk)]}`);
  return lines.join("\n") + "\n";
}
