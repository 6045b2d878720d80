/**
 * What the user sees: the human listing, the one-line JSON, and the widget's
 * one-line message.
 *
 * @module
 */

import { oneLine } from "../errors.ts";
import type { Decision } from "./policy.ts";
import type { Answer, Command } from "./answer.ts";
import { type Rating, riskRank } from "../safety/risk.ts";
import { ratingFields, reasons, riskLine } from "../safety/report.ts";
import type { Env } from "../env.ts";
import type { Backend } from "../backends/backend.ts";
import type { Description } from "./describe.ts";

/** Milliseconds spent in each phase of a request. */
export interface Timings {
  load_ms: number;
  generate_ms: number;
  total_ms: number;
}

/** `cmdai --json`: exactly one line of compact JSON. */
export function formatJson(
  answer: Answer,
  backend: Pick<Backend, "kind" | "model" | "url">,
  timings: Timings,
): string {
  const request = ratingFields(answer.requestRating);
  return JSON.stringify({
    command: answer.command,
    explanation: answer.explanation ?? "",
    ...ratingFields(answer.rating),
    request_risk: request.risk,
    request_rules: request.rules,
    shell: answer.shell,
    backend: backend.kind,
    model: backend.model,
    ...(backend.url ? { url: backend.url } : {}),
    timings: {
      load_ms: Math.round(timings.load_ms),
      generate_ms: Math.round(timings.generate_ms),
      total_ms: Math.round(timings.total_ms),
    },
    tokens: answer.tokens,
    not_found: answer.notFound,
    ...(answer.explanationError ? { explanation_error: answer.explanationError } : {}),
  });
}

/** Terminal styling; every function is the identity when colour is off. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  risk(level: string, s: string): string;
}

const RISK_COLOURS: Record<string, string> = {
  safe: "32",
  moderate: "33",
  high: "1;31",
  critical: "1;37;41",
};

/** Colour at a terminal unless `NO_COLOR` is set (https://no-color.org). */
export function makeStyle(colour: boolean): Style {
  const wrap = (code: string, s: string) => colour ? `\x1b[${code}m${s}\x1b[0m` : s;
  return {
    bold: (s) => wrap("1", s),
    dim: (s) => wrap("2", s),
    risk: (level, s) => wrap(RISK_COLOURS[level] ?? "0", s),
  };
}

/**
 * `cmdai "request"` at a terminal or in a pipe: the command, its explanation
 * and its risk. A blocked command is shown behind `# blocked`, never as a line
 * that would run if pasted or substituted.
 */
export function formatHuman(answer: Answer, decision: Decision, style: Style): string {
  const { rating, requestRating } = answer;
  const lines = decision === "blocked"
    ? [style.risk(rating.risk, `# blocked (${rating.risk}): `) + oneLine(answer.command)]
    : [style.bold(answer.command)];
  if (answer.explanation) lines.push(style.dim(`  ${answer.explanation}`));
  if (answer.notFound.length > 0) lines.push(`  ${notInstalled(answer.notFound)}`);
  lines.push(`  ${riskLine(rating, { paint: style.risk })}`);
  if (requestRating.risk !== "safe") {
    lines.push(`  ${riskLine(requestRating, { label: "request risk", paint: style.risk })}`);
  }
  return lines.join("\n");
}

/** `fd is not installed here`, `fd and jq are not installed here`. */
export function notInstalled(programs: readonly string[]): string {
  const names = programs.length === 1
    ? programs[0]
    : `${programs.slice(0, -1).join(", ")} and ${programs.at(-1)}`;
  return `${names} ${programs.length === 1 ? "is" : "are"} not installed here`;
}

/** Whether the locale can show non-ASCII symbols (`LC_ALL`, else `LC_CTYPE`, else `LANG`). */
export function utf8Locale(env: Env = Deno.env): boolean {
  const locale = env.get("LC_ALL") || env.get("LC_CTYPE") || env.get("LANG") || "";
  return /utf-?8/i.test(locale);
}

/**
 * The widget's one message line for a command that was produced. `unicode`
 * picks the symbols; a non-UTF-8 terminal would show them garbled.
 */
export function widgetMessage(
  answer: Command & { explanation?: string },
  decision: Decision,
  unicode = true,
): string {
  const [cross, warn, dash] = unicode ? ["✖", "⚠", "—"] : ["x", "!!", "-"];
  const { rating, requestRating } = answer;
  const why = reasons(rating);
  let message: string;
  switch (decision) {
    case "blocked":
      message =
        `${cross} not placed on the line (${rating.risk} risk): ${answer.command} ${dash} ${why}`;
      break;
    case "line-warning":
      message = `${warn} ${rating.risk.toUpperCase()} RISK: ${why}. Read it before pressing Enter`;
      break;
    case "line-notice":
      message = `${rating.risk} risk: ${why}`;
      break;
    default:
      message = answer.explanation ?? "";
  }
  const parts = [message];
  // A placed command that runs a program this machine lacks would fail: the line says so.
  if (decision !== "blocked" && answer.notFound.length > 0) {
    parts.push(notInstalled(answer.notFound));
  }
  // The request is mentioned when it is riskier than what came back (a model that played it down).
  if (riskRank(requestRating.risk) > riskRank(rating.risk)) {
    parts.push(`the request itself is ${requestRating.risk} risk: ${reasons(requestRating)}`);
  }
  const text = parts.filter(Boolean).join(" | ");
  return oneLine(text ? `cmdai: ${text}` : "");
}

/**
 * What `cmdai explain` shows: the command (unless the line already shows it),
 * the model's summary and parts in two columns, or why there is no
 * description, and always the rules' rating.
 */
export function formatExplained(
  command: string,
  rating: Rating,
  description: Description | { failed: string },
  style: Style,
  withCommand = true,
): string {
  const lines: string[] = [];
  const indent = withCommand ? "  " : "";
  if (withCommand) lines.push(style.bold(oneLine(command)));
  if ("failed" in description) {
    lines.push(`${indent}cmdai: no description: ${oneLine(description.failed)}`);
  } else {
    lines.push(indent + description.summary);
    const parts = description.parts;
    const width = Math.min(32, Math.max(0, ...parts.map((p) => p.part.length)));
    for (const p of parts) {
      const part = oneLine(p.part);
      lines.push(
        part.length > width
          ? `${indent}  ${style.dim(part)}\n${indent}  ${" ".repeat(width)}  ${p.meaning}`
          : `${indent}  ${style.dim(part.padEnd(width))}  ${p.meaning}`,
      );
    }
  }
  lines.push(indent + riskLine(rating, { paint: style.risk }));
  return lines.join("\n") + "\n";
}
