/**
 * The last step: what reaches the prompt line. In widget mode stdout is the
 * new line exactly and stderr one message; a command the policy blocks never
 * reaches stdout, so the widget keeps the line as typed.
 *
 * @module
 */

import { ExitCode, type ExitCodeValue } from "./errors.ts";
import { widgetMessage } from "./output.ts";
import type { Decision } from "./policy.ts";
import type { Answer } from "./request.ts";

/** What the widget mode writes, and its exit code. */
export interface LineOutput {
  /** The new prompt line, or undefined when the line must stay as typed. */
  line?: string;
  message: string;
  code: ExitCodeValue;
}

/** Applies the policy's decision to an answer for the widget. */
export function toLine(answer: Answer, decision: Decision, unicode = true): LineOutput {
  const message = widgetMessage(answer, decision, unicode);
  if (decision === "blocked") return { message, code: ExitCode.refused };
  return { line: answer.command, message, code: ExitCode.ok };
}
