/**
 * What the remote backends (Ollama, OpenAI-compatible servers) share: their
 * options, the prompt as chat messages, one `fetch` wrapper whose failures are
 * one-line {@link CmdaiError}s naming the server and the fix, and a streamed
 * body read line by line.
 *
 * No retries and no fallback: a failure is reported as it happened.
 *
 * @module
 */

import { CmdaiError, ExitCode, oneLine } from "../errors.ts";
import { isHttpUrl } from "../settings.ts";
import type { Backend, GenerateOptions, Generation, Prompt } from "./backend.ts";

/** Where a remote model is served, and how to authenticate. */
export interface RemoteOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:11434`. */
  url: string;
  /** The model's name on the server. */
  model: string;
  /** Sent as `Authorization: Bearer <key>` when set; never shown in a message. */
  apiKey?: string;
  /** Only the name of the environment variable the key came from, for messages. */
  apiKeyEnv?: string;
}

/** One chat message, as both protocols take it. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** The prompt as chat messages: the system message, each example turn, then the request. */
export function chatMessages(prompt: Prompt): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: "system", content: prompt.system }];
  for (const turn of prompt.turns) {
    messages.push({ role: "user", content: turn.user }, { role: "assistant", content: turn.reply });
  }
  messages.push({ role: "user", content: prompt.request });
  return messages;
}

/**
 * Checks a base URL and drops trailing slashes; anything but http(s) is a usage
 * error up front, rather than an obscure one from `fetch` later.
 */
export function baseUrl(url: string): string {
  if (!isHttpUrl(url)) {
    throw new CmdaiError(
      ExitCode.usage,
      `the server address must be an http:// or https:// URL, not "${
        oneLine(url)
      }" (--url or CMDAI_URL sets it)`,
    );
  }
  return url.replace(/\/+$/, "");
}

/** A URL as messages show it: without any credentials written into it. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = "";
    u.password = "";
    return u.href.replace(/\/+$/, "");
  } catch {
    return oneLine(url);
  }
}

/** Everything a message about one server needs, and what tells its protocol apart. */
export interface Server {
  /** The backend's kind, as messages name it: `ollama` or `openai`. */
  kind: string;
  /** Base URL, without a trailing slash. */
  url: string;
  options: RemoteOptions;
  /** How the fix for a missing model reads, e.g. `ollama pull x, or set CMDAI_REMOTE_MODEL`. */
  modelHint: string;
  /** What a 404 for something else than the model suggests, e.g. `is it an Ollama server?`. */
  wrongServerHint: string;
}

/** `ollama at http://…`: how every message names the server. */
export function serverName(server: Server): string {
  return `${server.kind} at ${shownUrl(server.url)}`;
}

/** Longest server message quoted in an error. */
const MAX_QUOTED = 300;

/** Error bodies are read up to this size; a larger one is not an error message. */
const MAX_ERROR_BODY = 64 * 1024;

/** A server's text fit for a message: one line, not too long, and never the API key. */
export function quote(text: string, options: RemoteOptions): string {
  let line = oneLine(text);
  if (options.apiKey) line = line.replaceAll(options.apiKey, "***");
  return line.length > MAX_QUOTED ? `${line.slice(0, MAX_QUOTED - 1)}…` : line;
}

/**
 * The message in an error body, in any of the shapes servers use: Ollama's
 * `{"error": "…"}`, OpenAI's `{"error": {"message": "…"}}`, vLLM's older
 * `{"message": "…"}`, FastAPI's `{"detail": "…"}`; otherwise the text itself.
 */
export function errorMessage(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return body;
  }
  const o = json as Record<string, unknown> | null;
  const error = o?.error as Record<string, unknown> | string | undefined;
  if (typeof error === "string") return error;
  if (typeof error?.message === "string") return error.message;
  if (typeof o?.message === "string") return o.message;
  if (typeof o?.detail === "string") return o.detail;
  return body;
}

/** The error code in an OpenAI-shaped error body (`model_not_found`), if any. */
function errorCode(body: string): string | undefined {
  try {
    const json = JSON.parse(body);
    const code = json?.error?.code ?? json?.code;
    return code === undefined || code === null ? undefined : String(code);
  } catch {
    return undefined;
  }
}

/** Why a connection failed, in a few words, from what `fetch` threw. */
function connectionFailure(e: unknown): string {
  const err = e as Error & { cause?: { message?: string } };
  const text = `${err?.message ?? e} ${err?.cause?.message ?? ""}`;
  if (/connection refused/i.test(text)) return "connection refused";
  if (/dns error|failed to lookup|name or service not known|nodename nor servname/i.test(text)) {
    return "host not found";
  }
  if (/connection reset/i.test(text)) return "connection reset";
  if (/reading a body|connection closed|unexpected eof|incomplete message/i.test(text)) {
    return "connection lost";
  }
  if (/timed out/i.test(text)) return "timed out";
  if (/certificate|tls|ssl/i.test(text)) return "TLS handshake failed";
  // The URL in Deno's message may carry credentials; the rest is the reason.
  return oneLine(String(err?.cause?.message ?? err?.message ?? e))
    .replace(/error sending request for url \([^)]*\):?\s*/i, "") || "unknown error";
}

/** The model the server says it lacks. */
export function modelMissing(server: Server): CmdaiError {
  return new CmdaiError(
    ExitCode.model,
    `${serverName(server)} has no model "${oneLine(server.options.model)}" (${server.modelHint})`,
  );
}

/** A body that is not the protocol: the address is likely some other server. */
export function protocolError(server: Server, what: string): CmdaiError {
  return new CmdaiError(
    ExitCode.inference,
    `${
      serverName(server)
    } did not answer in its protocol (${what}): is CMDAI_URL the right address?`,
  );
}

/** A stream that stopped short of its end: the connection was lost, or the server gave up. */
export function brokeOff(server: Server, why: string): CmdaiError {
  return new CmdaiError(ExitCode.inference, `${serverName(server)} broke off the reply (${why})`);
}

/** An error the server reported in a 200 response, mid-stream. */
export function serverError(server: Server, message: string): CmdaiError {
  return new CmdaiError(
    ExitCode.inference,
    `${serverName(server)} failed: ${quote(message, server.options)}`,
  );
}

/** The error for a response with a failing status. */
async function statusError(server: Server, path: string, response: Response): Promise<CmdaiError> {
  const body = await readLimited(response, MAX_ERROR_BODY).catch(() => "");
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  const said = quote(errorMessage(body), server.options);
  const because = said ? ` (${said})` : "";
  const { apiKey, apiKeyEnv } = server.options;
  if (response.status === 401 || response.status === 403) {
    const fix = apiKey
      ? `check the API key${apiKeyEnv ? ` in ${apiKeyEnv}` : ""}`
      : `no API key was set${apiKeyEnv ? ` (set ${apiKeyEnv})` : ""}`;
    return new CmdaiError(
      ExitCode.runtime,
      `${serverName(server)} answered ${status}${because}: ${fix}`,
    );
  }
  if (response.status === 404) {
    // A 404 about the model (Ollama, vLLM, OpenAI, llama-server all name it) is a missing
    // model; any other 404 means the path itself is unknown there: not the right server.
    if (errorCode(body) === "model_not_found" || /model/i.test(errorMessage(body))) {
      return modelMissing(server);
    }
    return new CmdaiError(
      ExitCode.inference,
      `${serverName(server)} answered ${status} for ${path}${because}: ${server.wrongServerHint}`,
    );
  }
  return new CmdaiError(ExitCode.inference, `${serverName(server)} answered ${status}${because}`);
}

/** Reads a body as text, up to `limit` bytes (the rest is cancelled). */
async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) all.set(c, at), at += c.length;
  return new TextDecoder().decode(all.subarray(0, limit));
}

/** A request to one of the server's paths. */
export interface RemoteRequest {
  method: "GET" | "POST";
  /** Path below the base URL, e.g. `/api/chat`. */
  path: string;
  /** JSON body, for POST. */
  body?: unknown;
  /** The `Accept` header. */
  accept?: string;
  signal?: AbortSignal;
}

/**
 * Sends one request and returns the response once its status is good. A
 * connection failure, a failing status or an abort never escapes as anything
 * but a one-line {@link CmdaiError}, or the signal's reason once aborted.
 */
export async function request(server: Server, req: RemoteRequest): Promise<Response> {
  const headers: Record<string, string> = { accept: req.accept ?? "application/json" };
  if (req.body !== undefined) headers["content-type"] = "application/json";
  if (server.options.apiKey) headers.authorization = `Bearer ${server.options.apiKey}`;
  let response: Response;
  try {
    response = await fetch(server.url + req.path, {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: req.signal,
    });
  } catch (e) {
    req.signal?.throwIfAborted();
    throw new CmdaiError(
      ExitCode.runtime,
      `cannot reach ${serverName(server)} (${
        connectionFailure(e)
      }): is the server running? (CMDAI_URL sets the address)`,
    );
  }
  if (!response.ok) {
    const error = await statusError(server, req.path, response);
    req.signal?.throwIfAborted();
    throw error;
  }
  return response;
}

/** Longest line accepted from a stream; a longer one is not the protocol. */
const MAX_LINE = 1024 * 1024;

/**
 * The body's lines, as they arrive (without `\n` or `\r`), the last one even
 * without a newline. A connection lost mid-stream is a one-line error; an
 * abort rejects with the signal's reason. The body is cancelled when the
 * caller stops early.
 */
export async function* lines(
  server: Server,
  response: Response,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    while (true) {
      let chunk: ReadableStreamReadResult<string>;
      try {
        chunk = await reader.read();
      } catch (e) {
        signal?.throwIfAborted();
        throw brokeOff(server, connectionFailure(e));
      }
      if (chunk.done) break;
      buffer += chunk.value;
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        yield buffer.slice(0, newline).replace(/\r$/, "");
        buffer = buffer.slice(newline + 1);
      }
      if (buffer.length > MAX_LINE) throw protocolError(server, "a line that never ends");
    }
    if (buffer) yield buffer.replace(/\r$/, "");
  } finally {
    // Stopping early (an error, an abort) must close the connection, not leave it open.
    reader.cancel().catch(() => {});
  }
}

/**
 * Parses one line of JSON from the stream; a line that is not JSON means the
 * server does not speak the protocol.
 */
export function parseLine(server: Server, line: string): Record<string, unknown> {
  try {
    const value = JSON.parse(line);
    if (value && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {
    // Reported below.
  }
  throw protocolError(
    server,
    `a line is not a JSON object: ${quote(line.slice(0, 60), server.options)}`,
  );
}

/**
 * A remote backend: what both protocols share (its fields, one abort for
 * `dispose()` that every request in flight also listens to), around `stream`,
 * which sends one request and reads its streamed reply.
 */
export function remoteBackend(
  server: Server,
  stream: (prompt: Prompt, options: GenerateOptions, signal: AbortSignal) => Promise<Generation>,
): Backend {
  // Aborted by dispose(), so that nothing is left in flight.
  const own = new AbortController();
  return {
    kind: server.kind,
    model: server.options.model,
    url: server.url,
    gpu: "remote",
    generate: (prompt, options) =>
      stream(
        prompt,
        options,
        options.signal ? AbortSignal.any([options.signal, own.signal]) : own.signal,
      ),
    dispose() {
      own.abort(new CmdaiError(ExitCode.runtime, `the ${serverName(server)} backend was closed`));
      return Promise.resolve();
    },
  };
}

/** A count from the server, or 0 when it sent none. */
export function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}
