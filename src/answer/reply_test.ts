import { assertEquals, assertStringIncludes, assertThrows } from "../../test/support/assert.ts";
import { parseReply } from "./reply.ts";
import { CmdaiError, ExitCode } from "../errors.ts";

Deno.test("a reply in the contract's form parses", () => {
  assertEquals(parseReply('{"command": "ls -la", "explanation": "List all files"}'), {
    command: "ls -la",
    explanation: "List all files",
  });
  assertEquals(parseReply('{"command":"  pwd \\n"}'), { command: "pwd" });
});

Deno.test("multi-line commands and tabs are kept", () => {
  assertEquals(
    parseReply('{"command": "cat <<EOF\\nhi\\nEOF\\tx"}').command,
    "cat <<EOF\nhi\nEOF\tx",
  );
});

function rejects(raw: string, part: string) {
  const e = assertThrows(() => parseReply(raw), CmdaiError) as CmdaiError;
  assertEquals(e.code, ExitCode.inference);
  assertStringIncludes(e.message, part);
}

Deno.test("control characters and escape sequences are rejected", () => {
  rejects('{"command": "printf \'\\u001b[2J\'"}', "control characters");
  rejects('{"command": "echo \\u009b31m"}', "control characters");
  rejects('{"command": "ls \\u202e"}', "control characters");
  rejects('{"command": "ls", "explanation": "a\\u0007b"}', "control characters");
  rejects('{"command": "ls\\rrm -rf ~"}', "control characters");
});

Deno.test("other bad replies are one-line inference errors", () => {
  rejects('{"command": "ls"', "not valid JSON");
  rejects('{"command": "   "}', "empty");
  rejects('{"cmd": "ls"}', "command");
  rejects('{"command": "ls", "extra": 1}', "");
  rejects(`{"command": "${"a".repeat(3000)}"}`, "command");
  rejects("[]", "");
  rejects('{"command": "ls \uFFFD"}', "UTF-8");
});
