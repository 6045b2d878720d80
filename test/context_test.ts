// What the model is told, end to end through the real launcher: `--print-prompt` with no model at
// all; recent commands kept to this machine unless allowed; the programs a command runs looked up
// (through wrappers, on the client's PATH, which a warm server reads afresh at every request).
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";
import { type LlmServer, startLlmServer, TEST_MODEL } from "./support/llm_server.ts";
import { type Run, run } from "./support/run.ts";
import { fileTempDir } from "./support/temp.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CMDAI = join(ROOT, "bin", "cmdai");
const BASE_PATH = "/usr/bin:/bin";

/** Every file the tests write, removed when they are done. */
const TMP = fileTempDir("cmdai-context-");

/** A home of the test's own, with no model anywhere and no config file. */
async function home(): Promise<Record<string, string>> {
  const dir = await Deno.makeTempDir({ dir: TMP });
  await Deno.mkdir(join(dir, "run"), { mode: 0o700 });
  return {
    HOME: dir,
    XDG_CONFIG_HOME: "",
    XDG_CACHE_HOME: "",
    XDG_RUNTIME_DIR: join(dir, "run"),
    CMDAI_SERVER: "0",
    CMDAI_MODEL: "",
    CMDAI_BACKEND: "",
    CMDAI_URL: "",
    CMDAI_REMOTE_MODEL: "",
    CMDAI_HISTORY: "",
    CMDAI_HISTORY_REMOTE: "",
    CMDAI_GROUND: "",
    PATH: BASE_PATH,
    NO_COLOR: "1",
  };
}

const cmdai = (args: string[], env: Record<string, string>): Promise<Run> =>
  run(CMDAI, args, { env });

Deno.test("--print-prompt: what the model would be sent, with no model anywhere", async () => {
  const env = await home();
  const request = "search all python files for TODO";
  const human = await cmdai(["--print-prompt", "--shell", "zsh", request], env);
  assertEquals(human.code, 0, human.stderr);
  assertEquals(human.stderr, "");
  assert(human.stdout.startsWith("[system]\nYou turn a request"), human.stdout);
  assertStringIncludes(human.stdout, "Shell: zsh");
  assertStringIncludes(human.stdout, "[assistant]\nls -la\n# List all files");
  assertStringIncludes(human.stdout, `Request: ${request}\n(current directory: `);

  const recent = ["git status", "cd src"];
  const r = await cmdai(
    ["--print-prompt", "--json", ...recent.map((c) => `--recent=${c}`), "--", request],
    env,
  );
  assertEquals(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assertEquals(typeof out.system, "string");
  assert(out.turns.length >= 4 && out.turns.every((t: object) => "user" in t && "reply" in t));
  assertEquals(out.recent, recent);
  assert(out.grounding.length > 0, r.stdout);
  for (const g of out.grounding) {
    assertEquals(Object.keys(g).sort(), ["command", "description", "page"]);
    assert(/^(common|linux)\/[\w.+-]+$/.test(g.page), g.page);
    assertStringIncludes(out.request, `- ${g.description}: ${g.command}`);
  }
  assertStringIncludes(out.request, "Recent commands (context, not the request):\n$ git status\n");
  // The human form prints the same request turn.
  const same = await cmdai(["--print-prompt", ...recent.map((c) => `--recent=${c}`), request], env);
  assert(same.stdout.endsWith(`[user]\n${out.request}\n`), same.stdout);

  const off = JSON.parse(
    (await cmdai(["--print-prompt", "--json", request], { ...env, CMDAI_GROUND: "0" })).stdout,
  );
  assertEquals([off.grounding, off.installed], [[], []]);
  assert(!off.request.includes("tldr"), off.request);
});

Deno.test("--print-prompt: recent commands stay on this machine unless allowed", async () => {
  const env = await home();
  const remote = { CMDAI_BACKEND: "openai", CMDAI_REMOTE_MODEL: "m" };
  const recent = (more: Record<string, string>) =>
    cmdai(["--print-prompt", "--json", "--recent=make test", "list files"], { ...env, ...more })
      .then((r) => {
        assertEquals(r.code, 0, r.stderr);
        return JSON.parse(r.stdout).recent;
      });
  assertEquals(await recent({}), ["make test"], "the embedded model");
  assertEquals(await recent({ ...remote, CMDAI_URL: "http://127.0.0.1:8000/v1" }), ["make test"]);
  const away = { ...remote, CMDAI_URL: "https://llm.example.com/v1" };
  assertEquals(await recent(away), []);
  assertEquals(await recent({ ...away, CMDAI_HISTORY_REMOTE: "1" }), ["make test"]);
  assertEquals(await recent({ CMDAI_HISTORY: "0" }), []);
  // Outside the widget and --print-prompt, the flags are a mistake.
  const r = await cmdai(["--recent=ls", "list files"], env);
  assertEquals(r.code, 2);
  assertStringIncludes(r.stderr, "--recent and --known are for the shell widget");
});

/** A loopback server answering `reply`, and the settings that point cmdai at it. */
async function standIn(reply: string): Promise<{ llm: LlmServer; env: Record<string, string> }> {
  const llm = startLlmServer({ reply });
  const env = {
    ...await home(),
    CMDAI_BACKEND: "openai",
    CMDAI_URL: `${llm.url}/v1`,
    CMDAI_REMOTE_MODEL: TEST_MODEL,
  };
  return { llm, env };
}

const lastTurn = (llm: LlmServer) => {
  const messages = llm.requests.filter((r) => r.method === "POST").at(-1)!.body!.messages as {
    content: string;
  }[];
  return messages.at(-1)!.content;
};

Deno.test("the widget's recent commands reach a loopback server, marked as context", async () => {
  const { llm, env } = await standIn("docker push r/app:2\n# Push it");
  try {
    const args = ["--widget", "--shell", "zsh", "--recent=docker tag app r/app:2", "--recent=ls"];
    const r = await cmdai([...args, "--", "push what I just tagged"], env);
    assertEquals(r.code, 0, r.stderr);
    assertStringIncludes(
      lastTurn(llm),
      "Recent commands (context, not the request):\n$ docker tag app r/app:2\n$ ls\n",
    );
    assertStringIncludes(lastTurn(llm), "Request: push what I just tagged\n");
    await cmdai([...args, "--", "push what I just tagged"], { ...env, CMDAI_HISTORY: "0" });
    assert(!lastTurn(llm).includes("Recent commands"), lastTurn(llm));
  } finally {
    await llm.close();
  }
});

Deno.test("programs not found: through wrappers, aliases and functions count", async () => {
  const reply = "env LC_ALL=C find . -name '*.log' -exec nothere-tool {} + | xargs myfn\n# Does it";
  const { llm, env } = await standIn(reply);
  try {
    const json = await cmdai(["--json", "show the logs"], env);
    assertEquals(json.code, 0, json.stderr);
    assertEquals(JSON.parse(json.stdout).not_found, ["nothere-tool", "myfn"]);
    // The widget sends the shell's alias and function names: myfn is one.
    const widget = await cmdai(
      ["--widget", "--shell", "zsh", "--known=ll\nmyfn", "--", "show the logs"],
      { ...env, CMDAI_EXPLAIN: "0" },
    );
    assertEquals(widget.code, 0, widget.stderr);
    const [code, message, line] = widget.stdout.split("\0");
    assertEquals([code, line], ["0", reply.split("\n")[0]]);
    assertEquals(message, "cmdai: nothere-tool is not installed here");
    const human = await cmdai(["show the logs"], env);
    assertStringIncludes(human.stdout, "\n  nothere-tool and myfn are not installed here\n");
    llm.behaviour.reply = "ls -la\n# List";
    assertEquals(JSON.parse((await cmdai(["--json", "list"], env)).stdout).not_found, []);
  } finally {
    await llm.close();
  }
});

Deno.test("a warm server looks programs up on the client's PATH, as it is now", async () => {
  const { llm, env } = await standIn("mytool --go\n# Go");
  const bin = join(env.HOME, "bin");
  await Deno.mkdir(bin);
  const warm = { ...env, CMDAI_SERVER: "", PATH: `${bin}:${BASE_PATH}` };
  const notFound = async (more: Record<string, string> = {}) => {
    const r = await cmdai(["--json", "go"], { ...warm, ...more });
    assertEquals(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).not_found;
  };
  try {
    assertEquals(await notFound(), ["mytool"]);
    await Deno.writeTextFile(join(bin, "mytool"), "#!/bin/sh\n");
    await Deno.chmod(join(bin, "mytool"), 0o755);
    // The directory changed since the server scanned it (its mtime, set apart from the scan's).
    await Deno.utime(bin, new Date(), new Date(Date.now() + 2000));
    assertEquals(await notFound(), []);
    assertEquals(await notFound({ PATH: BASE_PATH }), ["mytool"], "a PATH without it");
    const status = await cmdai(["serve", "--status"], warm);
    assertStringIncludes(status.stdout, "requests  3", "one warm server answered them all");
  } finally {
    await cmdai(["serve", "--stop"], warm);
    await llm.close();
  }
});
