import { assertEquals, assertStringIncludes, assertThrows } from "../../test/support/assert.ts";
import { firstLine, parseReply, replyText } from "./reply.ts";
import { CmdaiError, ExitCode } from "../errors.ts";

Deno.test("a reply in the contract's form parses: the command as typed, then # and a sentence", () => {
  assertEquals(parseReply("ls -la\n# List all files"), {
    command: "ls -la",
    explanation: "List all files",
  });
  assertEquals(parseReply("pwd", false), { command: "pwd" });
  assertEquals(replyText({ command: "ls", explanation: "List" }), "ls\n# List");
});

Deno.test("quotes, backslashes, $, #, Unicode and long pipelines need no escaping", () => {
  for (
    const command of [
      `find . -name "*.txt" -exec grep -l 'a\\tb' {} \\;`,
      `echo "$HOME" '$PATH' \\$x`,
      "git log --format='%h %s' | grep '#42'",
      "grep -r 'größe' . | sort | uniq -c | sort -rn | head -n 20 | awk '{print $2}' | xargs wc -l",
      "printf '%s\\n' ✓ ☃",
    ]
  ) {
    assertEquals(parseReply(`${command}\n# Does it`).command, command);
    assertEquals(parseReply(replyText({ command, explanation: "x" })), {
      command,
      explanation: "x",
    });
  }
});

Deno.test("what chat models wrap around a command is read: a fence, a $ prompt sign", () => {
  const want = { command: "du -sh *", explanation: "Sizes here" };
  assertEquals(parseReply("```sh\ndu -sh *\n```\n# Sizes here"), want);
  assertEquals(parseReply("```bash\n$ du -sh *\n# Sizes here\n```\n"), want);
  assertEquals(parseReply("\n$ du -sh *\n#Sizes here\n\n"), want);
  assertEquals(parseReply("```\ndu -sh *\n```", false), { command: "du -sh *" });
});

function rejects(raw: string, part: string, explain = true) {
  const e = assertThrows(() => parseReply(raw, explain), CmdaiError) as CmdaiError;
  assertEquals(e.code, ExitCode.inference);
  assertStringIncludes(e.message, part);
  assertEquals(e.message.includes("\n"), false);
}

Deno.test("control characters and escape sequences are rejected", () => {
  rejects("printf '\u001b[2J'\n# x", "control characters");
  rejects("echo \u009b31m\n# x", "control characters");
  rejects("ls \u202e\n# x", "control characters");
  rejects("ls\n# a\u0007b", "control characters");
  rejects("ls\u000brm -rf ~\n# x", "control characters");
});

Deno.test("what breaks the contract is refused, in one line", () => {
  rejects("", "the reply is empty");
  rejects("   \n# x", "no command before the explanation");
  rejects("ls -la", "no explanation line");
  rejects("ls -la\nList all files", "is not `# ` and an explanation");
  rejects("ls\n# List\nrm -rf ~", "more than a command and its explanation");
  rejects("Sure! Here is the command:\n```sh\nls\n```", "more than a command");
  rejects("```sh\nls -la\n# x", "never closed");
  rejects(`${"a".repeat(3000)}\n# x`, "command");
  rejects("ls \uFFFD\n# x", "UTF-8");
});

Deno.test("the command's line, once whole and followed by its explanation's #", () => {
  assertEquals(firstLine("ls -l"), undefined);
  assertEquals(firstLine("ls -l\n"), undefined);
  assertEquals(firstLine("ls -l\n#"), "ls -l");
  assertEquals(firstLine("ls -l\n# Li"), "ls -l");
  assertEquals(firstLine("```sh\n"), undefined);
  assertEquals(firstLine("```sh\n$ ls -l\n"), undefined);
  assertEquals(firstLine("```sh\n$ ls -l\n`"), "ls -l");
  assertEquals(firstLine("```sh\n$ ls -l\n# x"), "ls -l");
  assertEquals(firstLine("\n\nls\n#"), "ls");
  // Chatter is no command: nothing is handed over, and the whole reply is refused later.
  assertEquals(firstLine("Sure! Here is the command:\n```"), undefined);
  assertEquals(firstLine("Sure! Here is the command:\nls"), undefined);
});
