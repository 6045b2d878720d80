/**
 * Inference through an Ollama server: `POST /api/chat`, streamed as JSON
 * lines, the reply constrained by the contract's JSON Schema (`format`).
 *
 * @module
 */

import type { Backend } from "./backend.ts";
import {
  baseUrl,
  brokeOff,
  chatMessages,
  count,
  firstLineWatch,
  lines,
  modelMissing,
  parseLine,
  protocolError,
  remoteBackend,
  type RemoteOptions,
  request,
  type Server,
  serverError,
  serverName,
} from "./remote.ts";

function server(options: RemoteOptions): Server {
  return {
    kind: "ollama",
    url: baseUrl(options.url),
    options,
    modelHint: `ollama pull ${options.model}, or set CMDAI_REMOTE_MODEL`,
    wrongServerHint: "is it an Ollama server? (CMDAI_URL sets the address)",
  };
}

/** The model on an Ollama server; nothing is loaded here, the server does that. */
export function ollamaBackend(options: RemoteOptions): Backend {
  const ollama = server(options);
  return remoteBackend(ollama, async (prompt, options_, signal) => {
    const { maxTokens, temperature = 0, contract } = options_;
    const response = await request(ollama, {
      method: "POST",
      path: "/api/chat",
      accept: "application/x-ndjson",
      body: {
        model: options.model,
        messages: chatMessages(prompt),
        stream: true,
        // A JSON reply is held to its schema; a reply in lines is told its form by the prompt.
        ...(contract.schema ? { format: contract.schema } : {}),
        options: { temperature, num_predict: maxTokens },
      },
      signal,
    });
    let text = "";
    const watch = firstLineWatch(options_.onFirstLine);
    for await (const line of lines(ollama, response, signal)) {
      if (!line.trim()) continue;
      const chunk = parseLine(ollama, line);
      if (typeof chunk.error === "string") throw serverError(ollama, chunk.error);
      const message = chunk.message as { content?: unknown } | undefined;
      if (typeof message?.content === "string") text += message.content;
      // Stopped after the command: the connection closes, and the server stops generating.
      if (await watch(text)) return { text, cutOff: false, promptTokens: 0, outputTokens: 0 };
      if (chunk.done === true) {
        return {
          text,
          cutOff: chunk.done_reason === "length",
          promptTokens: count(chunk.prompt_eval_count),
          outputTokens: count(chunk.eval_count),
        };
      }
    }
    signal.throwIfAborted();
    throw brokeOff(ollama, "the stream ended before its last line");
  });
}

/**
 * Checks that the server answers and has the model (`GET /api/tags`); a name
 * without a tag matches `:latest`, as Ollama itself resolves it. Resolves to a
 * short description; throws the same one-line errors as `generate`.
 */
export async function checkOllama(options: RemoteOptions, signal?: AbortSignal): Promise<string> {
  const ollama = server(options);
  const response = await request(ollama, { method: "GET", path: "/api/tags", signal });
  let tags: unknown;
  try {
    tags = await response.json();
  } catch {
    signal?.throwIfAborted();
    throw protocolError(ollama, "/api/tags is not JSON");
  }
  const models = (tags as { models?: unknown })?.models;
  if (!Array.isArray(models)) throw protocolError(ollama, "/api/tags lists no models");
  const wanted = withTag(options.model);
  const served = models.flatMap((m) => [m?.name, m?.model]).filter((n) => typeof n === "string");
  if (!served.some((name) => withTag(name) === wanted)) throw modelMissing(ollama);
  return `${serverName(ollama)} serves ${options.model}`;
}

/** `name:latest` for a name without a tag (the tag follows a colon in the last path part). */
function withTag(name: string): string {
  const last = name.slice(name.lastIndexOf("/") + 1);
  return last.includes(":") ? name : `${name}:latest`;
}
