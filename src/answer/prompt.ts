/**
 * Builds the chat prompt: a short system message with the context, a few
 * worked examples as earlier turns, and the user's request.
 *
 * Kept small (≈ 600 tokens with Qwen's tokenizer) because on a CPU every
 * prompt token costs prefill time on a cold request. What changes from one
 * request to the next (the directory, the aids) is in the user's turn alone,
 * so a resident model keeps the rest evaluated.
 *
 * @module
 */

import { type Ask, cleanRequest } from "./ask.ts";
import type { Context, Shell } from "./context.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import type { Prompt } from "../backends/backend.ts";
import { replyText } from "./reply.ts";
import { type Aids, NO_AIDS } from "./aids.ts";
import { type Alternatives, formatGrounding } from "../grounding/mod.ts";

/**
 * Longest request accepted: with the system message and examples it must fit
 * the 2,048-token context with room for the reply.
 */
export const MAX_REQUEST_CHARS = 2000;

/** One worked example: a request and the reply the model should give. */
export interface Example {
  request: string;
  command: string;
  explanation: string;
}

/** At most this many earlier offers are listed; older ones matter less than the room they take. */
export const MAX_OFFERED = 5;

const SYNTAX: Record<Shell, string> = {
  zsh: "zsh syntax (POSIX-like; globs such as **/*.txt work)",
  bash: "bash syntax",
  fish:
    "fish syntax: `and`/`or`/`not` or &&/||, `set VAR value` (never VAR=value), `(cmd)` for command substitution, no heredocs",
};

const COMMON: Example[] = [
  { request: "list all files", command: "ls -la", explanation: "List all files, hidden ones too" },
  {
    request: "undo my last commit but keep the changes",
    command: "git reset --soft HEAD~1",
    explanation: "Move HEAD back one commit, keeping its changes staged",
  },
  {
    request: userTurn({ request: "sort by size, biggest first", command: "ls -la" }),
    command: "ls -laS",
    explanation: "List all files, biggest first",
  },
  {
    request: withContext(
      {
        ...NO_AIDS,
        recent: ["docker build -t app .", "docker tag app registry.example.com/app:1.4"],
      },
      { request: "push the image I just tagged" },
    ),
    command: "docker push registry.example.com/app:1.4",
    explanation: "Push the image tagged last to its registry",
  },
];

/** A row of installed alternatives: `grep, rg`, or `rg (no grep)` when the usual one is missing. */
function alternativesText(row: Alternatives): string {
  const text = row.installed.join(", ");
  return row.installed.includes(row.usual) ? text : `${text} (no ${row.usual})`;
}

/**
 * The aids as lines before the request: the recent commands marked as
 * context, the installed alternatives, the tldr examples. None for no aids.
 */
function contextLines(aids: Aids): string[] {
  const lines: string[] = [];
  if (aids.recent.length > 0) {
    lines.push("Recent commands (context, not the request):", ...aids.recent.map((c) => `$ ${c}`));
  }
  if (aids.alternatives.length > 0) {
    lines.push(`Installed here: ${aids.alternatives.map(alternativesText).join("; ")}`);
  }
  const examples = formatGrounding(aids.grounding);
  if (examples) lines.push(examples);
  return lines;
}

function exampleFor(ctx: Context): Example {
  if (ctx.shell === "fish") {
    return {
      request: "set EDITOR to vim for this session",
      command: "set -gx EDITOR vim",
      explanation: "Export EDITOR=vim in the current fish session",
    };
  }
  return ctx.userland === "BSD"
    ? {
      request: "find the 10 biggest files here",
      command: "find . -type f -exec du -k {} + | sort -rn | head -n 10",
      explanation: "Sizes of all files below here in KiB, biggest ten first",
    }
    : {
      request: "find the 10 biggest files here",
      command: "find . -type f -printf '%s %p\\n' | sort -rn | head -n 10",
      explanation: "Sizes of all files below here in bytes, biggest ten first",
    };
}

/**
 * The user's turn for an ask. The command to revise and the instruction are
 * labelled apart, so the model cannot take one for the other; earlier offers
 * are listed so that it gives another.
 */
export function userTurn(ask: Ask): string {
  const lines = ask.command === undefined
    ? [ask.request]
    : [`Revise this command: ${ask.command}`, `Instruction: ${ask.request}`];
  const offered = (ask.offered ?? []).slice(-MAX_OFFERED);
  if (offered.length > 0) {
    lines.push(
      "Already suggested (reply with a different command):",
      ...offered.map((c) => `- ${c}`),
    );
  }
  return lines.join("\n");
}

/**
 * The user's turn with the aids before it; after them, a request in words is
 * labelled, so that it cannot be read as one more line of context.
 */
function withContext(aids: Aids, ask: Ask): string {
  const lines = contextLines(aids);
  if (lines.length === 0) return userTurn(ask);
  return [...lines, (ask.command === undefined ? "Request: " : "") + userTurn(ask)].join("\n");
}

/** An ask too long to fit the context is a usage error, found before any model is loaded. */
export function checkLength(ask: Ask): void {
  const chars = ask.request.length + (ask.command?.length ?? 0);
  if (chars > MAX_REQUEST_CHARS) {
    throw new CmdaiError(
      ExitCode.usage,
      `the request is too long (${chars} characters; at most ${MAX_REQUEST_CHARS})`,
    );
  }
}

/**
 * Builds the prompt for one ask in its context, with the aids gathered for it;
 * an ask too long to fit is a usage error.
 */
export function buildPrompt(ask: Ask, ctx: Context, aids: Aids = NO_AIDS): Prompt {
  checkLength(ask);
  const request = withContext(aids, { ...ask, request: cleanRequest(ask.request) });
  // The system message and examples are the same for every request in a shell, so a resident
  // model keeps them evaluated; what changes (the directory) goes into the user's turn.
  const system = [
    "You turn a request into one shell command for the user's prompt line. The user reads it before running it.",
    `Shell: ${ctx.shell}, ${SYNTAX[ctx.shell]}.`,
    `System: ${ctx.osName} with ${ctx.userland} command-line tools.`,
    "Recent commands, installed programs and examples from the tldr pages may come before the request: context, not the request. The last line names the current directory.",
    "Reply with the command alone on the first line, exactly as it is to be typed, then a second line: # and one short sentence saying what it does.",
    "Prefer safe, standard commands. Never add sudo unless asked. If the request is already a command, improve or fix it.",
  ].join("\n");
  return {
    system,
    turns: [...COMMON, exampleFor(ctx)].map((ex) => ({
      user: ex.request,
      reply: exampleReply(ex),
    })),
    request: `${request}\n(current directory: ${ctx.cwd})`,
  };
}

/** The assistant turn for an example, in the reply contract's exact form. */
export function exampleReply(ex: Example): string {
  return replyText(ex);
}
