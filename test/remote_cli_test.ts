// The remote backends end to end: the real launcher against a live Ollama/OpenAI-speaking server
// on 127.0.0.1 (test/support/llm_server.ts), chosen by flags, variables and the config file; the
// key through the resident server; timeouts, Ctrl-C, no fallback; explain and eval over HTTP.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";
import { scriptedModel } from "./support/gguf.ts";
import {
  type LlmBehaviour,
  type LlmServer,
  startLlmServer,
  TEST_MODEL,
} from "./support/llm_server.ts";
import { type Run, run } from "./support/run.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CMDAI = join(ROOT, "bin", "cmdai");
const LS = "ls -la\n# List all files";

/** A live fake server, and a home of the test's own (config file, runtime directory). */
async function setUp(behaviour: LlmBehaviour) {
  const server = startLlmServer(behaviour);
  const home = await Deno.makeTempDir({ prefix: "cmdai-remote-" });
  const env: Record<string, string> = {
    HOME: home,
    XDG_CONFIG_HOME: "",
    XDG_RUNTIME_DIR: join(home, "run"),
    CMDAI_SERVER: "0",
    CMDAI_THREADS: "1",
    CMDAI_MODEL: "",
    CMDAI_BACKEND: "",
    CMDAI_URL: "",
    CMDAI_REMOTE_MODEL: "",
    CMDAI_API_KEY: "",
    NO_COLOR: "1",
  };
  await Deno.mkdir(env.XDG_RUNTIME_DIR, { mode: 0o700 });
  return {
    server,
    home,
    cmdai: (args: string[], more: Record<string, string> = {}): Promise<Run> =>
      run(CMDAI, args, { env: { ...env, ...more } }),
    config: async (toml: string) => {
      await Deno.mkdir(join(home, ".config", "cmdai"), { recursive: true });
      await Deno.writeTextFile(join(home, ".config", "cmdai", "config.toml"), toml);
    },
    async [Symbol.asyncDispose]() {
      await run(CMDAI, ["serve", "--stop"], { env });
      await server.close();
      await Deno.remove(home, { recursive: true });
    },
  };
}

const chats = (s: LlmServer) => s.requests.filter((r) => r.method === "POST");

Deno.test("ollama by flags: the command, its rating, and what was sent", async () => {
  await using t = await setUp({ reply: "rm -rf ~\n# Wipe home" });
  const r = await t.cmdai([
    "--backend",
    "ollama",
    "--url",
    t.server.url,
    "--remote-model",
    TEST_MODEL,
    "--json",
    "clean up my home",
  ]);
  assertEquals(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assertEquals([out.command, out.risk], ["rm -rf ~", "critical"]);
  assertEquals([out.backend, out.model, out.url], ["ollama", TEST_MODEL, t.server.url]);
  const [sent] = chats(t.server);
  assertEquals(sent.path, "/api/chat");
  assertEquals(sent.body?.model, TEST_MODEL);
  // The reply's form comes from the prompt, in lines: no JSON schema is sent.
  assertEquals(sent.body?.format, undefined);
  const messages = sent.body?.messages as { role: string; content: string }[];
  assertEquals(messages[0].role, "system");
  assertStringIncludes(messages.at(-1)!.content, "clean up my home");
});

Deno.test("openai from the config file, the key read from the variable it names", async () => {
  await using t = await setUp({ reply: LS, key: "s3cret" });
  await t.config(
    `backend = "openai"\nurl = "${t.server.url}/v1"\nremote_model = "${TEST_MODEL}"\n` +
      'api_key_env = "TEAM_KEY"\n',
  );
  const ok = await t.cmdai(["--json", "list all files"], { TEAM_KEY: "s3cret" });
  assertEquals(ok.code, 0, ok.stderr);
  assertEquals(JSON.parse(ok.stdout).command, "ls -la");
  const [sent] = chats(t.server);
  assertEquals(sent.path, "/v1/chat/completions");
  assertEquals(sent.headers.authorization, "Bearer s3cret");
  assertEquals(sent.body?.response_format, undefined);

  const wrong = await t.cmdai(["list all files"], { TEAM_KEY: "guess" });
  assertEquals(wrong.code, 1);
  assertEquals(wrong.stdout, "");
  assertStringIncludes(wrong.stderr, "401");
  assertStringIncludes(wrong.stderr, "TEAM_KEY");
  assert(!wrong.stderr.includes("guess"), wrong.stderr);
  assertEquals(wrong.stderr.trimEnd().split("\n").length, 1);
});

Deno.test("through the resident server: the key travels, the warm path needs no model file", async () => {
  await using t = await setUp({ reply: LS, key: "k2" });
  await t.config(`backend = "ollama"\nurl = "${t.server.url}"\nremote_model = "${TEST_MODEL}"\n`);
  const env = { CMDAI_SERVER: "", OTHER_KEY: "k2", CMDAI_API_KEY_ENV: "OTHER_KEY" };
  for (let i = 0; i < 2; i++) {
    const r = await t.cmdai(["--json", "list all files"], env);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(JSON.parse(r.stdout).backend, "ollama");
  }
  const status = await t.cmdai(["serve", "--status"], env);
  assertStringIncludes(status.stdout, "requests  2");
  assertEquals(chats(t.server).map((r) => r.headers.authorization), ["Bearer k2", "Bearer k2"]);
});

Deno.test("errors: server down, unknown model, broken reply, past the timeout; never a fallback", async () => {
  await using t = await setUp({ reply: LS });
  // A local model is there, and still the remote failure is the answer.
  const local = { CMDAI_MODEL: await scriptedModel(LS), CMDAI_BACKEND: "ollama" };
  const down = await t.cmdai(["--url", "http://127.0.0.1:9", "--remote-model", "m", "x"], local);
  assertEquals(down.code, 1);
  assertStringIncludes(down.stderr, "cannot reach ollama at http://127.0.0.1:9");

  const remote = { ...local, CMDAI_URL: t.server.url };
  const missing = await t.cmdai(["--remote-model", "nope", "x"], remote);
  assertEquals(missing.code, 3, missing.stderr);
  assertStringIncludes(missing.stderr, 'has no model "nope" (ollama pull nope');

  const model = { ...remote, CMDAI_REMOTE_MODEL: TEST_MODEL };
  t.server.behaviour.reply = "Sure! Here is your command:\n\n    ls\n\nEnjoy!";
  const broken = await t.cmdai(["x"], model);
  assertEquals(broken.code, 4);
  assertStringIncludes(broken.stderr, "the model did not answer in the contract");

  t.server.behaviour.reply = LS;
  t.server.behaviour.headerDelayMs = 20_000;
  const started = Date.now();
  const slow = await t.cmdai(["x"], { ...model, CMDAI_TIMEOUT: "1" });
  assertEquals(slow.code, 4, slow.stderr);
  assertStringIncludes(slow.stderr, "no reply within 1 s");
  assert(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
});

Deno.test("an explanation cut off by the token limit costs only the explanation", async () => {
  await using t = await setUp({ reply: "ls -la\n# List all the fil", cutOff: true });
  const remote = {
    CMDAI_BACKEND: "ollama",
    CMDAI_URL: t.server.url,
    CMDAI_REMOTE_MODEL: TEST_MODEL,
  };
  const json = await t.cmdai(["--json", "list all files"], remote);
  assertEquals(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  assertEquals([out.command, out.explanation], ["ls -la", ""]);
  assertStringIncludes(out.explanation_error, "cut off");
  // The widget places the command; the message says why no explanation follows.
  const widget = await t.cmdai(["--widget", "--shell", "zsh", "--", "list all files"], remote);
  assertEquals(widget.code, 0, widget.stderr);
  const [code, , line, , later] = widget.stdout.split("\0");
  assertEquals([code, line], ["0", "ls -la"]);
  assertStringIncludes(later, "cmdai: no explanation (the explanation was cut off");
  const human = await t.cmdai(["list all files"], remote);
  assert(human.stdout.startsWith("ls -la\n"), human.stdout);
});

Deno.test("Ctrl-C mid-stream ends the request and the stream at once", async () => {
  await using t = await setUp({ reply: LS, chunkChars: 1, chunkDelayMs: 300 });
  const child = new Deno.Command(CMDAI, {
    args: ["--backend", "openai", "--url", t.server.url, "--remote-model", TEST_MODEL, "x"],
    env: { HOME: t.home, CMDAI_SERVER: "0", XDG_CONFIG_HOME: "" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const deadline = Date.now() + 20_000;
  while (t.server.piecesSent < 2) {
    assert(Date.now() < deadline, "the stream never started");
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGINT");
  const out = await child.output();
  assertEquals(out.code, 130);
  assertEquals(new TextDecoder().decode(out.stdout), "");
  // The server stops sending once the connection is gone: far fewer pieces than the reply has.
  const sent = t.server.piecesSent;
  await new Promise((r) => setTimeout(r, 1000));
  assert(t.server.piecesSent <= sent + 1, `still streaming: ${sent} → ${t.server.piecesSent}`);
  assert(t.server.piecesSent < [...LS].length / 2, `${t.server.piecesSent} pieces`);
});

Deno.test("explain and eval over a remote backend", async () => {
  const describe = '{"summary": "Lists files.", "parts": [{"part": "ls", "meaning": "list"}]}';
  await using t = await setUp({ reply: describe });
  const env = { CMDAI_BACKEND: "ollama", CMDAI_URL: t.server.url, CMDAI_REMOTE_MODEL: TEST_MODEL };
  const explained = await t.cmdai(["explain", "--json", "ls", "-la"], env);
  assertEquals(explained.code, 0, explained.stderr);
  const out = JSON.parse(explained.stdout);
  assertEquals([out.summary, out.backend, out.url], ["Lists files.", "ollama", t.server.url]);
  assertEquals(
    Object.keys((chats(t.server)[0].body?.format as { properties: object }).properties),
    ["summary", "parts"],
  );

  // eval, four at a time: every ALFA request asked once, scored against its golds.
  t.server.behaviour.reply = "ls -a\n# List";
  const fixture = join(ROOT, "test", "fixtures", "intercode_alfa_sample30.tsv");
  const rows = join(t.home, "rows.jsonl");
  const evaluated = await t.cmdai(["eval", "--jobs", "4", "--json", "--out", rows, fixture], env);
  assertEquals(evaluated.code, 0, evaluated.stderr);
  const summary = JSON.parse(evaluated.stdout);
  assertEquals(summary.requests, 30);
  assertEquals(summary.failures, 0);
  assertEquals(chats(t.server).length, 1 + 30);
  const perRow = (await Deno.readTextFile(rows)).trim().split("\n").map((l) => JSON.parse(l));
  const exact = perRow.filter((r) => r.exact);
  // Row 1's gold is `ls -a` itself (checked by hand in the fixture): exact, NLC2CMD 1.
  assertEquals(exact.length, 1);
  assertEquals(exact[0].nlc2cmd, 1);
});

Deno.test("doctor: a remote backend that answers and serves the model is ok", async () => {
  await using t = await setUp({ reply: LS });
  await t.config(`backend = "ollama"\nurl = "${t.server.url}"\nremote_model = "${TEST_MODEL}"\n`);
  const r = await t.cmdai(["doctor", "--json"]);
  const findings = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  const backend = findings.find((f) => f.check === "backend");
  assertEquals(backend?.verdict, "ok", r.stdout);
  assertStringIncludes(backend.detail, `ollama at ${t.server.url} serves ${TEST_MODEL}`);
  assert(!findings.some((f) => f.check === "model"), "no model file check for a remote backend");
  // The same server without the model: the backend check fails, and so does doctor.
  t.server.behaviour.models = ["other:1b"];
  const missing = await t.cmdai(["doctor"]);
  assertEquals(missing.code, 1);
  assert(/^FAIL {2}backend {4}.*has no model/m.test(missing.stdout), missing.stdout);
});
