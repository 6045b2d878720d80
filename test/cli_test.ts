// End to end: the real launcher (./bin/cmdai), real llama.cpp, tiny GGUF models
// scripted to give an exact reply.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";
import { cachedModel, scriptedModel, writeRandomModel } from "./support/gguf.ts";
import { type Run, run } from "./support/run.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CMDAI = join(ROOT, "bin", "cmdai");

function cmdai(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return run(CMDAI, args, {
    env: { CMDAI_THREADS: "1", CMDAI_SERVER: "0", NO_COLOR: "", CMDAI_MODEL: "", ...env },
  });
}

/** A model scripted to reply `reply` (written once, shared between tests). */
const scripted = scriptedModel;

const LS = '{"command": "ls -la", "explanation": "List all files"}';
const RM_HOME = '{"command": "rm -rf ~", "explanation": "Delete everything in your home"}';

/** The widget frame on stdout: code, message, line, history (see src/report.ts). */
function frame(run: Run): { code: number; message: string; line: string; history: string } {
  const fields = run.stdout.split("\0");
  assertEquals(fields.length, 5, `one frame: ${JSON.stringify(run.stdout)}`);
  assertEquals(fields[4], "", "the frame ends with a NUL");
  assertEquals(Number(fields[0]), run.code, "the frame's code is the exit code");
  return { code: run.code, message: fields[1], line: fields[2], history: fields[3] };
}

/** A widget failure: the frame says it in one line, nothing on stderr, the line stays. */
function assertWidgetError(run: Run, code: number, part: string) {
  assertEquals(run.code, code, `exit code (stdout: ${JSON.stringify(run.stdout)})`);
  const f = frame(run);
  assertEquals([f.line, f.history, run.stderr], ["", "", ""]);
  assert(f.message.startsWith("cmdai: ") && !f.message.includes("\n"), f.message);
  assertStringIncludes(f.message, part);
}

function assertOneLineError(run: Run, code: number, part: string, json = false) {
  assertEquals(run.code, code, `exit code (stderr: ${run.stderr})`);
  // Under --json the error is also on stdout, as one JSON line.
  if (json) assertEquals(JSON.parse(run.stdout).exit_code, code);
  else assertEquals(run.stdout, "");
  const lines = run.stderr.trimEnd().split("\n");
  assertEquals(lines.length, 1, `one line on stderr: ${JSON.stringify(run.stderr)}`);
  assert(lines[0].startsWith("cmdai: "), run.stderr);
  assertStringIncludes(lines[0], part);
}

Deno.test("--help and --version answer without loading a model", async () => {
  const help = await cmdai(["--help"]);
  assertEquals(help.code, 0);
  assertStringIncludes(help.stdout, "Usage:");
  assertStringIncludes(help.stdout, "Exit codes");
  const version = await cmdai(["--version"]);
  assertEquals(version.code, 0);
  assert(/^cmdai \d+\.\d+\.\d+\n$/.test(version.stdout), version.stdout);
});

Deno.test("usage errors are one line and exit 2", async () => {
  assertOneLineError(await cmdai(["--bogus", "x"]), 2, "--bogus");
  assertOneLineError(await cmdai([]), 2, "no request");
  assertOneLineError(await cmdai(["--shell", "tcsh", "x"]), 2, "tcsh");
  assertOneLineError(await cmdai(["x"], { CMDAI_THREADS: "lots" }), 2, "CMDAI_THREADS");
  assertOneLineError(await cmdai(["x"], { CMDAI_TIMEOUT: "-1" }), 2, "CMDAI_TIMEOUT");
  // A flag that lacks its value says so plainly, with no quote left open.
  for (const args of [["--model"], ["x", "--shell"], ["explain", "--shell"], ["eval", "--limit"]]) {
    const r = await cmdai(args);
    assertOneLineError(r, 2, `${args.at(-1)} needs a value`);
    assert(!r.stderr.includes("'"), r.stderr);
  }
});

Deno.test("CMDAI_MODEL='~/…' is read as the home directory, as the config file's value is", async () => {
  const home = await Deno.makeTempDir();
  try {
    const r = await cmdai(["x"], { CMDAI_MODEL: "~/models/m.gguf", HOME: home });
    assertOneLineError(r, 3, `model file not found: ${home}/models/m.gguf`);
  } finally {
    await Deno.remove(home);
  }
});

Deno.test("every subcommand says an unknown flag plainly, no quote left open", async () => {
  for (const args of [["check", "--bogus"], ["model", "list", "--bogus"], ["config", "--bogus"]]) {
    const r = await cmdai(args);
    assertOneLineError(r, 2, "unknown flag --bogus");
    assert(!r.stderr.includes("'"), r.stderr);
  }
});

Deno.test("cmdai help is --help; cmdai help SUB is SUB --help", async () => {
  const help = await cmdai(["help"]);
  assertEquals([help.code, help.stdout], [0, (await cmdai(["--help"])).stdout]);
  const check = await cmdai(["help", "check"]);
  assertEquals(check.code, 0);
  assertStringIncludes(check.stdout, "usage: cmdai check");
  assertOneLineError(await cmdai(["help", "me", "please"]), 2, "no help for");
  // Only a first word of "help" is the subcommand; a request may contain it.
  const request = await cmdai(["--", "help"], { CMDAI_MODEL: "/nonexistent.gguf" });
  assertEquals(request.code, 3, request.stderr);
});

Deno.test("check and explain take the command's words unquoted", async () => {
  const check = await cmdai(["check", "--json", "rm", "-rf", "/"]);
  assertEquals(check.code, 0, check.stderr);
  const out = JSON.parse(check.stdout);
  assertEquals([out.command, out.risk], ["rm -rf /", "critical"]);
  // After the first word, flags are the command's: --json here is rm's, not check's.
  const human = await cmdai(["check", "rm", "--json"]);
  assertEquals(human.code, 0, human.stderr);
  assert(human.stdout.startsWith("rm --json\n"), human.stdout);
});

Deno.test("--json: an error is also one JSON line on stdout", async () => {
  const r = await cmdai(["--json", "--model", "/nonexistent.gguf", "list files"]);
  assertEquals(r.code, 3);
  assertStringIncludes(r.stderr, "cmdai: model file not found");
  assertEquals(JSON.parse(r.stdout), {
    error: r.stderr.trim().replace(/^cmdai: /, ""),
    exit_code: 3,
  });
  const usage = await cmdai(["--json", "--shell", "tcsh", "x"]);
  assertEquals(JSON.parse(usage.stdout).exit_code, 2);
  // Without --json, stdout stays empty.
  assertEquals((await cmdai(["--model", "/nonexistent.gguf", "x"])).stdout, "");
});

const DESCRIBE =
  '{"summary": "Deletes the log files below here.", "parts": [{"part": "find .", "meaning": "search here and below"}, {"part": "-name \'*.log\'", "meaning": "files ending in .log"}, {"part": "-delete", "meaning": "delete each one"}]}';

Deno.test("explain: parts from the model, risk from the rules; text, JSON and widget", async () => {
  const model = await scripted(DESCRIBE);
  const env = { CMDAI_MODEL: model };
  // Words given unquoted are quoted again where the shell would have read them otherwise.
  const text = await cmdai(["explain", "find", ".", "-name", "*.log", "-delete"], env);
  assertEquals(text.code, 0, text.stderr);
  assertEquals(
    text.stdout,
    [
      "find . -name '*.log' -delete",
      "  Deletes the log files below here.",
      "    find .         search here and below",
      "    -name '*.log'  files ending in .log",
      "    -delete        delete each one",
      "  risk: moderate — find deletes every file it matches",
      "",
    ].join("\n"),
  );
  const json = await cmdai(["explain", "--json", "--", "rm -rf /"], env);
  assertEquals(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  assertEquals(out.summary, "Deletes the log files below here.");
  assertEquals(out.parts.length, 3);
  assertEquals([out.command, out.risk, out.rules[0].id], ["rm -rf /", "critical", "fs.rm-root"]);
  assertEquals([out.backend, out.model], ["embedded", model]);
  // The widget's form leaves out the command (it is on the line) and colour.
  const widget = frame(await cmdai(["explain", "--widget", "--shell", "zsh", "--", "ls"], env));
  assertEquals(widget.code, 0);
  assertEquals(widget.message.split("\n")[0], "Deletes the log files below here.");
  assert(widget.message.endsWith("\nrisk: safe"), widget.message);
  // --model, as for a request; and the flags' settings.
  const flag = await cmdai(["explain", "--json", "--model", model, "ls"], { CMDAI_MODEL: "" });
  assertEquals([flag.code, JSON.parse(flag.stdout).model], [0, model], flag.stderr);
});

Deno.test("explain: when the model fails, the rules' rating still shows, and the exit says why", async () => {
  const model = await scripted('{"summary": "x", "parts": [{"part": "ls", "meaning": " "}]}');
  const command = "rm -rf --no-preserve-root /";
  const text = await cmdai(["explain", "--", command], { CMDAI_MODEL: model });
  assertEquals(text.code, 4, text.stderr);
  assertEquals(text.stdout.split("\n"), [
    command,
    "  cmdai: no description: the model's description was rejected: parts.0.meaning: Too small: expected string to have >=1 characters",
    text.stdout.split("\n")[2],
    "",
  ]);
  assert(text.stdout.split("\n")[2].startsWith("  risk: critical — "), text.stdout);
  const json = JSON.parse(
    (await cmdai(["explain", "--json", "--", command], { CMDAI_MODEL: model })).stdout,
  );
  assertEquals([json.risk, json.exit_code, json.summary], ["critical", 4, undefined]);
  assertStringIncludes(json.error, "description was rejected");
  // No model at all: the same, exit 3.
  const none = frame(
    await cmdai(["explain", "--widget", "--", command], { CMDAI_MODEL: "/nope.gguf" }),
  );
  assertEquals(none.code, 3);
  assertStringIncludes(none.message, "cmdai: no description: model file not found");
  assertStringIncludes(none.message, "\nrisk: critical — ");
  assertOneLineError(await cmdai(["explain"]), 2, "no command to explain");
});

Deno.test("--json: one compact line for a safe command", async () => {
  const model = await scripted(LS);
  const run = await cmdai(["--json", "--shell", "zsh", "list all files"], { CMDAI_MODEL: model });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stdout.split("\n").length, 2, "exactly one line");
  const out = JSON.parse(run.stdout);
  assertEquals(out.command, "ls -la");
  assertEquals(out.explanation, "List all files");
  assertEquals(out.risk, "safe");
  assertEquals(out.rules, []);
  assertEquals(out.request_risk, "safe");
  assertEquals(out.shell, "zsh");
  assertEquals(out.model, model);
  for (const k of ["load_ms", "generate_ms", "total_ms"]) {
    assert(Number.isInteger(out.timings[k]) && out.timings[k] >= 0, `timings.${k}`);
  }
  assert(out.timings.total_ms >= out.timings.load_ms + out.timings.generate_ms);
});

Deno.test("a command that does not parse in its shell is flagged with the parser's message", async () => {
  const bashLoop = await scripted(
    '{"command": "for f in *; do echo $f; done", "explanation": "x"}',
  );
  const fish = await cmdai(["--json", "--shell", "fish", "echo each file"], {
    CMDAI_MODEL: bashLoop,
  });
  const out = JSON.parse(fish.stdout);
  assertEquals(out.risk, "moderate", fish.stdout);
  assertEquals(out.rules.map((r: { id: string }) => r.id), ["syntax.parse-error"]);
  assertStringIncludes(out.rules[0].reason, "does not parse as fish: ");
  // The same command is fine for bash.
  const bash = await cmdai(["--json", "--shell", "bash", "echo each file"], {
    CMDAI_MODEL: bashLoop,
  });
  assertEquals([JSON.parse(bash.stdout).risk, JSON.parse(bash.stdout).rules], ["safe", []]);
  // An unclosed quote, in the widget's message.
  const quote = await scripted('{"command": "echo \\"abc", "explanation": "x"}');
  const widget = frame(
    await cmdai(["--widget", "--shell", "zsh", "--", "say abc"], { CMDAI_MODEL: quote }),
  );
  assertEquals(widget.code, 0);
  assertStringIncludes(widget.message, "does not parse as zsh: ");
});

Deno.test("--json: a critical command is rated critical and still exits 0", async () => {
  const run = await cmdai(["--json", "delete my home"], { CMDAI_MODEL: await scripted(RM_HOME) });
  assertEquals(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assertEquals(out.command, "rm -rf ~");
  assertEquals(out.risk, "critical");
  assert(
    out.rules.length > 0 &&
      out.rules.every((r: { id: string; reason: string }) => r.id && r.reason),
  );
  assert(out.request_risk !== "safe", "the request itself is flagged");
});

Deno.test("plain output in a pipe: command, explanation, risk, no escape codes", async () => {
  const run = await cmdai(["list all files"], { CMDAI_MODEL: await scripted(LS) });
  assertEquals(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split("\n");
  assertEquals(lines[0], "ls -la");
  assertStringIncludes(lines[1], "List all files");
  assertStringIncludes(lines[2], "risk: safe");
  assert(!run.stdout.includes("\x1b"), "no escape codes when not a terminal");
});

Deno.test("plain output never shows a blocked command as a runnable line", async () => {
  const run = await cmdai(["delete my home"], { CMDAI_MODEL: await scripted(RM_HOME) });
  assertEquals(run.code, 0, run.stderr);
  assert(run.stdout.startsWith("# blocked (critical): rm -rf ~"), run.stdout);
});

Deno.test("--widget: one frame on stdout, with the message, the new line and the history", async () => {
  const model = await scripted(LS);
  const run = await cmdai(["--widget", "--shell", "fish", "--", "# list all files"], {
    CMDAI_MODEL: model,
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stdout, "0\0cmdai: List all files\0ls -la\0# list all files\0");
  assertEquals(run.stderr, "");
});

Deno.test("CMDAI_EXPLAIN=0: the reply ends after the command, in fewer tokens", async () => {
  const model = await scripted(LS);
  const full = JSON.parse(
    (await cmdai(["--json", "list all files"], { CMDAI_MODEL: model })).stdout,
  );
  const run = await cmdai(["--json", "list all files"], { CMDAI_MODEL: model, CMDAI_EXPLAIN: "0" });
  assertEquals(run.code, 0, run.stderr);
  const bare = JSON.parse(run.stdout);
  assertEquals([bare.command, bare.explanation], ["ls -la", ""]);
  assert(bare.tokens.output < full.tokens.output, `${bare.tokens.output} < ${full.tokens.output}`);
});

Deno.test("--widget --enter: only a line that is all comment asks; others are the shell's (6)", async () => {
  // A command with a trailing comment, as pasted from documentation, runs as it is.
  for (const line of ["ls -la", 'echo "a # b"', "curl x#y", "#", "echo hello  # say hello"]) {
    const run = await cmdai(["--widget", "--enter", "--shell", "zsh", "--", line], {
      CMDAI_MODEL: "/nonexistent/model.gguf",
    });
    assertEquals([run.code, run.stdout, run.stderr], [6, "6\0\0\0\0", ""], line);
  }
  const model = await scripted(LS);
  for (const line of ["# all of them", "  # list\n# all of them"]) {
    const ask = await cmdai(["--widget", "--enter", "--shell", "zsh", "--", line], {
      CMDAI_MODEL: model,
    });
    assertEquals([ask.code, frame(ask).line, frame(ask).history], [0, "ls -la", line.trim()]);
  }
  // CMDAI_COMMENT_ENTER=0: Enter never asks, read at each press.
  const off = await cmdai(["--widget", "--enter", "--shell", "zsh", "--", "# all of them"], {
    CMDAI_MODEL: model,
    CMDAI_COMMENT_ENTER: "0",
  });
  assertEquals(off.code, 6);
});

Deno.test("--widget --session: a second press on the placed line asks for another command", async () => {
  const runtime = await Deno.makeTempDir();
  try {
    const env = { CMDAI_MODEL: await scripted(LS), XDG_RUNTIME_DIR: runtime };
    const press = (line: string, ...flags: string[]) =>
      cmdai(["--widget", "--session", "zsh-7", ...flags, "--shell", "zsh", "--", line], env);
    let run = await press("list all files");
    assertEquals([run.code, frame(run).line, frame(run).history], [0, "ls -la", "list all files"]);
    assertEquals((await Deno.stat(join(runtime, "cmdai"))).mode! & 0o777, 0o700);
    // The same line again: another command for "list all files", which this model has not.
    run = await press("ls -la");
    assertWidgetError(run, 4, "no different command came back (the model offered ls -la again)");
    // Enter on the placed line runs it; another session's line is a new request.
    assertEquals((await press("ls -la", "--enter")).code, 6);
    run = await cmdai(["--widget", "--session", "zsh-8", "--shell", "zsh", "--", "ls -la"], env);
    assertEquals([run.code, frame(run).line, frame(run).history], [0, "ls -la", "ls -la"]);
  } finally {
    await Deno.remove(runtime, { recursive: true });
  }
});

Deno.test("--widget: a critical command never reaches stdout", async () => {
  const run = await cmdai(["--widget", "--shell", "zsh", "--", "delete my home"], {
    CMDAI_MODEL: await scripted(RM_HOME),
  });
  assertWidgetError(run, 5, "rm -rf ~");
  assertStringIncludes(frame(run).message, "critical");
});

Deno.test("CMDAI_POLICY=permissive lets a critical command onto the line with its warning", async () => {
  const run = await cmdai(["--widget", "--shell", "zsh", "--", "delete my home"], {
    CMDAI_MODEL: await scripted(RM_HOME),
    CMDAI_POLICY: "permissive",
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals([frame(run).line, frame(run).history], ["rm -rf ~", "delete my home"]);
  assertStringIncludes(frame(run).message, "CRITICAL");
});

Deno.test("after --, a line that looks like a subcommand or a flag is the request", async () => {
  const model = await scripted(LS);
  for (const line of ["check disk space", "-rf", "init zsh", "--help"]) {
    const run = await cmdai(["--json", "--", line], { CMDAI_MODEL: model });
    assertEquals(run.code, 0, `${line}: ${run.stderr}`);
    assertEquals(JSON.parse(run.stdout).command, "ls -la");
  }
});

Deno.test("--model beats CMDAI_MODEL", async () => {
  const ls = await scripted(LS), rm = await scripted(RM_HOME);
  const run = await cmdai(["--json", "--model", ls, "x"], { CMDAI_MODEL: rm });
  assertEquals(JSON.parse(run.stdout).command, "ls -la");
});

Deno.test("a missing, foreign or truncated model is exit 3 and never a fallback", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assertOneLineError(await cmdai(["x"], { CMDAI_MODEL: join(dir, "nope.gguf") }), 3, "not found");
    await Deno.writeTextFile(join(dir, "text.gguf"), "hello, not a model");
    assertOneLineError(await cmdai(["x"], { CMDAI_MODEL: join(dir, "text.gguf") }), 3, "GGUF");
    const whole = await Deno.readFile(await scripted(LS));
    await Deno.writeFile(join(dir, "cut.gguf"), whole.subarray(0, whole.length >> 1));
    assertOneLineError(await cmdai(["x"], { CMDAI_MODEL: join(dir, "cut.gguf") }), 3, "cut.gguf");
    // The widget never downloads: a missing default model says how to get it.
    const run = await cmdai(["--widget", "--", "x"], { XDG_CACHE_HOME: dir });
    assertWidgetError(run, 3, "cmdai model pull");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a reply cut off by the token limit is exit 4, never a guess", async () => {
  // The loop stays inside the JSON string, so only the token limit can end it.
  const reply = '{"command": "yes and';
  const model = await scripted(reply, { loop: true, loopFrom: reply.indexOf("yes") });
  assertWidgetError(await cmdai(["--widget", "--", "x"], { CMDAI_MODEL: model }), 4, "cut off");
});

Deno.test("control characters in a reply are rejected before the terminal", async () => {
  const model = await scripted('{"command": "printf \'\\u001b[2J\'", "explanation": "x"}');
  const run = await cmdai(["--widget", "--", "clear"], { CMDAI_MODEL: model });
  assertWidgetError(run, 4, "control characters");
  assert(!run.stdout.includes("\x1b"));
});

Deno.test("a request past CMDAI_TIMEOUT is exit 4", async () => {
  const run = await cmdai(["x"], { CMDAI_MODEL: await scripted(LS), CMDAI_TIMEOUT: "0.05" });
  assertOneLineError(run, 4, "no reply within 0.05 s");
});

Deno.test("any ChatML GGUF loads and runs under the grammar", async () => {
  const model = await cachedModel("cli-random", (p) => writeRandomModel(p));
  const run = await cmdai(["--json", "list all files"], {
    CMDAI_MODEL: model,
    CMDAI_TIMEOUT: "60",
  });
  // Random weights rarely close a JSON string within the limit: either outcome is a clean one.
  if (run.code === 0) {
    assertEquals(typeof JSON.parse(run.stdout).command, "string");
  } else {
    assertOneLineError(run, 4, "the model's reply", true);
  }
});

/** Resolves once process `pid` has mapped `path` (Linux), so it is under way; elsewhere after 1 s. */
async function whenMapped(pid: number, path: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Deno.build.os === "linux" && Date.now() < deadline) {
    const maps = await Deno.readTextFile(`/proc/${pid}/maps`).catch(() => "");
    if (maps.includes(path)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 1000));
}

Deno.test("SIGINT during a request ends it with exit 130", async () => {
  // Random weights: the reply runs to the token limit, seconds of work to interrupt.
  const model = await cachedModel("cli-random", (p) => writeRandomModel(p));
  const child = new Deno.Command(CMDAI, {
    args: ["x"],
    env: { CMDAI_MODEL: model, CMDAI_THREADS: "1", CMDAI_SERVER: "0" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Not before cmdai is reading the model: a signal during Deno's own start-up kills it silently.
  await whenMapped(child.pid, model);
  child.kill("SIGINT");
  const out = await child.output();
  assertEquals(out.code, 130);
  assertEquals(new TextDecoder().decode(out.stdout), "");
  assertStringIncludes(new TextDecoder().decode(out.stderr), "interrupted");
});

Deno.test({
  name: "first use at a terminal downloads the default model, then answers offline",
  ignore: Deno.build.os !== "linux", // util-linux `script` gives the pty
  fn: async () => {
    const { startHubServer } = await import("./support/hub_server.ts");
    const { DEFAULT_MODEL } = await import("../src/models/spec.ts");
    const content = await Deno.readFile(await scripted(LS));
    const hub = startHubServer([{ repo: DEFAULT_MODEL.repo, path: DEFAULT_MODEL.file, content }]);
    const cache = await Deno.makeTempDir();
    try {
      // `script` runs cmdai on a pseudo-terminal: stdin and stderr are a terminal.
      const out = await new Deno.Command("script", {
        args: ["-qefc", `${CMDAI} --json 'list all files'`, "/dev/null"],
        env: {
          CMDAI_THREADS: "1",
          CMDAI_SERVER: "0",
          CMDAI_MODEL: "",
          XDG_CACHE_HOME: cache,
          HF_ENDPOINT: hub.url,
        },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout);
      assertEquals(out.code, 0, text);
      assertStringIncludes(text, '"command":"ls -la"');
      assert(hub.requests.some((r) => r.path.includes(DEFAULT_MODEL.file)), "downloaded");
      const cached = join(cache, "cmdai", "models", DEFAULT_MODEL.repo, DEFAULT_MODEL.file);
      assertEquals((await Deno.readFile(cached)).length, content.length);
      // Once present, no request reaches the hub.
      const before = hub.requests.length;
      const again = await cmdai(["--json", "x"], { XDG_CACHE_HOME: cache, HF_ENDPOINT: hub.url });
      assertEquals(again.code, 0, again.stderr);
      assertEquals(hub.requests.length, before);
    } finally {
      await hub.close();
      await Deno.remove(cache, { recursive: true });
    }
  },
});
