/**
 * `cmdai check`: rate commands without a model.
 *
 * - `cmdai check "cmd"`: human-readable verdict;
 * - `cmdai check --json "cmd"`: one compact JSON line `{command, risk, rules}`;
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
import { createRater, type Rater, type Rating } from "../safety/mod.ts";

/** What `check` works with besides its IO. */
export interface CheckDeps {
  /** A rater to reuse (tests, a resident process); created on demand otherwise. */
  rater?: Rater;
  /** When given, the human output says what this policy does with the command. */
  policy?: Policy;
}

const USAGE = "usage: cmdai check [--json | --jsonl] [--] COMMAND…";

/** Run `cmdai check` with its own arguments (after `check`); resolves to the exit code. */
export async function runCheck(
  args: string[],
  io: IO,
  deps: CheckDeps = {},
): Promise<number> {
  const opts = parseCheckArgs(args);
  if (opts.help) {
    io.stdout(
      `${USAGE}\n\n  Rate a shell command's risk (safe, moderate, high, critical) and say why.\n` +
        "  --json    one JSON line: command, risk, rules [{id, reason}]\n" +
        '  --jsonl   batch: read JSON lines {"command": …} on stdin, write one result line each\n',
    );
    return ExitCode.ok;
  }
  const rater = deps.rater ?? await createRater();
  if (opts.jsonl) {
    await checkStream(io.stdin, io.stdout, rater);
    return ExitCode.ok;
  }
  const rating = rater.rate(opts.command);
  io.stdout(
    opts.json ? jsonResult(opts.command, rating) + "\n" : human(opts.command, rating, deps.policy),
  );
  return ExitCode.ok;
}

interface CheckOptions {
  help: boolean;
  json: boolean;
  jsonl: boolean;
  command: string;
}

function parseCheckArgs(args: string[]): CheckOptions {
  // The command's words need no quotes: flags end at the first word that is not one.
  const parsed = parseLeadingFlags(args, COMMANDS.check.flags, USAGE);
  const positionals = parsed.rest;
  const [json, jsonl, help] = [parsed.values.json, parsed.values.jsonl, parsed.values.help]
    .map((v) => v === true);
  const command = joinWords(positionals);
  if (help) return { help, json, jsonl, command };
  if (json && jsonl) throw new CmdaiError(ExitCode.usage, "check: use --json or --jsonl, not both");
  if (jsonl && positionals.length > 0) {
    throw new CmdaiError(ExitCode.usage, "check --jsonl reads commands from stdin, not arguments");
  }
  if (!jsonl && positionals.length === 0) {
    throw new CmdaiError(ExitCode.usage, `check: no command given; ${USAGE}`);
  }
  return { help, json, jsonl, command };
}

/** The compact result line shared by `--json` and `--jsonl`. */
export function jsonResult(command: string, rating: Rating): string {
  return JSON.stringify({
    command,
    risk: rating.risk,
    rules: rating.rules.map(({ id, reason }) => ({ id, reason })),
  });
}

/** Rate one input line of `--jsonl`. */
export function checkJsonLine(line: string, rater: Rater): string {
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
  return jsonResult(command, rater.rate(command));
}

/** Stream `--jsonl`: each chunk's complete lines are rated and written together. */
export async function checkStream(
  input: ReadableStream<Uint8Array>,
  write: (text: string) => void,
  rater: Rater,
): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  const flush = (text: string, final: boolean) => {
    pending += text;
    const lines = pending.split("\n");
    pending = final ? "" : lines.pop()!;
    if (final && lines[lines.length - 1] === "") lines.pop();
    if (lines.length === 0) return;
    let out = "";
    for (const line of lines) out += checkJsonLine(line.replace(/\r$/, ""), rater) + "\n";
    write(out);
  };
  for await (const chunk of input) flush(decoder.decode(chunk, { stream: true }), false);
  flush(decoder.decode(), true);
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
  const lines = [`${printable(command)}`, `  risk: ${rating.risk}`];
  for (const r of rating.rules) lines.push(`  - ${r.reason} [${r.id}]`);
  if (rating.rules.length === 0) lines.push("  - no rule matched");
  if (policy) lines.push(`  policy ${policy}: ${WHAT[decide(policy, rating.risk)]}`);
  return lines.join("\n") + "\n";
}
