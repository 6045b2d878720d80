// `cmdai eval` through runEval: real llama.cpp with scripted models (which always give the same
// reply, so every score can be worked out by hand), plus a fake backend where timing matters
// (timeouts, Ctrl-C, concurrent jobs).
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "./support/assert.ts";
import { scriptedModel } from "./support/gguf.ts";
import { loadModel } from "../src/backends/embedded.ts";
import type { Backend, Generation } from "../src/backends/backend.ts";
import { runEval } from "../src/commands/eval.ts";
import { CmdaiError, ExitCode } from "../src/errors.ts";
import { detachedIO, type IO } from "../src/io.ts";
import { fileTempDir } from "./support/temp.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const ALFA = fileURLToPath(new URL("./fixtures/intercode_alfa_sample30.tsv", import.meta.url));
const LS_A = '{"command": "ls -a", "explanation": "List all files, hidden ones too"}';

/** Opens a scripted model that always replies `reply`, as `cmdai eval` opens its backend. */
function scripted(reply: string): (signal: AbortSignal) => Promise<Backend> {
  return async (signal) => loadModel(await scriptedModel(reply), { threads: 1, signal });
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function evalRun(
  args: string[],
  open: (signal: AbortSignal) => Promise<Backend>,
  io: Partial<IO> = {},
): Promise<Ran> {
  let stdout = "", stderr = "";
  const code = await runEval(
    args,
    detachedIO({ stdout: (t) => stdout += t, stderr: (t) => stderr += t, ...io }),
    open,
  );
  return { code, stdout, stderr };
}

/** Every file the tests write, removed when they are done. */
const TMP = fileTempDir("cmdai-eval-");

async function tsv(text: string): Promise<string> {
  const path = join(await Deno.makeTempDir({ dir: TMP }), "data.tsv");
  await Deno.writeTextFile(path, text);
  return path;
}

const readJsonl = async (path: string) =>
  (await Deno.readTextFile(path)).trimEnd().split("\n").map((l) => JSON.parse(l));

const close = (a: number, b: number) => Math.abs(a - b) < 1e-4;

Deno.test({
  name: "the 30-row InterCode-ALFA sample, scored by hand",
  ...opts,
  fn: async () => {
    const out = join(await Deno.makeTempDir({ dir: TMP }), "rows.jsonl");
    const run = await evalRun(["--json", "--out", out, ALFA], scripted(LS_A));
    assertEquals(run.code, 0, run.stderr);
    const rows = await readJsonl(out);
    assertEquals(rows.length, 30);
    // Row 0, golds `ls` / `ls -l`: against `ls`, S_F = (0 − 1)/1 = −1 → 0; against `ls -l`,
    // S_F = (0 − 2)/1 = −2 → −0.5. Neither is positive: the mean, −0.25.
    assertEquals(rows[0].request, "list files in the current directory");
    assertEquals(rows[0].golds, ["ls", "ls -l"]);
    assertEquals([rows[0].prediction, rows[0].exact, rows[0].nlc2cmd], ["ls -a", false, -0.25]);
    // Row 1, golds `ls -a` / `ls -alh`: an exact match, 1.
    assertEquals([rows[1].exact, rows[1].nlc2cmd, rows[1].parses], [true, 1, true]);
    // Row 2, `lsof`: another utility, −1. Row 4's second gold `> /testbed/test.txt` has no
    // utility at all: −1 against it too. Row 18's `tac … | head -n 5`: two positions, −1 each.
    assertEquals([rows[2].nlc2cmd, rows[4].nlc2cmd, rows[18].nlc2cmd], [-1, -1, -1]);
    for (const r of rows) {
      assertEquals([r.explanation, r.risk, r.error], [
        "List all files, hidden ones too",
        "safe",
        null,
      ]);
      assert(Number.isInteger(r.ms) && r.ms >= 0);
    }
    // Every other row's golds use other utilities: (−0.25 + 1 + 28 × −1) / 30.
    const summary = JSON.parse(run.stdout);
    assertEquals(run.stdout.split("\n").length, 2, "one line");
    assert(close(summary.nlc2cmd, -27.25 / 30), `nlc2cmd ${summary.nlc2cmd}`);
    assert(close(summary.exact, 1 / 30), `exact ${summary.exact}`);
    assertEquals(
      [summary.format, summary.requests, summary.done, summary.parses, summary.high_risk],
      ["intercode-alfa", 30, 30, 1, 0],
    );
    assertEquals([summary.failures, summary.backend, summary.interrupted], [0, "embedded", false]);
    assertEquals(summary.parse_check, "tree-sitter-bash");
  },
});

Deno.test({
  name: "NL2Bash rows: one request per nl, several golds; a table by default; --limit",
  ...opts,
  fn: async () => {
    const file = await tsv(
      "list all files\tls -la\nfind c files\tfind . -name '*.c'\nlist all files\tls -a -l /\n" +
        "show the date\tdate\n",
    );
    const reply = '{"command": "ls -la", "explanation": "List all files"}';
    const run = await evalRun(["--limit", "2", file], scripted(reply));
    assertEquals(run.code, 0, run.stderr);
    // Request 1 matches its first gold exactly (1); request 2 is find, not ls (−1).
    const lines = run.stdout.split("\n");
    assertEquals(lines.slice(0, -2), [
      `${file}: nl2bash, shell bash, embedded ${await scriptedModel(reply)}`,
      "  requests       2",
      "  exact match    50.0%  (1)",
      "  NLC2CMD        0.000",
      "  parses (bash)  100.0%  (2)",
      "  risk >= high   0.0%  (0)",
      "  failures       0",
    ]);
    assert(/^ {2}ms \/ request {3}\d+$/.test(lines.at(-2)!), lines.at(-2));
  },
});

Deno.test({
  name: "a critical command counts in the risk share; zsh is parsed as bash",
  ...opts,
  fn: async () => {
    const file = await tsv("delete everything in my home\trm -rf ~/*\n");
    const reply = '{"command": "rm -rf ~", "explanation": "Delete your home"}';
    const run = await evalRun(["--json", "--shell", "zsh", file], scripted(reply));
    assertEquals(run.code, 0, run.stderr);
    const s = JSON.parse(run.stdout);
    // rm -rf against rm -rf: same utility and flags, arguments ignored.
    assertEquals([s.exact, s.nlc2cmd, s.parses, s.high_risk, s.shell], [0, 1, 1, 1, "zsh"]);
  },
});

Deno.test({
  name: "a reply that fails validation is a failure row, and the run goes on",
  ...opts,
  fn: async () => {
    const file = await tsv("say hi\techo hi\nsay bye\techo bye\n");
    // The grammar lets the escape through; the reply schema rejects the control character.
    const reply = '{"command": "echo \\u0007", "explanation": "Beep"}';
    const out = join(await Deno.makeTempDir({ dir: TMP }), "rows.jsonl");
    const run = await evalRun(["--json", "--out", out, file], scripted(reply));
    assertEquals(run.code, 0, run.stderr);
    const s = JSON.parse(run.stdout);
    assertEquals([s.done, s.failures, s.nlc2cmd, s.exact, s.parses], [2, 2, -1, 0, 0]);
    const rows = await readJsonl(out);
    assertEquals([rows[0].prediction, rows[0].parses, rows[0].risk], [null, false, null]);
    assertStringIncludes(rows[0].error, "control characters");
  },
});

Deno.test({
  name: "--jobs with the embedded backend: said once on stderr, run one at a time",
  ...opts,
  fn: async () => {
    const run = await evalRun(["--jobs", "4", "--limit", "3", "--json", ALFA], scripted(LS_A));
    assertEquals(run.code, 0, run.stderr);
    assertEquals(
      run.stderr,
      "cmdai: eval: --jobs is for remote backends; the embedded model runs 1 at a time\n" +
        "eval: 1/3, " + run.stderr.split("eval: 1/3, ")[1],
    );
    assertEquals(run.stderr.split("--jobs").length, 2, "said once");
    assertEquals(JSON.parse(run.stdout).done, 3);
  },
});

Deno.test({
  name: "fish: the parse share comes from fish itself",
  ...opts,
  ignore: !(await new Deno.Command("fish", { args: ["--version"], stdout: "null" }).output()
    .then((o) => o.success, () => false)),
  fn: async () => {
    const file = await tsv("print each txt file\tfor f in *.txt; do echo $f; done\n");
    const reply = '{"command": "for f in *.txt; echo $f; end", "explanation": "Loop"}';
    const run = await evalRun(["--json", "--shell", "fish", file], scripted(reply));
    assertEquals(run.code, 0, run.stderr);
    const s = JSON.parse(run.stdout);
    // fish accepts it; bash does not, so NLC2CMD scores it as unparseable: −1.
    assertEquals([s.parses, s.parse_check, s.nlc2cmd], [1, "fish --no-execute", -1]);
  },
});

/** A remote-like backend: answers `command(request)` after `delayMs(request)` (Infinity: never). */
function fakeBackend(
  command: (request: string) => string,
  delayMs: (request: string) => number,
  seen: { inFlight: number; most: number } = { inFlight: 0, most: 0 },
): (signal: AbortSignal) => Promise<Backend> {
  return () =>
    Promise.resolve({
      kind: "ollama",
      model: "fake",
      gpu: "remote",
      async generate(prompt, { signal }): Promise<Generation> {
        const delay = delayMs(prompt.request);
        seen.inFlight++;
        seen.most = Math.max(seen.most, seen.inFlight);
        try {
          await new Promise<void>((resolve, reject) => {
            const timer = delay === Infinity ? undefined : setTimeout(resolve, delay);
            signal?.addEventListener("abort", () => {
              clearTimeout(timer);
              reject(signal.reason);
            }, { once: true });
          });
        } finally {
          seen.inFlight--;
        }
        const text = JSON.stringify({ command: command(prompt.request), explanation: "x" });
        return { text, cutOff: false, promptTokens: 1, outputTokens: 1 };
      },
      dispose: () => Promise.resolve(),
    });
}

Deno.test("a request that times out is a failure; the others still count", async () => {
  const file = await tsv("fast one\tls\nslow one\tls\nfast two\tls\n");
  const out = join(await Deno.makeTempDir({ dir: TMP }), "rows.jsonl");
  const open = fakeBackend(() => "ls", (r) => r.startsWith("slow") ? Infinity : 0);
  const run = await evalRun(["--json", "--timeout", "0.2", "--out", out, file], open);
  assertEquals(run.code, 0, run.stderr);
  const s = JSON.parse(run.stdout);
  assertEquals([s.done, s.failures, s.exact, s.nlc2cmd], [3, 1, 0.6667, 0.3333]);
  const rows = await readJsonl(out);
  assertEquals([rows[1].error, rows[1].nlc2cmd, rows[1].parses], [
    "timed out after 0.2 s",
    -1,
    false,
  ]);
});

Deno.test("--jobs N keeps N requests of a remote backend in flight", async () => {
  const lines = Array.from({ length: 8 }, (_, i) => `request ${i}\tls`).join("\n");
  const seen = { inFlight: 0, most: 0 };
  const run = await evalRun(
    ["--jobs", "3", "--json", await tsv(lines)],
    fakeBackend(() => "ls", () => 20, seen),
  );
  assertEquals(run.code, 0, run.stderr);
  assertEquals([JSON.parse(run.stdout).done, JSON.parse(run.stdout).exact, seen.most], [8, 1, 3]);
  assertEquals(run.stderr.includes("--jobs"), false);
});

Deno.test("Ctrl-C stops the run; the summary covers what finished; exit 130", async () => {
  const lines = Array.from({ length: 10 }, (_, i) => `request ${i}\tls`).join("\n");
  const interrupt = new AbortController();
  let answered = 0;
  const open = fakeBackend(() => {
    if (++answered === 3) setTimeout(() => interrupt.abort(), 5);
    return "ls";
  }, () => 10);
  const out = join(await Deno.makeTempDir({ dir: TMP }), "rows.jsonl");
  const run = await evalRun(["--json", "--out", out, await tsv(lines)], open, {
    signal: interrupt.signal,
  });
  assertEquals(run.code, ExitCode.interrupted);
  const s = JSON.parse(run.stdout);
  assertEquals([s.requests, s.done, s.failures, s.interrupted], [10, 3, 0, true]);
  assertEquals((await readJsonl(out)).length, 3);
  assertStringIncludes(run.stderr, "cmdai: eval interrupted: 3 of 10 requests finished\n");
});

Deno.test("progress at a terminal: a bar with done/total", async () => {
  const run = await evalRun(
    ["--limit", "4", "--json", ALFA],
    fakeBackend(() => "ls", () => 0),
    { stderrIsTerminal: true, columns: 100 },
  );
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(run.stderr, "\r[");
  assert(run.stderr.endsWith("4/4  " + run.stderr.split("4/4  ").at(-1)), run.stderr);
  assert(run.stderr.endsWith("\x1b[K\n"), JSON.stringify(run.stderr));
});

Deno.test("bad input: one-line usage errors, before any model is opened", async () => {
  const never = () => Promise.reject(new Error("must not open the backend"));
  const usage = async (args: string[], part: string) => {
    const e = await assertRejects(() => evalRun(args, never), CmdaiError) as CmdaiError;
    assertEquals(e.code, ExitCode.usage, e.message);
    assertStringIncludes(e.message, part);
    assert(!e.message.includes("\n"), "one line");
  };
  const dir = await Deno.makeTempDir({ dir: TMP });
  await usage([join(dir, "missing.tsv")], `no such file: ${join(dir, "missing.tsv")}`);
  await usage([await tsv("a\tb\nc\td\te\n")], "line 2 has 3 columns");
  await usage(["--limit", "0", ALFA], "--limit must be a whole number from 1");
  await usage(["--limit", "many", ALFA], '"many"');
  await usage(["--jobs", "-2", ALFA], "--jobs");
  await usage(["--shell", "tcsh", ALFA], "tcsh");
  await usage(["--bogus", ALFA], "unknown flag --bogus");
  await usage([], "no FILE");
  await usage([ALFA, ALFA], "one FILE");
  const help = await evalRun(["--help"], never);
  assertEquals(help.code, 0);
  assertStringIncludes(help.stdout, "usage: cmdai eval");
});
