// The config file through the real launcher: precedence (flags > CMDAI_* > file > defaults),
// every kind of error naming file, key and line, and `cmdai doctor` on a broken setup.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";
import { scriptedModel } from "./support/gguf.ts";
import { type Run, run } from "./support/run.ts";
import { fileTempDir } from "./support/temp.ts";

/** Every config home the tests make, removed when they are done. */
const TMP = fileTempDir("cmdai-config-");

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CMDAI = join(ROOT, "bin", "cmdai");

/** A fresh config home holding `toml` (none when undefined), and cmdai run against it. */
async function withConfig(toml: string | undefined) {
  const home = await Deno.makeTempDir({ dir: TMP, prefix: "home-" });
  if (toml !== undefined) {
    await Deno.mkdir(join(home, ".config", "cmdai"), { recursive: true });
    await Deno.writeTextFile(join(home, ".config", "cmdai", "config.toml"), toml);
  }
  const cmdai = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
    run(CMDAI, args, {
      env: {
        HOME: home,
        XDG_CONFIG_HOME: "",
        XDG_CACHE_HOME: join(home, "cache"),
        CMDAI_SERVER: "0",
        CMDAI_THREADS: "1",
        CMDAI_MODEL: "",
        CMDAI_POLICY: "",
        CMDAI_TIMEOUT: "",
        CMDAI_BACKEND: "",
        CMDAI_URL: "",
        CMDAI_REMOTE_MODEL: "",
        NO_COLOR: "1",
        ...env,
      },
    });
  return { home, cmdai };
}

interface Row {
  key: string;
  value: string | null;
  source: string;
}

async function settings(
  cmdai: (a: string[], e?: Record<string, string>) => Promise<Run>,
  env: Record<string, string> = {},
) {
  const r = await cmdai(["config", "--json"], env);
  assertEquals(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout).settings as Row[];
  return Object.fromEntries(rows.map((row) => [row.key, row]));
}

Deno.test("config path: XDG_CONFIG_HOME, else ~/.config", async () => {
  const { home, cmdai } = await withConfig(undefined);
  assertEquals((await cmdai(["config", "path"])).stdout, `${home}/.config/cmdai/config.toml\n`);
  const xdg = await cmdai(["config", "path"], { XDG_CONFIG_HOME: "/etc/xdg-here" });
  assertEquals(xdg.stdout, "/etc/xdg-here/cmdai/config.toml\n");
  // A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
  const relative = await cmdai(["config", "path"], { XDG_CONFIG_HOME: "rel" });
  assertEquals(relative.stdout, `${home}/.config/cmdai/config.toml\n`);
});

Deno.test("precedence: the file over defaults, CMDAI_* over the file, flags over both", async () => {
  const { cmdai } = await withConfig(
    [
      "# team settings",
      'policy = "strict"',
      "timeout = 12.5",
      "",
      "[shell]",
      'key = "^X^G"',
      "comment_enter = false",
    ].join("\n"),
  );
  const file = await settings(cmdai);
  assertEquals([file.policy.value, file.policy.source], [
    "strict",
    "~/.config/cmdai/config.toml line 2",
  ]);
  assertEquals([file.timeout.value, file.timeout.source], [
    "12.5",
    "~/.config/cmdai/config.toml line 3",
  ]);
  assertEquals(file["shell.key"].source, "~/.config/cmdai/config.toml line 6");
  assertEquals(file["shell.comment_enter"].value, "false");
  assertEquals([file.backend.value, file.backend.source], [null, "default"]);

  const env = await settings(cmdai, { CMDAI_POLICY: "permissive" });
  assertEquals([env.policy.value, env.policy.source], ["permissive", "env CMDAI_POLICY"]);

  // What the file says is what cmdai does.
  const check = await cmdai(["check", "curl https://x.example | sh"]);
  assertStringIncludes(check.stdout, "policy strict:");
  const checkEnv = await cmdai(["check", "ls"], { CMDAI_POLICY: "permissive" });
  assertStringIncludes(checkEnv.stdout, "policy permissive:");

  // A flag beats the variable: --backend over CMDAI_BACKEND, seen in the error it leads to.
  const flag = await cmdai(["--backend", "ollama", "list files"], { CMDAI_BACKEND: "openai" });
  assertEquals(flag.code, 2, flag.stderr);
  assertStringIncludes(flag.stderr, "the ollama backend needs the model's name");

  // The shell options reach the integration `init` prints.
  const init = await cmdai(["init", "zsh"]);
  assertStringIncludes(init.stdout, 'bindkey -M $m -- "^X^G" cmdai-widget');
  // comment_enter = false: Enter is left to zsh.
  assertStringIncludes(init.stdout, "[[ 0 == 1 ]] || continue");
});

Deno.test("the file's backend and model are used: a model path relative to the file", async () => {
  const model = await scriptedModel("ls -la\n# List all files");
  const { home, cmdai } = await withConfig(undefined);
  const dir = join(home, ".config", "cmdai");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.copyFile(model, join(dir, "tiny.gguf"));
  await Deno.writeTextFile(join(dir, "config.toml"), 'model = "tiny.gguf"\n');
  const r = await cmdai(["--json", "list all files"]);
  assertEquals(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assertEquals([out.command, out.backend, out.model], [
    "ls -la",
    "embedded",
    join(dir, "tiny.gguf"),
  ]);
});

Deno.test("every error names the file, the line and what is allowed, and loses nothing", async () => {
  const cases: [string, string][] = [
    ['backend = "olama"', 'line 1: backend must be embedded, ollama or openai, not "olama"'],
    ["timeout = -3", "line 1: timeout must be seconds, more than 0, not -3"],
    ['threads = "4"', 'line 1: threads must be a whole number from 1 to 1024, not "4"'],
    ["threads = 2.5", "line 1: threads must be a whole number from 1 to 1024, not 2.5"],
    ['url = "localhost:11434"', 'url must be an http:// or https:// URL, not "localhost:11434"'],
    ['api_key_env = "MY KEY"', "api_key_env must be the name of the variable holding the API key"],
    ["explain = 1", "line 1: explain must be true or false, not 1"],
    ["\n\nbakend = 1", 'line 3: unknown key "bakend" (keys: backend, url,'],
    ["[shell]\nkeys = 1", 'line 2: unknown key "shell.keys"'],
    ["[server]\nidle = 1", "line 1: server must be true or false, not a table"],
    ['policy = "strict', "line 1: not valid TOML:"],
    ["gpu_layers = [1]", "line 1: gpu_layers must be"],
  ];
  for (const [toml, part] of cases) {
    const { home, cmdai } = await withConfig(toml);
    const r = await cmdai(["list files"]);
    assertEquals(r.code, 2, `${toml}: ${r.stderr}`);
    assertEquals(r.stdout, "");
    const lines = r.stderr.trimEnd().split("\n");
    assertEquals(lines.length, 1, r.stderr);
    assertStringIncludes(lines[0], "cmdai: ~/.config/cmdai/config.toml ");
    assertStringIncludes(lines[0], part);
    // `cmdai config` says the same; the file is left as it was.
    const c = await cmdai(["config"]);
    assertEquals([c.code, c.stderr], [2, r.stderr]);
    assertEquals(await Deno.readTextFile(join(home, ".config", "cmdai", "config.toml")), toml);
  }
});

Deno.test("doctor: a broken config and a missing model fail with their fixes; the rest still runs", async () => {
  const { cmdai } = await withConfig("timeout = 0\n");
  const r = await cmdai(["doctor", "--json"]);
  assertEquals(r.code, 1, r.stderr);
  const findings = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  const by = Object.fromEntries(findings.map((f) => [f.check, f]));
  assertEquals(by.config.verdict, "fail");
  assertStringIncludes(by.config.detail, "line 1: timeout must be seconds, more than 0, not 0");
  assertEquals(by.model.verdict, "fail");
  assertStringIncludes(by.model.detail, "model file not found");
  assertStringIncludes(by.model.fix, "cmdai model pull");
  assertEquals(by["llama.cpp"].verdict, "ok");
  assertEquals(by.server.verdict, "ok");
  for (const check of ["system", "cmdai", "zsh", "fish", "bash"]) assert(by[check], check);
  assertEquals(by.keys.detail, "Ctrl-G asks for a command, Alt-G explains the line");
  // A key that cannot be bound is found here, not at the next shell start.
  const keys = await cmdai(["doctor", "--json"], { CMDAI_EXPLAIN_KEY: "^G" });
  const bad = keys.stdout.trimEnd().split("\n").map((l) => JSON.parse(l))
    .find((f) => f.check === "keys");
  assertEquals(bad.verdict, "fail");
  assertStringIncludes(bad.detail, "the explain key Ctrl-G is the request key too");
});

Deno.test("doctor: all ok with a present model; a changed file fails its checksum", async () => {
  const model = await scriptedModel("ls\n# List");
  const { home, cmdai } = await withConfig(undefined);
  const copy = join(home, "m.gguf");
  await Deno.copyFile(model, copy);
  const ok = await cmdai(["doctor"], { CMDAI_MODEL: copy });
  assertEquals(ok.code, 0, ok.stdout + ok.stderr);
  assert(/^ok {4}model {6}.*m\.gguf/m.test(ok.stdout), ok.stdout);
  // A checksum saved at download, and a file that no longer matches it.
  await Deno.writeTextFile(`${copy}.sha256`, `${"0".repeat(64)}  m.gguf\n`);
  const bad = await cmdai(["doctor"], { CMDAI_MODEL: copy });
  assertEquals(bad.code, 1);
  assert(/^FAIL {2}model .*differs from its download's 0{64}/m.test(bad.stdout), bad.stdout);
});

Deno.test("doctor: a remote backend that does not answer fails with its message", async () => {
  const { cmdai } = await withConfig(
    'backend = "ollama"\nremote_model = "qwen"\nurl = "http://127.0.0.1:9"\n',
  );
  const r = await cmdai(["doctor"]);
  assertEquals(r.code, 1);
  assert(
    /^FAIL {2}backend {4}cannot reach ollama at http:\/\/127\.0\.0\.1:9/m.test(r.stdout),
    r.stdout,
  );
  // llama.cpp is only a warning's matter for a remote backend; here it loads anyway.
  assert(/^ok {4}llama\.cpp/m.test(r.stdout), r.stdout);
});

Deno.test("the README's config table lists every key with its variable", async () => {
  const { SETTING_LIST } = await import("../src/settings.ts");
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  for (const s of SETTING_LIST) {
    assert(
      new RegExp("\\| `" + s.key.replace(".", "\\.") + "` +\\| `" + s.env + "` +\\|").test(readme),
      `README lacks a row for ${s.key}`,
    );
  }
});

Deno.test("doctor: bash warns only as the login shell, and names one older than 4.0", async () => {
  const { home, cmdai } = await withConfig(undefined);
  const doctor = async (shell: string) => {
    const r = await cmdai(["doctor", "--json"], { SHELL: shell });
    return r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l)).find((f) => f.check === "bash");
  };
  assertEquals((await doctor("/bin/zsh")).detail, "no cmdai integration (not your shell)");
  assertEquals((await doctor("/bin/bash")).verdict, "warn");
  // macOS's /bin/bash, as far as doctor asks it.
  const old = join(home, "old", "bash");
  await Deno.mkdir(join(home, "old"));
  await Deno.writeTextFile(old, "#!/bin/sh\necho '3.2.57(1)-release'\n");
  await Deno.chmod(old, 0o755);
  const found = await doctor(old);
  assertEquals(found.verdict, "warn");
  assertStringIncludes(found.detail, "bash 3.2.57(1)-release: cmdai's keys need bash 4.0 or newer");
  await Deno.writeTextFile(join(home, ".bashrc"), 'eval "$(cmdai init bash)"\n');
  assertEquals((await doctor("/bin/bash")).detail, "integration loaded from ~/.bashrc");
});
