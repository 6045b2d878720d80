/**
 * What a request or an explanation is asked with, once parsed: the zod
 * schemas are the source, and the TypeScript types are inferred from them, so
 * the command line, the resident server's protocol and the pipeline cannot
 * disagree on a field. Modules on the key-press path import the types only
 * (`import type`), which keeps zod out of their start-up.
 *
 * @module
 */

import { z } from "zod";
import { MAX_KNOWN, MAX_RECENT, SESSION_ID } from "../cli.ts";
import { SHELLS } from "./context.ts";

/** Longest request or command text accepted from a client (the prompt limits it further). */
const MAX_TEXT = 64 * 1024;

const MAX_RECENT_TEXT = 4096;

/** `cmdai [flags] request…`: a command for a request. */
export const RequestArgs = z.strictObject({
  kind: z.literal("request"),
  request: z.string().max(MAX_TEXT),
  shell: z.enum(SHELLS),
  json: z.boolean(),
  /** `--widget`: the shell widget's frame (see `report.ts`). */
  widget: z.boolean(),
  /** `--enter`: the widget's Enter key; a line that asks nothing is left to the shell. */
  enter: z.boolean(),
  /** `--session ID`: the widget's shell, for "another command" on a second press. */
  session: z.string().regex(SESSION_ID).optional(),
  /** `--recent CMD`…: the shell's latest history entries, oldest first (context, not request). */
  recent: z.array(z.string().max(MAX_RECENT_TEXT)).max(MAX_RECENT).optional(),
  /** `--known NAMES`: the names of the shell's aliases and functions (they run, as programs do). */
  known: z.array(z.string().max(256)).max(MAX_KNOWN).optional(),
  /** `--print-prompt`: what the model would be sent, and no model run. */
  printPrompt: z.boolean().optional(),
});
/** A parsed request. */
export type RequestArgs = z.infer<typeof RequestArgs>;

/** `cmdai explain [flags] command…`: what a command does. */
export const ExplainArgs = z.strictObject({
  kind: z.literal("explain"),
  command: z.string().max(MAX_TEXT),
  shell: z.enum(SHELLS),
  json: z.boolean(),
  /** `--widget`: the frame for the shells' explain key, its text shown below the line. */
  widget: z.boolean(),
});
/** A parsed explanation request. */
export type ExplainArgs = z.infer<typeof ExplainArgs>;

/** Either, as the server takes them. */
export const AnswerArgs = z.discriminatedUnion("kind", [RequestArgs, ExplainArgs]);
/** A request or an explanation request. */
export type AnswerArgs = z.infer<typeof AnswerArgs>;
