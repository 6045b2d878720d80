/**
 * The model's reply, in the form a model writes shell in: the command alone
 * on the first line, exactly as it will stand on the prompt line, then `# `
 * and a one-sentence explanation.
 *
 * ```
 * find . -name '*.log' -mtime -1
 * # The .log files below here changed in the last 24 hours
 * ```
 *
 * No JSON: quotes and backslashes are written as the shell reads them, and no
 * token is spent on a frame. llama.cpp is held to the form by a grammar (the
 * first line, then `# ` forced, then the sentence); servers are told it by the
 * prompt, and one parser reads every backend's reply, allowing what chat
 * models wrap around a command (a Markdown fence, a `$ ` prompt sign).
 *
 * @module
 */

import { z } from "zod";
import type { Contract } from "../backends/backend.ts";
import { CmdaiError, ExitCode } from "../errors.ts";

/** Longest command accepted; a longer one is a runaway generation, not a command. */
export const MAX_COMMAND_CHARS = 2000;

/**
 * C0 controls except newline and tab, DEL, C1 controls, and bidi overrides:
 * an escape sequence would act on the terminal, and bidi controls can make a
 * command read differently from what runs.
 */
// deno-lint-ignore no-control-regex
export const UNSAFE_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** What comes between the command's line and its explanation. */
export const EXPLANATION_MARK = "# ";

/** The validated reply. */
export const ReplySchema = z.strictObject({
  command: z.string().trim().min(1, "the command is empty").max(MAX_COMMAND_CHARS)
    .refine((s) => !UNSAFE_CHARS.test(s), "the command contains control characters")
    .refine((s) => !s.includes("\n"), "the command is more than one line")
    // U+FFFD is what broken UTF-8 from the model decodes to.
    .refine((s) => !s.includes("\uFFFD"), "the command is not valid UTF-8 text"),
  explanation: z.string().trim().max(500)
    .refine((s) => !UNSAFE_CHARS.test(s) && !s.includes("\n"), {
      message: "the explanation contains control characters",
    }).optional(),
});

/** A reply that passed {@link ReplySchema}. */
export type Reply = z.infer<typeof ReplySchema>;

/** One line of text: no control character (C0, DEL) at all. */
const TEXT = String.raw`[^\x00-\x1f\x7f]`;

/** GBNF for the first line: the command, at least one character that is not a space, then `\n`. */
const FIRST_LINE = String.raw`root ::= " "* [^ \x00-\x1f\x7f] ${TEXT}* "\n"
`;

/**
 * GBNF for the explanation, after the `#` that is forced before it: a space and the sentence. The
 * space is the model's to write, as it would (`# The…` is `#` then ` The` in a BPE vocab).
 */
const EXPLANATION = String.raw`root ::= " " [^ \x00-\x1f\x7f] ${TEXT}*
`;

/** The command, then `# ` and a one-sentence explanation. */
export const REPLY_CONTRACT: Contract = {
  name: "reply",
  grammar: String.raw`root ::= first "# " explanation
first ::= " "* [^ \x00-\x1f\x7f] ${TEXT}* "\n"
explanation ::= [^ \x00-\x1f\x7f] ${TEXT}*
`,
  lines: { first: FIRST_LINE, then: { forced: "#", grammar: EXPLANATION } },
};

/**
 * The command alone, for when nobody reads the explanation (`CMDAI_EXPLAIN=0`): the reply ends
 * with its first line; each token costs ~0.1 s on a CPU.
 */
export const COMMAND_ONLY_CONTRACT: Contract = {
  name: "command-only",
  grammar: FIRST_LINE,
  lines: { first: FIRST_LINE },
};

/** A Markdown fence's opening line: three backticks and a language name, or none. */
const FENCE = /^```[\w+-]*[ \t]*$/;

function contractError(why: string): CmdaiError {
  return new CmdaiError(ExitCode.inference, `the model did not answer in the contract: ${why}`);
}

/** The command without a `$ ` prompt sign before it. */
function unprompted(line: string): string {
  return line.replace(/^\s*\$\s+/, "");
}

/**
 * The command of a reply still arriving, once its line is whole and what
 * follows it is the explanation's `#` (or the close of the fence around it);
 * undefined before. A line followed by anything else is chatter, not a
 * command: the whole reply is then for {@link parseReply} to refuse. A
 * fence's opening line is skipped, and a `$ ` prompt sign dropped.
 */
export function firstLine(text: string): string | undefined {
  const lines = text.replace(/\r/g, "").split("\n");
  let i = 0;
  while (i < lines.length - 1 && lines[i].trim() === "") i++;
  const fenced = i < lines.length - 1 && FENCE.test(lines[i].trim());
  if (fenced) i++;
  const next = lines[i + 1]?.trimStart();
  if (next === undefined || next === "") return undefined;
  const follows = next.startsWith("#") || (fenced && "```".startsWith(next.slice(0, 3)));
  return follows ? unprompted(lines[i]) : undefined;
}

/**
 * Reads the model's raw text into a command and its explanation, and
 * validates them; anything else is an inference error. `explain`: an
 * explanation line is required (the reply was asked for one).
 */
export function parseReply(raw: string, explain = true): Reply {
  const lines = raw.replace(/\r/g, "").replace(/\s+$/, "").split("\n");
  while (lines.length > 0 && lines[0].trim() === "") lines.shift();
  let body = lines;
  // A fence around the command (and maybe its explanation); an explanation may follow it.
  if (lines.length > 0 && FENCE.test(lines[0].trim())) {
    const close = lines.findIndex((l, i) => i > 0 && l.trim() === "```");
    if (close < 0) throw contractError("a code fence that is never closed");
    body = [...lines.slice(1, close), ...lines.slice(close + 1)].filter((l) => l.trim() !== "");
  }
  if (body.length === 0) throw contractError("the reply is empty");
  const [command, ...rest] = body;
  if (/^\s*#/.test(command)) throw contractError("no command before the explanation");
  if (rest.length > 1) throw contractError("more than a command and its explanation");
  let explanation: string | undefined;
  if (rest.length === 1) {
    const mark = /^\s*#\s?(.*)$/.exec(rest[0]);
    if (!mark) throw contractError("the line after the command is not `# ` and an explanation");
    explanation = mark[1];
  }
  if (explain && explanation === undefined) throw contractError("no explanation line");
  const result = ReplySchema.safeParse({ command: unprompted(command), explanation });
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    throw new CmdaiError(
      ExitCode.inference,
      `the model's reply was rejected: ${where}${issue.message}`,
    );
  }
  return result.data;
}

/** A reply written in the contract's exact form (the prompt's examples; test models). */
export function replyText(reply: Reply): string {
  return reply.explanation === undefined
    ? reply.command
    : `${reply.command}\n${EXPLANATION_MARK}${reply.explanation}`;
}

/**
 * Parses the model's raw JSON and validates it against `schema` (the explain
 * contract's); anything else is an inference error naming `what` and the
 * first problem.
 */
export function parseModelJson<T>(raw: string, schema: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new CmdaiError(ExitCode.inference, `the model's ${what} is not valid JSON`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    throw new CmdaiError(
      ExitCode.inference,
      `the model's ${what} was rejected: ${where}${issue.message}`,
    );
  }
  return result.data;
}
