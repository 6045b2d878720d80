/**
 * The last step: what reaches the prompt line. In widget mode stdout is the
 * new line exactly, a NUL, the text for the shell's history (the request as
 * typed; empty when there is none to add), and a NUL; stderr is one message.
 * A command the policy blocks never reaches stdout, so the widget keeps the
 * line as typed.
 *
 * @module
 */

import { ExitCode, type ExitCodeValue } from "../errors.ts";
import { widgetMessage } from "./output.ts";
import type { Decision } from "./policy.ts";
import type { Answer } from "./answer.ts";

/** What the widget mode writes, and its exit code. */
export interface LineOutput {
  /** The new prompt line, or undefined when the line must stay as typed. */
  line?: string;
  /** What to add to the shell's history with the new line ("" for nothing). */
  history: string;
  message: string;
  code: ExitCodeValue;
}

/**
 * Applies the policy's decision to an answer for the widget. `history` is the
 * request as typed, kept so that Up brings it back once it became a command.
 */
export function toLine(
  answer: Answer,
  decision: Decision,
  history: string,
  unicode = true,
): LineOutput {
  const message = widgetMessage(answer, decision, unicode);
  if (decision === "blocked") return { message, history: "", code: ExitCode.refused };
  return { line: answer.command, history, message, code: ExitCode.ok };
}

/** The widget's stdout for a line it places: the line, NUL, the history text, NUL. */
export function widgetStdout(out: LineOutput): string {
  return out.line === undefined ? "" : `${out.line}\0${out.history}\0`;
}
