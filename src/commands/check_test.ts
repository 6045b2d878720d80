import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../test/support/assert.ts";
import { detachedIO } from "../io.ts";
import { runCheck } from "./check.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import { createRater } from "../safety/mod.ts";

const rater = await createRater();
const encoder = new TextEncoder();

/** A stdin made of the given chunks (strings or raw bytes). */
function stdinOf(...chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(typeof ch === "string" ? encoder.encode(ch) : ch);
      c.close();
    },
  });
}

/** `$SHELL` as a test sets it (bash unless said otherwise). */
const shellEnv = (shell = "/bin/bash") => ({
  get: (k: string) => k === "SHELL" ? shell : undefined,
});

async function run(args: string[], ...chunks: (string | Uint8Array)[]) {
  let out = "";
  const code = await runCheck(
    args,
    detachedIO({ stdin: stdinOf(...chunks), stdout: (s) => out += s }),
    { rater, env: shellEnv() },
  );
  return { code, out };
}

/** Whether `program` runs here (fish and zsh are optional). */
async function installed(program: string): Promise<boolean> {
  try {
    return (await new Deno.Command(program, { args: ["--version"], stdout: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

Deno.test("check: human output gives the risk and why, exit 0 even when critical", async () => {
  const { code, out } = await run(["rm -rf ~"]);
  assertEquals(code, 0);
  assertEquals(out, "rm -rf ~\n  risk: critical — deletes a whole home directory [fs.rm-home]\n");
  const safe = await run(["--", "ls", "-la"]);
  assertStringIncludes(safe.out, "risk: safe");
});

Deno.test("check --json: one compact line with command, risk, rules", async () => {
  const { code, out } = await run(["--json", "rm -rf /"]);
  assertEquals(code, 0);
  assert(out.endsWith("\n") && out.indexOf("\n") === out.length - 1, "one line");
  const v = JSON.parse(out);
  assertEquals(Object.keys(v), ["command", "risk", "rules"]);
  assertEquals(v.command, "rm -rf /");
  assertEquals(v.risk, "critical");
  assertEquals(v.rules[0].id, "fs.rm-root");
  assertEquals(Object.keys(v.rules[0]), ["id", "reason"]);
  assert(!out.includes(": "), "compact");
});

Deno.test("check --jsonl: one line out per line in, in order, commands echoed exactly", async () => {
  const commands = ["  ls -la", "rm -rf ~", "echo 'a\nb'\tx", "cat <<EOF\nhi\nEOF", "你好 🚀", ""];
  const input = commands.map((c) => JSON.stringify({ command: c, id: 1 })).join("\n") + "\n";
  const { code, out } = await run(["--jsonl"], input);
  assertEquals(code, 0);
  const lines = out.split("\n");
  assertEquals(lines.pop(), "");
  assertEquals(lines.length, commands.length);
  lines.forEach((line, i) => {
    const v = JSON.parse(line);
    assertEquals(v.command, commands[i]);
    assertEquals(line.startsWith(`{"command":${JSON.stringify(commands[i])},"risk":`), true);
  });
  assertEquals(JSON.parse(lines[1]).risk, "critical");
});

Deno.test("check --jsonl: malformed lines give an error line in their place", async () => {
  const input = [
    '{"command":"ls"}',
    "not json",
    "",
    "[1,2]",
    '{"cmd":"ls"}',
    '{"command":42}',
    '{"command":"rm -rf /"}',
  ].join("\n");
  const { out } = await run(["--jsonl"], input); // no final newline
  const lines = out.trimEnd().split("\n").map((l) => JSON.parse(l));
  assertEquals(lines.length, 7);
  assertEquals(lines[0].risk, "safe");
  for (const i of [1, 2, 3, 4, 5]) assert(typeof lines[i].error === "string", `line ${i}`);
  assertEquals(Object.keys(lines[1]), ["error"]);
  assertEquals(lines[6].risk, "critical");
});

Deno.test("check --jsonl: lines split across chunks, CRLF and multi-byte characters", async () => {
  const bytes = encoder.encode('{"command":"echo é🚀"}\r\n{"command":"ls"}\n');
  const chunks = [bytes.slice(0, 17), bytes.slice(17, 19), bytes.slice(19)];
  const { out } = await run(["--jsonl"], ...chunks);
  const lines = out.trimEnd().split("\n").map((l) => JSON.parse(l));
  assertEquals(lines.map((l) => l.command), ["echo é🚀", "ls"]);
  assertEquals((await run(["--jsonl"])).out, "");
});

Deno.test("check --jsonl streams: a result is written before stdin ends", async () => {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stdin = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  let out = "";
  const done = runCheck(["--jsonl"], detachedIO({ stdin, stdout: (s) => out += s }), { rater });
  controller.enqueue(encoder.encode('{"command":"rm -rf ~"}\n'));
  for (let i = 0; i < 100 && out === ""; i++) await new Promise((r) => setTimeout(r, 5));
  assertStringIncludes(out, '"risk":"critical"');
  controller.close();
  assertEquals(await done, 0);
});

Deno.test("check: a command that does not parse in its shell is flagged, as in the widget", async () => {
  // The issue-13 case: an unclosed quote rated safe by check, flagged by the widget.
  const unclosed = JSON.parse((await run(["--json", 'echo "abc'])).out);
  assertEquals(unclosed.risk, "moderate");
  assertEquals(unclosed.rules.map((r: { id: string }) => r.id), ["syntax.parse-error"]);
  assertStringIncludes(unclosed.rules[0].reason, "does not parse as bash");
  // The parse problem joins the rules' findings; it never lowers them.
  const both = JSON.parse((await run(["--json", "--shell", "bash", "rm -rf ~ 'x"])).out);
  assertEquals(both.risk, "critical");
  assert(both.rules.some((r: { id: string }) => r.id === "syntax.parse-error"));
  // --jsonl reads each line for the same shell.
  const lines =
    (await run(["--jsonl", "--shell", "bash"], '{"command":"ls ("}\n{"command":"ls"}\n'))
      .out.trimEnd().split("\n").map((l) => JSON.parse(l));
  assertEquals(lines.map((l) => l.risk), ["moderate", "safe"]);
});

Deno.test("check --shell: the shell's own grammar, default from $SHELL", {
  ignore: !(await installed("fish")),
}, async () => {
  // Valid bash, not fish: bash's `do … done` loop.
  const loop = "for i in 1 2; do echo $i; done";
  assertEquals(JSON.parse((await run(["--json", loop])).out).risk, "safe");
  const fish = JSON.parse((await run(["--json", "--shell", "fish", loop])).out);
  assertEquals(fish.risk, "moderate");
  assertStringIncludes(fish.rules[0].reason, "does not parse as fish");
  // No --shell: $SHELL says fish.
  let out = "";
  await runCheck(["--json", loop], detachedIO({ stdout: (s) => out += s }), {
    rater,
    env: shellEnv("/usr/bin/fish"),
  });
  assertEquals(JSON.parse(out).risk, "moderate");
  assertEquals(
    JSON.parse((await run(["--json", "--shell", "fish", "for i in 1 2; echo $i; end"])).out).risk,
    "safe",
  );
});

Deno.test("check: usage errors are one-line CmdaiErrors", async () => {
  for (
    const args of [[], ["--json"], ["--json", "--jsonl"], ["--jsonl", "ls"], ["-rf", "x"], [
      "--shell",
      "tcsh",
      "ls",
    ]]
  ) {
    const err = await assertRejects(() => run(args), CmdaiError);
    assertEquals((err as CmdaiError).code, ExitCode.usage);
    assert(!err.message.includes("\n"), err.message);
  }
});
