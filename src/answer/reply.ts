/**
 * The model's reply contract, validated with zod: `{"command": "…",
 * "explanation": "…"}`, explanation optional. Also the grammar that constrains
 * generation to that shape, so a small model cannot wander off into prose.
 *
 * @module
 */

import { z } from "zod";
import { CmdaiError, ExitCode } from "../errors.ts";
import type { Contract } from "../backends/backend.ts";

/** Longest command accepted; a longer one is a runaway generation, not a command. */
export const MAX_COMMAND_CHARS = 2000;

/**
 * C0 controls except newline and tab, DEL, C1 controls, and bidi overrides:
 * an escape sequence would act on the terminal, and bidi controls can make a
 * command read differently from what runs.
 */
// deno-lint-ignore no-control-regex
export const UNSAFE_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The validated reply. */
export const ReplySchema = z.strictObject({
  command: z.string().trim().min(1, "the command is empty").max(MAX_COMMAND_CHARS)
    .refine((s) => !UNSAFE_CHARS.test(s), "the command contains control characters")
    // U+FFFD is what broken UTF-8 from the model decodes to.
    .refine((s) => !s.includes("\uFFFD"), "the command is not valid UTF-8 text"),
  explanation: z.string().trim().max(500)
    .refine((s) => !UNSAFE_CHARS.test(s) && !s.includes("\n"), {
      message: "the explanation contains control characters",
    }).optional(),
});

/** A reply that passed {@link ReplySchema}. */
export type Reply = z.infer<typeof ReplySchema>;

/**
 * GBNF for the reply: the keys in order, explanation optional, at most one
 * space around the punctuation, and strings that cannot hold raw control
 * characters (escapes are allowed and checked after parsing).
 */
export const REPLY_GRAMMAR = String
  .raw`root ::= "{" ws "\"command\"" ws ":" ws "\"" char+ "\"" ( ws "," ws "\"explanation\"" ws ":" ws "\"" char* "\"" )? ws "}"
ws ::= " "?
char ::= [^"\\\x00-\x1f] | "\\" ["\\/bfnrt] | "\\u" [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F]
`;

/**
 * The same without the explanation: a reply that ends after the command, for
 * when nobody reads it (`CMDAI_EXPLAIN=0`); each token costs ~0.1 s on a CPU.
 */
export const COMMAND_ONLY_GRAMMAR = REPLY_GRAMMAR.replace(
  /\( ws "," ws "\\"explanation\\"" ws ":" ws "\\"" char\* "\\"" \)\? /,
  "",
);

// Plain types only: lengths are zod's to check, and OpenAI's strict mode refuses those keywords.
const REPLY_SCHEMA = {
  type: "object",
  properties: {
    command: { type: "string" },
    explanation: { type: "string" },
  },
  required: ["command", "explanation"],
  additionalProperties: false,
};

/** A command and a one-sentence explanation. */
export const REPLY_CONTRACT: Contract = {
  name: "reply",
  grammar: REPLY_GRAMMAR,
  schema: REPLY_SCHEMA,
};

/** The command alone. */
export const COMMAND_ONLY_CONTRACT: Contract = {
  name: "command-only",
  grammar: COMMAND_ONLY_GRAMMAR,
  schema: {
    ...REPLY_SCHEMA,
    properties: { command: REPLY_SCHEMA.properties.command },
    required: ["command"],
  },
};

/** Parses and validates the model's raw text; a bad reply is an inference error. */
export function parseReply(raw: string): Reply {
  return parseModelJson(raw, ReplySchema, "reply");
}

/**
 * Parses the model's raw JSON and validates it against `schema`; anything
 * else is an inference error that names `what` and the first problem.
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
