/**
 * A local HTTP server that answers like Ollama and like an OpenAI-compatible
 * server at once, for the remote backends' tests without a model.
 *
 * Routes:
 * - `POST /api/chat`: JSON lines, `message.content` pieces, then a line with
 *   `done: true`, `done_reason`, `prompt_eval_count`, `eval_count`.
 * - `GET /api/tags`: `{models: [{name, model}]}`.
 * - `POST /v1/chat/completions`: server-sent events, `choices[0].delta.content`
 *   pieces, a chunk with `finish_reason`, a `usage` chunk, `data: [DONE]`; or, with
 *   `whole`, one `chat.completion` JSON body.
 * - `GET /v1/models`: `{object: "list", data: [{id}]}`.
 *
 * The reply is the fixture text set by the test, sent in small chunks. Faults
 * are switched on through {@link LlmBehaviour}. Every request is recorded.
 *
 * @module
 */

/** Faults and settings; change them between requests. */
export interface LlmBehaviour {
  /** The reply text the "model" streams. */
  reply: string;
  /** Model names served; a request for another gets each protocol's 404. Default `["qwen2.5-coder:7b"]`. */
  models?: string[];
  /** Characters per streamed piece. Default 4. */
  chunkChars?: number;
  /** Pause before each piece after the first, in milliseconds. */
  chunkDelayMs?: number;
  /** Pause before the response headers, in milliseconds. */
  headerDelayMs?: number;
  /** Answer every request with this status (401, 403, 500, …) in the protocol's error shape. */
  status?: number;
  /** The message in that error body. */
  statusMessage?: string;
  /** Require `Authorization: Bearer <key>`; anything else gets 401. */
  key?: string;
  /** Stop the reply as cut off by the token limit (`length`). */
  cutOff?: boolean;
  /**
   * Send a body that is not the protocol: `html` (a web page with status 200),
   * `truncated` (the reply, then the stream ends without its final line),
   * `drop` (the connection breaks mid-stream), `error` (a mid-stream error object).
   */
  broken?: "html" | "truncated" | "drop" | "error";
  /** Ignore `stream: true` and answer one whole JSON completion (as some servers and proxies do). */
  whole?: boolean;
}

/** One request the server received. */
export interface LlmRequest {
  method: string;
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The parsed JSON body, for POSTs. */
  body?: Record<string, unknown>;
  /** Reply pieces streamed for this request so far. */
  pieces: number;
}

/** A running fake server. */
export interface LlmServer {
  /** Base URL, e.g. `http://127.0.0.1:43123`. */
  url: string;
  /** Every request so far, oldest first. */
  requests: LlmRequest[];
  behaviour: LlmBehaviour;
  /** Reply pieces sent so far (over all requests): shows a stream was under way. */
  piecesSent: number;
  close(): Promise<void>;
}

/** The default model served. */
export const TEST_MODEL = "qwen2.5-coder:7b";

const encoder = new TextEncoder();

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** Resolves after `ms`, or at once when `signal` aborts (the client went away, or the server closes). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal.aborted) return done();
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener("abort", finish);
      done();
    }
    signal.addEventListener("abort", finish);
  });
}

/** Splits text into pieces of `size` characters (code points, so no surrogate is split). */
function pieces(text: string, size: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(""));
  return out;
}

/** Starts the fake server on 127.0.0.1, on a free port. */
export function startLlmServer(behaviour: LlmBehaviour): LlmServer {
  const requests: LlmRequest[] = [];
  const server: LlmServer = {
    url: "",
    requests,
    behaviour,
    piecesSent: 0,
    close: async () => {
      closing.abort();
      await http.shutdown();
    },
  };
  // Ends every pause at once on close, so that no handler keeps the server (or a test) waiting.
  const closing = new AbortController();

  type Protocol = "ollama" | "openai";

  /** The error body each protocol's real servers send. */
  const error = (protocol: Protocol, status: number, message: string): Response =>
    protocol === "ollama" ? json(status, { error: message }) : json(status, {
      error: {
        message,
        type: status === 404 ? "NotFoundError" : status === 401 ? "AuthenticationError" : "Error",
        param: null,
        code: status,
      },
    });

  /**
   * A streamed body: `lines` sent one by one, the reply's pieces paced as configured. With
   * `drop`, a Content-Length beyond the lines makes the connection break after them.
   */
  const stream = (lines: string[], type: string, record: LlmRequest, drop = false): Response => {
    let i = 0;
    // Ends the pause in progress when the client goes away.
    const gone = new AbortController();
    const signal = AbortSignal.any([gone.signal, closing.signal]);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (i > 0 && server.behaviour.chunkDelayMs) {
          await sleep(server.behaviour.chunkDelayMs, signal);
        }
        if (signal.aborted || i >= lines.length) return controller.close();
        controller.enqueue(encoder.encode(lines[i++]));
        server.piecesSent++;
        record.pieces++;
      },
      cancel() {
        gone.abort();
      },
    });
    const headers: Record<string, string> = { "content-type": type };
    if (drop) {
      const length = lines.reduce((n, line) => n + encoder.encode(line).length, 0);
      headers["content-length"] = String(length + 100);
    }
    return new Response(body, { headers });
  };

  const ollamaChat = (body: Record<string, unknown>, record: LlmRequest): Response => {
    const b = server.behaviour;
    const model = String(body.model);
    const texts = pieces(b.reply, b.chunkChars ?? 4);
    const lines = texts.map((content) =>
      JSON.stringify({
        model,
        created_at: new Date().toISOString(),
        message: { role: "assistant", content },
        done: false,
      }) + "\n"
    );
    if (b.broken === "error") {
      lines.push(JSON.stringify({ error: "an error occurred mid-stream" }) + "\n");
    } else if (!b.broken) {
      lines.push(
        JSON.stringify({
          model,
          created_at: new Date().toISOString(),
          message: { role: "assistant", content: "" },
          done: true,
          done_reason: b.cutOff ? "length" : "stop",
          total_duration: 1000,
          prompt_eval_count: 321,
          eval_count: texts.length,
        }) + "\n",
      );
    }
    return stream(lines, "application/x-ndjson", record, b.broken === "drop");
  };

  const openaiChat = (body: Record<string, unknown>, record: LlmRequest): Response => {
    const b = server.behaviour;
    const model = String(body.model);
    if (b.whole) {
      return json(200, {
        id: "chatcmpl-test",
        object: "chat.completion",
        created: 1,
        model,
        choices: [{
          index: 0,
          message: { role: "assistant", content: b.reply },
          finish_reason: b.cutOff ? "length" : "stop",
        }],
        usage: { prompt_tokens: 321, completion_tokens: 7, total_tokens: 328 },
      });
    }
    const base = { id: "chatcmpl-test", object: "chat.completion.chunk", created: 1, model };
    const event = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
    const texts = pieces(b.reply, b.chunkChars ?? 4);
    const lines = [
      ": keep-alive\n\n",
      event({
        ...base,
        choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
      }),
      ...texts.map((content) =>
        event({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] })
      ),
    ];
    if (b.broken === "error") {
      lines.push(event({ error: { message: "an error occurred mid-stream", code: 500 } }));
    } else if (!b.broken) {
      lines.push(
        event({
          ...base,
          choices: [{ index: 0, delta: {}, finish_reason: b.cutOff ? "length" : "stop" }],
        }),
        event({
          ...base,
          choices: [],
          usage: { prompt_tokens: 321, completion_tokens: texts.length, total_tokens: 0 },
        }),
        "data: [DONE]\n\n",
      );
    }
    return stream(lines, "text/event-stream", record, b.broken === "drop");
  };

  const handle = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => headers[k] = v);
    const record: LlmRequest = { method: req.method, path: url.pathname, headers, pieces: 0 };
    requests.push(record);
    if (req.method === "POST") record.body = await req.json().catch(() => undefined);
    const b = server.behaviour;
    if (b.headerDelayMs) await sleep(b.headerDelayMs, closing.signal);

    const route = `${req.method} ${url.pathname}`;
    const protocol: Protocol = url.pathname.startsWith("/api/") ? "ollama" : "openai";
    const models = b.models ?? [TEST_MODEL];
    if (b.key && headers.authorization !== `Bearer ${b.key}`) {
      return error(
        protocol,
        401,
        protocol === "ollama" ? "unauthorized" : "Invalid API key provided.\nCheck your key.",
      );
    }
    if (b.status) return error(protocol, b.status, b.statusMessage ?? `test failure ${b.status}`);
    if (b.broken === "html" && req.method === "POST") {
      return new Response("<!DOCTYPE html>\n<html><body>Hello</body></html>\n", {
        headers: { "content-type": "text/html" },
      });
    }

    const body = record.body ?? {};
    switch (route) {
      case "GET /api/tags":
        return json(200, {
          models: models.map((name) => ({ name, model: name, size: 1, digest: "0" })),
        });
      case "GET /v1/models":
        return json(200, {
          object: "list",
          data: models.map((id) => ({ id, object: "model", owned_by: "test" })),
        });
      case "POST /api/chat":
        if (!models.includes(String(body.model))) {
          return error("ollama", 404, `model "${body.model}" not found, try pulling it first`);
        }
        return ollamaChat(body, record);
      case "POST /v1/chat/completions":
        if (!models.includes(String(body.model))) {
          return error("openai", 404, `The model \`${body.model}\` does not exist.`);
        }
        return openaiChat(body, record);
    }
    return new Response("404 page not found", { status: 404 });
  };

  const http = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handle);
  server.url = `http://127.0.0.1:${http.addr.port}`;
  return server;
}
