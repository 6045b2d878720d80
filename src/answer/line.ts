/**
 * The last step: what reaches the prompt line, as the widget frame's fields
 * (see `report.ts`), and the explanation that follows it. A command the
 * policy blocks never becomes the line, so the widget keeps the line as typed.
 *
 * @module
 */

import { ExitCode } from "../errors.ts";
import type { Frame } from "../report.ts";
import { widgetMessage } from "./output.ts";
import type { Decision } from "./policy.ts";
import type { Answer, Command } from "./answer.ts";

/**
 * Applies the policy's decision to a command for the widget. `history` is the
 * request as typed, kept so that Up brings it back once it became a command.
 * The explanation, if one comes, follows in a frame of its own.
 */
export function toLine(
  command: Command,
  decision: Decision,
  history: string,
  unicode = true,
): Frame {
  const message = widgetMessage(command, decision, unicode);
  if (decision === "blocked") return { code: ExitCode.refused, message };
  return { code: ExitCode.ok, message, line: command.command, history };
}

/** The message that follows a placed command: its explanation, or why there is none. */
export function explanationMessage(answer: Answer, decision: Decision, unicode = true): string {
  if (answer.explanation === undefined && answer.explanationError) {
    return `cmdai: no explanation (${answer.explanationError})`;
  }
  return widgetMessage(answer, decision, unicode);
}
