/**
 * The last step: what reaches the prompt line, as the widget frame's fields
 * (see `report.ts`). A command the policy blocks never becomes the line, so
 * the widget keeps the line as typed.
 *
 * @module
 */

import { ExitCode } from "../errors.ts";
import type { Frame } from "../report.ts";
import { widgetMessage } from "./output.ts";
import type { Decision } from "./policy.ts";
import type { Answer } from "./answer.ts";

/**
 * Applies the policy's decision to an answer for the widget. `history` is the
 * request as typed, kept so that Up brings it back once it became a command.
 */
export function toLine(
  answer: Answer,
  decision: Decision,
  history: string,
  unicode = true,
): Frame {
  const message = widgetMessage(answer, decision, unicode);
  if (decision === "blocked") return { code: ExitCode.refused, message };
  return { code: ExitCode.ok, message, line: answer.command, history };
}
