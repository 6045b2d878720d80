/**
 * What a command does, part by part, for `cmdai explain` and the shells'
 * explain key: its own prompt and reply contract (grammar and schema, like
 * the command reply's), validated with zod.
 *
 * @module
 */

import { z } from "zod";
import type { Backend, Contract, Prompt } from "../backends/backend.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import { gatherContext, type Shell } from "./context.ts";
import { MAX_COMMAND_CHARS, parseModelJson, UNSAFE_CHARS } from "./reply.ts";

/** At most this many parts: a command with more is summarised, not itemised. */
export const MAX_PARTS = 12;

const text = (max: number) =>
  z.string().trim().min(1).max(max).refine(
    (s) => !UNSAFE_CHARS.test(s) && !s.includes("\n"),
    "control characters",
  );

/** The validated description. */
export const DescriptionSchema = z.strictObject({
  summary: text(500),
  parts: z.array(z.strictObject({ part: text(300), meaning: text(300) })).max(MAX_PARTS),
});

/** A description that passed {@link DescriptionSchema}. */
export type Description = z.infer<typeof DescriptionSchema>;

const STRING = '"\\"" char+ "\\""';

/** The description's shape: a summary, then up to {@link MAX_PARTS} parts. */
export const DESCRIPTION_CONTRACT: Contract = {
  name: "description",
  grammar: String
    .raw`root ::= "{" ws "\"summary\"" ws ":" ws str ws "," ws "\"parts\"" ws ":" ws "[" ws ( part ( ws "," ws part ){0,${
    MAX_PARTS - 1
  }} )? ws "]" ws "}"
part ::= "{" ws "\"part\"" ws ":" ws str ws "," ws "\"meaning\"" ws ":" ws str ws "}"
str ::= ${STRING}
ws ::= " "?
char ::= [^"\\\x00-\x1f] | "\\" ["\\/bfnrt] | "\\u" [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F]
`,
  // Lengths and counts are left to zod: OpenAI's strict mode refuses those keywords.
  schema: {
    type: "object",
    properties: {
      summary: { type: "string" },
      parts: {
        type: "array",
        items: {
          type: "object",
          properties: {
            part: { type: "string" },
            meaning: { type: "string" },
          },
          required: ["part", "meaning"],
          additionalProperties: false,
        },
      },
    },
    required: ["summary", "parts"],
    additionalProperties: false,
  },
};

/** One worked example, in the contract's exact form. */
const EXAMPLE: { command: string; description: Description } = {
  command: "find . -name '*.log' -mtime +7 -delete",
  description: {
    summary: "Deletes the .log files below this directory that are more than 7 days old.",
    parts: [
      { part: "find .", meaning: "search this directory and everything below it" },
      { part: "-name '*.log'", meaning: "files whose name ends in .log" },
      { part: "-mtime +7", meaning: "last modified more than 7 days ago" },
      { part: "-delete", meaning: "delete each file found, without asking" },
    ],
  },
};

/** The description as the model should write it: compact, with one space after `:` and `,`. */
function descriptionText(d: Description): string {
  const parts = d.parts.map((p) =>
    `{"part": ${JSON.stringify(p.part)}, "meaning": ${JSON.stringify(p.meaning)}}`
  );
  return `{"summary": ${JSON.stringify(d.summary)}, "parts": [${parts.join(", ")}]}`;
}

/** The prompt that asks what `command` does, in `shell` on this system. */
export function buildDescribePrompt(command: string, shell: Shell, cwd?: string): Prompt {
  if (command.length > MAX_COMMAND_CHARS) {
    throw new CmdaiError(
      ExitCode.usage,
      `the command is too long to explain (${command.length} characters; at most ${MAX_COMMAND_CHARS})`,
    );
  }
  const ctx = gatherContext(shell, undefined, cwd);
  const system = [
    "You explain a shell command to the user who is about to run it.",
    `Shell: ${ctx.shell}. System: ${ctx.osName} with ${ctx.userland} command-line tools.`,
    'Reply with JSON only: {"summary": "...", "parts": [{"part": "...", "meaning": "..."}]}.',
    "The summary is one sentence on what the command does. Parts: each program, option and argument that matters, in order, as written, with a short meaning.",
    "Say plainly when it deletes, overwrites, sends data elsewhere or needs root.",
  ].join("\n");
  return {
    system,
    turns: [{ user: EXAMPLE.command, reply: descriptionText(EXAMPLE.description) }],
    request: command,
  };
}

/** Parses and validates the model's raw text; a bad reply is an inference error. */
export function parseDescription(raw: string): Description {
  return parseModelJson(raw, DescriptionSchema, "description");
}

/** A description and what it cost. */
export interface Described {
  description: Description;
  generateMs: number;
  tokens: { prompt: number; output: number };
}

/** Replies are cut off after this many tokens: twelve short parts fit well within it. */
export const MAX_DESCRIPTION_TOKENS = 512;

/**
 * Asks the backend what `command` does. The command's rating is not the
 * model's business: the caller rates it apart, so it stands whatever the
 * model does.
 */
export async function describeCommand(
  command: string,
  shell: Shell,
  backend: Backend,
  signal?: AbortSignal,
  cwd?: string,
  maxTokens = MAX_DESCRIPTION_TOKENS,
): Promise<Described> {
  const prompt = buildDescribePrompt(command, shell, cwd);
  const started = performance.now();
  const generation = await backend.generate(prompt, {
    maxTokens,
    contract: DESCRIPTION_CONTRACT,
    signal,
  });
  if (generation.cutOff) {
    throw new CmdaiError(
      ExitCode.inference,
      `the model's description was cut off at ${maxTokens} tokens`,
    );
  }
  return {
    description: parseDescription(generation.text),
    generateMs: performance.now() - started,
    tokens: { prompt: generation.promptTokens, output: generation.outputTokens },
  };
}
