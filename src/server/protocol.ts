/**
 * The resident server's protocol: one JSON object per line over a Unix socket
 * in the user's private runtime directory, validated with zod on both ends.
 *
 * A client sends one message: a request (the parsed invocation, its working
 * directory and the environment that shapes it), `status` or `stop`. For a
 * request the server streams `stdout` and `stderr` text and ends with `exit`,
 * exactly what the same request run in-process would write and return.
 *
 * @module
 */

import { join } from "node:path";
import { z } from "zod";
import { AnswerArgs } from "../answer/args.ts";

/** Bumped whenever a message changes shape; both ends refuse another version. */
export const PROTOCOL_VERSION = 2;

/** The longest message line either end accepts. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** The server's files in the runtime directory. */
export function serverPaths(dir: string): { socket: string; lock: string; log: string } {
  return {
    socket: join(dir, "server.sock"),
    lock: join(dir, "server.lock"),
    log: join(dir, "server.log"),
  };
}

const Version = z.literal(PROTOCOL_VERSION);

/** What a client sends. */
export const ClientMessage = z.discriminatedUnion("type", [
  z.strictObject({
    v: Version,
    type: z.literal("request"),
    /** A request for a command, or for what a command does (`cmdai explain`). */
    args: AnswerArgs,
    cwd: z.string(),
    /** The client's stdout is a terminal that takes colour. */
    colour: z.boolean(),
    /**
     * `lines` (default): the messages below. `widget`, for a shell that talks to the socket
     * itself: once done, the widget frame (`report.ts`) as it is, and the connection closes.
     */
    reply: z.enum(["lines", "widget"]).optional(),
    env: z.record(z.string(), z.string()),
  }),
  z.strictObject({ v: Version, type: z.literal("status") }),
  z.strictObject({ v: Version, type: z.literal("stop") }),
]);
/** A validated {@link ClientMessage}. */
export type ClientMessage = z.infer<typeof ClientMessage>;

/** What the server reports about itself. */
export const StatusSchema = z.strictObject({
  pid: z.number().int(),
  version: z.string(),
  /** The model file used last, if any. */
  model: z.string().nullable(),
  /** Every model file loaded now, the most recently used first. */
  models: z.array(z.string()),
  uptime_s: z.number(),
  rss_bytes: z.number(),
  requests: z.number().int(),
  mean_ms: z.number().nullable(),
  idle_s: z.number(),
});
/** A validated status. */
export type Status = z.infer<typeof StatusSchema>;

/** What the server sends. */
export const ServerMessage = z.discriminatedUnion("type", [
  z.strictObject({ v: Version, type: z.literal("stdout"), text: z.string() }),
  z.strictObject({ v: Version, type: z.literal("stderr"), text: z.string() }),
  z.strictObject({ v: Version, type: z.literal("exit"), code: z.number().int() }),
  z.strictObject({ v: Version, type: z.literal("status"), status: StatusSchema }),
  z.strictObject({ v: Version, type: z.literal("stopping") }),
  z.strictObject({ v: Version, type: z.literal("error"), message: z.string() }),
]);
/** A validated {@link ServerMessage}. */
export type ServerMessage = z.infer<typeof ServerMessage>;

/** A message without its version, which {@link send} adds. */
export type Body<T> = T extends unknown ? Omit<T, "v"> : never;

/** What either end sends. */
export type Outgoing = Body<ServerMessage> | Body<ClientMessage>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes one message as a line, with the protocol version. */
export function encode(message: Outgoing): Uint8Array {
  return encoder.encode(JSON.stringify({ v: PROTOCOL_VERSION, ...message }) + "\n");
}

/** Parses one line against `schema`; a reason fit for an error reply when it does not fit. */
export function decode<T>(
  schema: z.ZodType<T>,
  line: string,
): { ok: true; message: T } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  const v = (json as { v?: unknown })?.v;
  if (v !== PROTOCOL_VERSION) {
    return { ok: false, reason: `protocol version ${v} (this end speaks ${PROTOCOL_VERSION})` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${issue.path.join(".") || "message"}: ${issue.message}` };
  }
  return { ok: true, message: parsed.data };
}

/**
 * Reads newline-separated lines from a connection; a line longer than
 * {@link MAX_MESSAGE_BYTES} ends the stream with an error.
 */
export async function* lines(conn: Deno.Conn): AsyncGenerator<string> {
  let pending = new Uint8Array(0);
  const chunk = new Uint8Array(64 * 1024);
  while (true) {
    let n: number | null;
    try {
      n = await conn.read(chunk);
    } catch {
      return; // reset by the peer: the same as its end
    }
    if (n === null) return;
    const next = new Uint8Array(pending.length + n);
    next.set(pending);
    next.set(chunk.subarray(0, n), pending.length);
    pending = next;
    let at: number;
    while ((at = pending.indexOf(10)) >= 0) {
      yield decoder.decode(pending.subarray(0, at));
      pending = pending.subarray(at + 1);
    }
    if (pending.length > MAX_MESSAGE_BYTES) throw new TooLong();
  }
}

/** A line longer than {@link MAX_MESSAGE_BYTES}. */
export class TooLong extends Error {
  constructor() {
    super(`message longer than ${MAX_MESSAGE_BYTES} bytes`);
  }
}

/** Sends one message; false when the peer is gone. */
export function send(conn: Deno.Conn, message: Outgoing): Promise<boolean> {
  return writeAll(conn, encode(message));
}

/** Sends text as it is (the `widget` reply); false when the peer is gone. */
export function sendText(conn: Deno.Conn, text: string): Promise<boolean> {
  return writeAll(conn, encoder.encode(text));
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<boolean> {
  try {
    for (let off = 0; off < bytes.length;) off += await conn.write(bytes.subarray(off));
    return true;
  } catch {
    return false;
  }
}
