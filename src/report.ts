/**
 * How a command's outcome reaches whoever called it, written once for the
 * process (`main.ts`) and the resident server alike:
 *
 * - the widget frame (`--widget`): `code NUL message NUL line NUL history NUL`,
 *   the shells' only input. `code` is the exit code, `message` the text to show
 *   under the line (one line; several for the explain key), `line` the new
 *   prompt line (empty: the line stays as typed), `history` what to add to the
 *   shell's history (empty: nothing);
 * - under `--json`, a failure is also one JSON line on stdout;
 * - otherwise a failure is one line on stderr, `cmdai: …`.
 *
 * @module
 */

import { type ExitCodeValue, failure } from "./errors.ts";

/** One widget frame's fields. */
export interface Frame {
  code: number;
  message?: string;
  line?: string;
  history?: string;
}

/** The frame as bytes on the wire: four fields, each ended by a NUL. */
export function widgetFrame(f: Frame): string {
  // A NUL inside a field would shift every field after it.
  const field = (s = "") => s.replaceAll("\0", "");
  return `${f.code}\0${field(f.message)}\0${field(f.line)}\0${field(f.history)}\0`;
}

/** How the caller asked for output: JSON, the widget frame, or plain text. */
export interface OutputMode {
  json?: boolean;
  widget?: boolean;
}

/** What a failure writes, and the exit code it ends with. */
export interface FailureOutput {
  code: ExitCodeValue;
  /** For stderr: one line (empty under `--widget`, where the frame carries it). */
  stderr: string;
  /** For stdout: the JSON line, the frame, or nothing. */
  stdout: string;
  /** A bug, not a user's error: worth a stack trace under `CMDAI_DEBUG`. */
  internal: boolean;
}

/** Renders a failure for `mode`. */
export function failureOutput(e: unknown, mode: OutputMode): FailureOutput {
  const { code, line, internal } = failure(e);
  if (mode.widget) {
    return { code, stderr: "", stdout: widgetFrame({ code, message: line }), internal };
  }
  const stdout = mode.json
    ? JSON.stringify({ error: line.replace(/^cmdai: /, ""), exit_code: code }) + "\n"
    : "";
  return { code, stderr: `${line}\n`, stdout, internal };
}

/** Whether the flags (before `--`) include `flag`: how `main` knows the mode of a failed parse. */
export function hasFlag(args: readonly string[], flag: string): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).includes(flag);
}
