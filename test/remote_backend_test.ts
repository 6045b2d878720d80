// The remote backends (Ollama, OpenAI-compatible) against a fake server over real HTTP: what is
// sent, the streamed reply, cut-offs, aborts, and each failure as one line with its exit code.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "./support/assert.ts";
import {
  type LlmBehaviour,
  type LlmServer,
  startLlmServer,
  TEST_MODEL,
} from "./support/llm_server.ts";
import { checkOllama, ollamaBackend } from "../src/backends/ollama.ts";
import { checkOpenai, openaiBackend } from "../src/backends/openai.ts";
import { errorMessage, type RemoteOptions } from "../src/backends/remote.ts";
import type { Backend } from "../src/backends/backend.ts";
import { COMMAND_ONLY_CONTRACT, REPLY_CONTRACT } from "../src/answer/reply.ts";
import { buildPrompt } from "../src/answer/prompt.ts";
import { gatherContext } from "../src/answer/context.ts";
import { answerRequest } from "../src/answer/answer.ts";
import { createRater } from "../src/safety/mod.ts";
import { CmdaiError, ExitCode } from "../src/errors.ts";

const LS = "ls -la\n# List all files, hidden ones too ✓";
const KEY = "sk-test-secret-0123456789";
const prompt = buildPrompt({ request: "list all files" }, gatherContext("zsh", "linux", "/tmp"));
/** A request from zsh, with no settings but the defaults. */
const ZSH = { shell: "zsh" as const, env: { get: (_: string) => undefined } };

type Kind = "ollama" | "openai";
const KINDS: Kind[] = ["ollama", "openai"];
const CHAT_PATH = { ollama: "/api/chat", openai: "/v1/chat/completions" };

function backendFor(kind: Kind, options: RemoteOptions): Backend {
  return kind === "ollama" ? ollamaBackend(options) : openaiBackend(options);
}

function checkFor(kind: Kind, options: RemoteOptions, signal?: AbortSignal): Promise<string> {
  return kind === "ollama" ? checkOllama(options, signal) : checkOpenai(options, signal);
}

/** Runs `fn` with a fake server that is closed afterwards. */
async function withServer(
  behaviour: LlmBehaviour,
  fn: (server: LlmServer) => Promise<void>,
): Promise<void> {
  const server = startLlmServer(behaviour);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

/** The CmdaiError `fn` rejects with, checked to be one line without the API key. */
async function failure(fn: () => Promise<unknown>): Promise<CmdaiError> {
  const e = await assertRejects(fn, CmdaiError) as CmdaiError;
  assert(!/[\r\n]/.test(e.message), `one line: ${JSON.stringify(e.message)}`);
  assert(!e.message.includes(KEY), `the key leaked: ${e.message}`);
  return e;
}

const generate = (backend: Backend, signal?: AbortSignal) =>
  backend.generate(prompt, { maxTokens: 256, contract: REPLY_CONTRACT, signal });

/** A URL on which nothing listens: a server's, once it is closed. */
async function deadUrl(): Promise<string> {
  const server = startLlmServer({ reply: LS });
  await server.close();
  return server.url;
}

for (const kind of KINDS) {
  Deno.test(`${kind}: generate streams the exact reply and reports its tokens`, async () => {
    await withServer({ reply: LS, chunkChars: 3 }, async (server) => {
      const backend = backendFor(kind, { url: server.url + "/", model: TEST_MODEL });
      assertEquals(
        [backend.kind, backend.model, backend.url, backend.gpu],
        [kind, TEST_MODEL, server.url, "remote"],
      );
      const gen = await generate(backend);
      assertEquals(gen, {
        text: LS,
        cutOff: false,
        promptTokens: 321,
        outputTokens: Math.ceil([...LS].length / 3),
      });
      assert(server.piecesSent > 10, `streamed in pieces: ${server.piecesSent}`);
      await backend.dispose();
    });
  });

  Deno.test(`${kind}: a cut-off reply is reported as cut off`, async () => {
    await withServer({ reply: '{"command": "yes and yes and', cutOff: true }, async (server) => {
      const gen = await generate(backendFor(kind, { url: server.url, model: TEST_MODEL }));
      assertEquals([gen.text, gen.cutOff], ['{"command": "yes and yes and', true]);
    });
  });

  Deno.test(`${kind}: answerRequest takes the reply; a broken one is exit code 4`, async () => {
    const rater = await createRater();
    await withServer({ reply: LS }, async (server) => {
      const backend = backendFor(kind, { url: server.url, model: TEST_MODEL });
      const answer = await answerRequest({ request: "list all files" }, ZSH, backend, rater);
      assertEquals([answer.command, answer.rating.risk], ["ls -la", "safe"]);
      assertEquals(answer.tokens.prompt, 321);

      // A fence and a prompt sign around the command are read; chatter is refused.
      server.behaviour.reply = "```bash\n$ ls -la\n```\n# List all files";
      const fenced = await answerRequest({ request: "list all files" }, ZSH, backend, rater);
      assertEquals([fenced.command, fenced.explanation], ["ls -la", "List all files"]);
      server.behaviour.reply = "Sure! Here is the command:\n```sh\nls -la\n```";
      const e = await failure(() =>
        answerRequest({ request: "list all files" }, ZSH, backend, rater)
      );
      assertEquals([e.code, e.message], [
        ExitCode.inference,
        "the model did not answer in the contract: more than a command and its explanation",
      ]);
    });
  });

  Deno.test(`${kind}: abort while waiting for headers is prompt`, async () => {
    await withServer({ reply: LS, headerDelayMs: 10_000 }, async (server) => {
      const backend = backendFor(kind, { url: server.url, model: TEST_MODEL });
      const controller = new AbortController();
      const reason = new Error("timed out");
      setTimeout(() => controller.abort(reason), 200);
      const started = performance.now();
      const e = await assertRejects(() => generate(backend, controller.signal));
      const ms = performance.now() - started;
      assert(e === reason, `rejects with the reason: ${e}`);
      assert(ms < 1200, `aborted after ${ms} ms`);
      assertEquals(server.requests.length, 1);
    });
  });

  Deno.test(`${kind}: abort mid-stream is prompt`, async () => {
    await withServer({ reply: LS, chunkDelayMs: 10_000 }, async (server) => {
      const backend = backendFor(kind, { url: server.url, model: TEST_MODEL });
      const controller = new AbortController();
      const reason = new Error("interrupted");
      setTimeout(() => controller.abort(reason), 300);
      const started = performance.now();
      const e = await assertRejects(() => generate(backend, controller.signal));
      const ms = performance.now() - started;
      assert(e === reason, `rejects with the reason: ${e}`);
      assert(ms < 1300, `aborted after ${ms} ms`);
      assert(server.piecesSent >= 1, "the stream had begun");
    });
  });

  Deno.test(`${kind}: an already aborted signal sends nothing`, async () => {
    await withServer({ reply: LS }, async (server) => {
      const controller = new AbortController();
      controller.abort(new Error("stop"));
      const backend = backendFor(kind, { url: server.url, model: TEST_MODEL });
      const e = await assertRejects(() => generate(backend, controller.signal));
      assertEquals([e.message, server.requests.length], ["stop", 0]);
    });
  });

  Deno.test(`${kind}: dispose aborts a request in flight`, async () => {
    await withServer({ reply: LS, chunkDelayMs: 10_000 }, async (server) => {
      const backend = backendFor(kind, { url: server.url, model: TEST_MODEL });
      const pending = generate(backend);
      setTimeout(() => backend.dispose(), 200);
      const started = performance.now();
      const e = await failure(() => pending);
      assert(performance.now() - started < 1200, "prompt");
      assertEquals(e.message, `the ${kind} at ${server.url} backend was closed`);
    });
  });

  Deno.test(`${kind}: an unreachable server is a runtime error`, async () => {
    const url = await deadUrl();
    const backend = backendFor(kind, { url, model: TEST_MODEL });
    const e = await failure(() => generate(backend));
    assertEquals([e.code, e.message], [
      ExitCode.runtime,
      `cannot reach ${kind} at ${url} (connection refused): is the server running? (CMDAI_URL sets the address)`,
    ]);
    const c = await failure(() => checkFor(kind, { url, model: TEST_MODEL }));
    assertEquals(c.message, e.message);
  });

  Deno.test(`${kind}: an unknown host is a runtime error`, async () => {
    const url = "http://no-such-host.invalid:11434";
    const e = await failure(() => generate(backendFor(kind, { url, model: TEST_MODEL })));
    assertEquals([e.code, e.message], [
      ExitCode.runtime,
      `cannot reach ${kind} at ${url} (host not found): is the server running? (CMDAI_URL sets the address)`,
    ]);
  });

  Deno.test(`${kind}: an unknown model is a model error`, async () => {
    await withServer({ reply: LS }, async (server) => {
      const backend = backendFor(kind, { url: server.url, model: "nope:1b" });
      const e = await failure(() => generate(backend));
      const hint = kind === "ollama"
        ? "ollama pull nope:1b, or set CMDAI_REMOTE_MODEL"
        : "set CMDAI_REMOTE_MODEL to a model it serves";
      assertEquals([e.code, e.message], [
        ExitCode.model,
        `${kind} at ${server.url} has no model "nope:1b" (${hint})`,
      ]);
      assertEquals(server.requests.at(-1)?.body?.model, "nope:1b");
    });
  });

  Deno.test(`${kind}: a rejected key names where it came from, never the key`, async () => {
    await withServer({ reply: LS, key: "right-key" }, async (server) => {
      const withKey = {
        url: server.url,
        model: TEST_MODEL,
        apiKey: KEY,
        apiKeyEnv: "CMDAI_API_KEY",
      };
      const e = await failure(() => generate(backendFor(kind, withKey)));
      assertEquals(e.code, ExitCode.runtime);
      assertStringIncludes(e.message, `${kind} at ${server.url} answered 401 Unauthorized (`);
      assert(e.message.endsWith("): check the API key in CMDAI_API_KEY"), e.message);
      assertEquals(server.requests.at(-1)?.headers.authorization, `Bearer ${KEY}`);

      const none = await failure(() =>
        generate(backendFor(kind, { url: server.url, model: TEST_MODEL }))
      );
      assertEquals(none.code, ExitCode.runtime);
      assert(none.message.endsWith(": no API key was set"), none.message);
      assertEquals(server.requests.at(-1)?.headers.authorization, undefined);
      const unset = await failure(() =>
        checkFor(kind, { url: server.url, model: TEST_MODEL, apiKeyEnv: "MY_KEY" })
      );
      assert(unset.message.endsWith(": no API key was set (set MY_KEY)"), unset.message);

      server.behaviour.key = undefined;
      server.behaviour.status = 403;
      server.behaviour.statusMessage = `key ${KEY} may not use this model`;
      const forbidden = await failure(() => checkFor(kind, withKey));
      assertEquals([forbidden.code, forbidden.message], [
        ExitCode.runtime,
        `${kind} at ${server.url} answered 403 Forbidden (key *** may not use this model): check the API key in CMDAI_API_KEY`,
      ]);
    });
  });

  Deno.test(`${kind}: a server error is an inference error, in one line`, async () => {
    await withServer(
      { reply: LS, status: 500, statusMessage: "CUDA out of memory\n  at layer 3" },
      async (server) => {
        const e = await failure(() =>
          generate(backendFor(kind, { url: server.url, model: TEST_MODEL }))
        );
        assertEquals([e.code, e.message], [
          ExitCode.inference,
          `${kind} at ${server.url} answered 500 Internal Server Error (CUDA out of memory at layer 3)`,
        ]);
      },
    );
  });

  Deno.test(`${kind}: a body that is not the protocol is an inference error`, async () => {
    await withServer({ reply: LS, broken: "html" }, async (server) => {
      const backend = backendFor(kind, { url: server.url, model: TEST_MODEL });
      const html = await failure(() => generate(backend));
      assertEquals(html.code, ExitCode.inference);
      assertStringIncludes(
        html.message,
        `${kind} at ${server.url} did not answer in its protocol (`,
      );
      assert(html.message.endsWith("): is CMDAI_URL the right address?"), html.message);

      for (const broken of ["truncated", "drop", "error"] as const) {
        server.behaviour.broken = broken;
        const e = await failure(() => generate(backend));
        assertEquals(e.code, ExitCode.inference, broken);
        const expected = {
          truncated: `${kind} at ${server.url} broke off the reply (the stream ended before`,
          drop: `${kind} at ${server.url} broke off the reply (connection lost)`,
          error: `${kind} at ${server.url} failed: an error occurred mid-stream`,
        }[broken];
        assert(e.message.startsWith(expected), `${broken}: ${e.message}`);
        assert(server.piecesSent > 0, "the reply had begun");
      }
    });
  });

  Deno.test(`${kind}: the check confirms the model`, async () => {
    await withServer({ reply: LS, models: ["other:3b", TEST_MODEL] }, async (server) => {
      const options = { url: server.url, model: TEST_MODEL };
      assertEquals(await checkFor(kind, options), `${kind} at ${server.url} serves ${TEST_MODEL}`);
      assertEquals(server.requests.at(-1)?.path, kind === "ollama" ? "/api/tags" : "/v1/models");
      const e = await failure(() => checkFor(kind, { ...options, model: "nope" }));
      assertEquals(e.code, ExitCode.model);
      assertStringIncludes(e.message, `${kind} at ${server.url} has no model "nope" (`);
    });
  });

  Deno.test(`${kind}: the path is sent once, below the base URL`, async () => {
    await withServer({ reply: LS }, async (server) => {
      const url = kind === "openai" ? `${server.url}/v1/` : `${server.url}//`;
      await generate(backendFor(kind, { url, model: TEST_MODEL }));
      assertEquals(server.requests.map((r) => r.path), [CHAT_PATH[kind]]);
    });
  });
}

Deno.test("ollama: the request carries the messages and the limits", async () => {
  await withServer({ reply: LS }, async (server) => {
    const backend = ollamaBackend({ url: server.url, model: TEST_MODEL });
    await backend.generate(prompt, {
      maxTokens: 99,
      temperature: 0.5,
      contract: COMMAND_ONLY_CONTRACT,
    });
    const [req] = server.requests;
    assertEquals([req.method, req.path], ["POST", "/api/chat"]);
    assertEquals(req.headers["content-type"], "application/json");
    assertEquals(req.headers.authorization, undefined);
    assertEquals(req.body, {
      model: TEST_MODEL,
      messages: expectedMessages(),
      stream: true,
      // A reply in lines: no JSON Schema; the prompt tells the form.
      options: { temperature: 0.5, num_predict: 99 },
    });
  });
});

Deno.test("openai: the request carries the messages, the limits and the key", async () => {
  await withServer({ reply: LS, key: KEY }, async (server) => {
    const backend = openaiBackend({ url: server.url, model: TEST_MODEL, apiKey: KEY });
    await backend.generate(prompt, { maxTokens: 77, contract: REPLY_CONTRACT });
    const [req] = server.requests;
    assertEquals([req.method, req.path], ["POST", "/v1/chat/completions"]);
    assertEquals(req.headers.authorization, `Bearer ${KEY}`);
    assertEquals(req.body, {
      model: TEST_MODEL,
      messages: expectedMessages(),
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 77,
      temperature: 0,
    });
  });
});

Deno.test("openai: a server that ignores stream and answers one JSON completion is read", async () => {
  await withServer({ reply: LS, whole: true }, async (server) => {
    const backend = openaiBackend({ url: server.url, model: TEST_MODEL });
    assertEquals(await generate(backend), {
      text: LS,
      cutOff: false,
      promptTokens: 321,
      outputTokens: 7,
    });
    assertEquals(server.requests[0].body?.stream, true);
    server.behaviour.cutOff = true;
    assertEquals((await generate(backend)).cutOff, true);
  });
});

/** The prompt as chat messages, spelled out: system, each example turn, the request. */
function expectedMessages() {
  assert(prompt.turns.length >= 2, "the prompt has example turns");
  return [
    { role: "system", content: prompt.system },
    ...prompt.turns.flatMap((t) => [
      { role: "user", content: t.user },
      { role: "assistant", content: t.reply },
    ]),
    { role: "user", content: prompt.request },
  ];
}

Deno.test("ollama: the check accepts the implicit :latest tag, both ways", async () => {
  await withServer({ reply: LS, models: ["llama3.2:latest", "ns/coder"] }, async (server) => {
    for (const model of ["llama3.2", "llama3.2:latest", "ns/coder:latest"]) {
      assertEquals(
        await checkOllama({ url: server.url, model }),
        `ollama at ${server.url} serves ${model}`,
      );
    }
    const e = await failure(() => checkOllama({ url: server.url, model: "llama3.2:1b" }));
    assertEquals(
      e.message,
      `ollama at ${server.url} has no model "llama3.2:1b" (ollama pull llama3.2:1b, or set CMDAI_REMOTE_MODEL)`,
    );
  });
});

Deno.test("openai: a missing model's check lists the models served", async () => {
  await withServer({ reply: LS, models: ["a", "b"] }, async (server) => {
    const e = await failure(() => checkOpenai({ url: server.url + "/v1", model: "c" }));
    assertEquals(
      e.message,
      `openai at ${server.url}/v1 has no model "c" (it serves a, b; set CMDAI_REMOTE_MODEL to one of them)`,
    );
    assertEquals(server.requests.map((r) => r.path), ["/v1/models"]);
  });
});

Deno.test("a check is aborted by its signal", async () => {
  await withServer({ reply: LS, headerDelayMs: 10_000 }, async (server) => {
    for (const kind of KINDS) {
      const controller = new AbortController();
      const reason = new Error("timed out");
      setTimeout(() => controller.abort(reason), 100);
      const e = await assertRejects(() =>
        checkFor(kind, { url: server.url, model: TEST_MODEL }, controller.signal)
      );
      assert(e === reason, `${kind}: ${e}`);
    }
  });
});

Deno.test("a URL that is not http(s) is a usage error, before any request", () => {
  for (const url of ["localhost:11434", "ftp://host", "not a url"]) {
    for (const kind of KINDS) {
      try {
        backendFor(kind, { url, model: TEST_MODEL });
        throw new Error(`${kind} took ${url}`);
      } catch (e) {
        assert(e instanceof CmdaiError && e.code === ExitCode.usage, String(e));
        assertStringIncludes(e.message, "must be an http:// or https:// URL");
      }
    }
  }
});

Deno.test("credentials in the URL never show in a message", async () => {
  const url = (await deadUrl()).replace("http://", "http://user:hunter2@");
  const e = await failure(() => generate(ollamaBackend({ url, model: TEST_MODEL })));
  assert(!e.message.includes("hunter2"), e.message);
  assertStringIncludes(e.message, "cannot reach ollama at http://127.0.0.1:");
});

Deno.test("error bodies are read in each server's shape", () => {
  assertEquals(errorMessage('{"error": "model not found"}'), "model not found");
  assertEquals(errorMessage('{"error": {"message": "bad key", "code": 401}}'), "bad key");
  assertEquals(errorMessage('{"object": "error", "message": "no such model"}'), "no such model");
  assertEquals(errorMessage('{"detail": "Not Found"}'), "Not Found");
  assertEquals(errorMessage("404 page not found"), "404 page not found");
});
