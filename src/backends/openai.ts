/**
 * Inference through any OpenAI-compatible server (vLLM, llama.cpp's
 * llama-server, LM Studio): `POST /v1/chat/completions`, streamed as
 * server-sent events, the reply constrained by the contract's JSON Schema
 * (`response_format`).
 *
 * @module
 */

import type { Backend, Generation } from "./backend.ts";
import { oneLine } from "../errors.ts";
import {
  baseUrl,
  brokeOff,
  chatMessages,
  count,
  lines,
  modelMissing,
  parseLine,
  protocolError,
  quote,
  remoteBackend,
  type RemoteOptions,
  request,
  type Server,
  serverError,
  serverName,
} from "./remote.ts";

/** Models listed in a "no model" message from the check, at most. */
const MAX_LISTED = 5;

function server(options: RemoteOptions, modelHint = "set CMDAI_REMOTE_MODEL to a model it serves") {
  const url = baseUrl(options.url);
  return {
    server: {
      kind: "openai",
      url,
      options,
      modelHint,
      wrongServerHint: "is it an OpenAI-compatible server? (CMDAI_URL sets the address)",
    } satisfies Server,
    // The API lives under /v1; a URL that already names it is taken as it is.
    api: url.endsWith("/v1") ? "" : "/v1",
  };
}

/** A model on an OpenAI-compatible server; nothing is loaded here, the server does that. */
export function openaiBackend(options: RemoteOptions): Backend {
  const { server: openai, api } = server(options);
  return remoteBackend(openai, async (prompt, { maxTokens, temperature = 0, contract }, signal) => {
    const response = await request(openai, {
      method: "POST",
      path: `${api}/chat/completions`,
      accept: "text/event-stream",
      body: {
        model: options.model,
        messages: chatMessages(prompt),
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: maxTokens,
        temperature,
        response_format: {
          type: "json_schema",
          json_schema: { name: contract.name, schema: contract.schema, strict: true },
        },
      },
      signal: signal,
    });
    // Some servers and proxies ignore `stream` and send one whole completion.
    if (/^application\/json\b/i.test(response.headers.get("content-type") ?? "")) {
      return await wholeCompletion(openai, response, signal);
    }
    let text = "";
    let finish: unknown;
    let usage: Record<string, unknown> | undefined;
    let ended = false;
    for await (const line of lines(openai, response, signal)) {
      // Blank lines end events; `:` lines are comments (keep-alives); event/id/retry fields
      // carry nothing here.
      if (!line.trim() || line.startsWith(":") || /^(event|id|retry):/.test(line)) continue;
      if (!line.startsWith("data:")) {
        throw protocolError(
          openai,
          `not server-sent events: ${quote(line.slice(0, 60), options)}`,
        );
      }
      const data = line.slice(5).trim();
      if (data === "[DONE]") {
        ended = true;
        break;
      }
      const chunk = parseLine(openai, data);
      if (chunk.error !== undefined) {
        const error = chunk.error as { message?: unknown } | string;
        throw serverError(
          openai,
          typeof error === "string" ? error : String(error?.message ?? JSON.stringify(error)),
        );
      }
      const choice = (chunk.choices as Record<string, unknown>[] | undefined)?.[0];
      const content = (choice?.delta as { content?: unknown } | undefined)?.content;
      if (typeof content === "string") text += content;
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage && typeof chunk.usage === "object") {
        usage = chunk.usage as Record<string, unknown>;
      }
    }
    // Some servers close the stream without `[DONE]`; a finish reason is enough to trust it.
    if (!ended && finish === undefined) {
      signal.throwIfAborted();
      throw brokeOff(openai, "the stream ended before a finish reason or [DONE]");
    }
    return {
      text,
      cutOff: finish === "length",
      promptTokens: count(usage?.prompt_tokens),
      outputTokens: count(usage?.completion_tokens),
    };
  });
}

/** A `chat.completion` body sent whole: its first choice's message, finish reason and usage. */
async function wholeCompletion(
  openai: Server,
  response: Response,
  signal: AbortSignal,
): Promise<Generation> {
  let body: string;
  try {
    body = await response.text();
  } catch (e) {
    signal.throwIfAborted();
    throw brokeOff(openai, oneLine(String((e as Error)?.message ?? e)));
  }
  const completion = parseLine(openai, body);
  if (completion.error !== undefined) {
    const error = completion.error as { message?: unknown } | string;
    throw serverError(
      openai,
      typeof error === "string" ? error : String(error?.message ?? JSON.stringify(error)),
    );
  }
  const choice = (completion.choices as Record<string, unknown>[] | undefined)?.[0];
  const content = (choice?.message as { content?: unknown } | undefined)?.content;
  if (typeof content !== "string") throw protocolError(openai, "a completion without a message");
  const usage = completion.usage as Record<string, unknown> | undefined;
  return {
    text: content,
    cutOff: choice?.finish_reason === "length",
    promptTokens: count(usage?.prompt_tokens),
    outputTokens: count(usage?.completion_tokens),
  };
}

/**
 * Checks that the server answers and serves the model (`GET /v1/models`).
 * Resolves to a short description; throws the same one-line errors as
 * `generate`, and a missing model's lists those served.
 */
export async function checkOpenai(options: RemoteOptions, signal?: AbortSignal): Promise<string> {
  const { server: openai, api } = server(options);
  const response = await request(openai, { method: "GET", path: `${api}/models`, signal });
  let list: unknown;
  try {
    list = await response.json();
  } catch {
    signal?.throwIfAborted();
    throw protocolError(openai, `${api}/models is not JSON`);
  }
  const data = (list as { data?: unknown })?.data;
  if (!Array.isArray(data)) throw protocolError(openai, `${api}/models lists no models`);
  const ids: string[] = data.map((m) => m?.id).filter((id) => typeof id === "string");
  if (!ids.includes(options.model)) {
    const shown = ids.slice(0, MAX_LISTED).map((id) => quote(id, options));
    const more = ids.length > MAX_LISTED ? ", …" : "";
    const hint = ids.length
      ? `it serves ${shown.join(", ")}${more}; set CMDAI_REMOTE_MODEL to one of them`
      : "it serves none";
    throw modelMissing(server(options, hint).server);
  }
  return `${serverName(openai)} serves ${options.model}`;
}
