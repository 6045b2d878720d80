import { assertEquals } from "../../test/support/assert.ts";
import { joinContinuations, readLine } from "./ask.ts";

Deno.test("a line in words is the request; a leading # is dropped", async () => {
  assertEquals(await readLine("find the 10 biggest files here"), {
    kind: "ask",
    ask: { request: "find the 10 biggest files here" },
  });
  assertEquals(await readLine("  ## undo my last commit  "), {
    kind: "ask",
    ask: { request: "undo my last commit" },
  });
  // Several comment lines are one request.
  assertEquals(await readLine("# find the logs\n# and compress them"), {
    kind: "ask",
    ask: { request: "find the logs and compress them" },
  });
});

Deno.test("a trailing comment opened by '# ' revises the command before it", async () => {
  assertEquals(await readLine("git log --oneline  # only mine, from last week"), {
    kind: "ask",
    ask: { request: "only mine, from last week", command: "git log --oneline" },
  });
  assertEquals(await readLine("ls -la | sort\t#\tbiggest first"), {
    kind: "ask",
    ask: { request: "biggest first", command: "ls -la | sort" },
  });
  // Enter runs such a line as it is: commands pasted from documentation carry comments.
  for (const line of ["ls -la | sort\t#\tbiggest first", "./install.sh   # set everything up"]) {
    assertEquals(await readLine(line, "enter"), { kind: "command" }, line);
  }
  // Width is counted in UTF-16 units, as the parser counts.
  assertEquals(await readLine("echo größe # in Kürze"), {
    kind: "ask",
    ask: { request: "in Kürze", command: "echo größe" },
  });
});

Deno.test("a # inside quotes, a word or $# is no instruction", async () => {
  for (const line of ['echo "a # b"', "curl x#y", "echo $#", "echo 'a # b' x"]) {
    assertEquals(await readLine(line, "enter"), { kind: "command" }, line);
    assertEquals(await readLine(line), { kind: "ask", ask: { request: line } }, line);
  }
  // `#tag` in a request in words stays part of it.
  assertEquals(await readLine("find files tagged #urgent"), {
    kind: "ask",
    ask: { request: "find files tagged #urgent" },
  });
  assertEquals(await readLine("find files tagged #urgent", "enter"), { kind: "command" });
});

Deno.test("Enter: only comment lines ask; plain, broken and bare-# lines are commands", async () => {
  assertEquals(await readLine("  # list all files", "enter"), {
    kind: "ask",
    ask: { request: "list all files" },
  });
  assertEquals(await readLine("# find the logs\n  # and compress them", "enter"), {
    kind: "ask",
    ask: { request: "find the logs and compress them" },
  });
  for (const line of ["ls -la", "", "#", "echo 'unclosed # x", "git status", "# x\nls"]) {
    assertEquals(await readLine(line, "enter"), { kind: "command" }, line);
  }
});

Deno.test("lines continued with a backslash are joined", async () => {
  assertEquals(
    joinContinuations("find the log files \\\nand compress them"),
    "find the log files and compress them",
  );
  assertEquals(await readLine("find the log files \\\nand compress them"), {
    kind: "ask",
    ask: { request: "find the log files and compress them" },
  });
});
