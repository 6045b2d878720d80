import { assert, assertEquals, assertStringIncludes } from "../../test/support/assert.ts";
import { loadBashParser } from "./bash_parser.ts";
import { bashParses, bashProblem, createSyntaxChecker } from "./check.ts";

const parser = await loadBashParser();

/** Whether fish can be run here (the fish tests need it). */
const hasFish = await new Deno.Command("fish", { args: ["--version"], stdout: "null" }).output()
  .then((o) => o.success, () => false);

Deno.test("bash: ERROR and MISSING nodes mean the command does not parse", () => {
  assert(bashParses(parser, "find . -name '*.c' | xargs grep -l main"));
  assert(bashParses(parser, 'for f in *; do echo "$f"; done'));
  assert(!bashParses(parser, "ls ("), "ERROR node");
  assert(!bashParses(parser, 'echo "abc'), "unterminated string");
  assert(!bashParses(parser, "if true; then echo"), "MISSING fi");
});

Deno.test("zsh: the bash grammar first, zsh -n for what it rejects", async () => {
  const checker = await createSyntaxChecker("zsh", parser);
  assertEquals(await checker.parses("ls -la"), true);
  assertEquals(await checker.parses("ls &&"), false);
  assertEquals(await checker.parses('echo "abc'), false);
  if (checker.method === "tree-sitter-bash, then zsh -n") {
    // zsh's own syntax, which the bash grammar cannot read.
    assertEquals(await checker.parses("print -l ${(s:,:)list}"), true);
    assertStringIncludes((await checker.problem('echo "abc'))!, "unmatched");
  }
});

Deno.test("the bash grammar's message names what it could not read", () => {
  assertEquals(bashProblem(parser, "ls -la"), undefined);
  assertStringIncludes(bashProblem(parser, "if true; then echo")!, "column");
  assertStringIncludes(bashProblem(parser, "ls )")!, "column");
});

Deno.test({
  name: "fish: checked by fish --no-execute, in fish's own grammar",
  ignore: !hasFish,
  fn: async () => {
    const checker = await createSyntaxChecker("fish", parser);
    assertEquals([checker.method, checker.unavailable], ["fish --no-execute", undefined]);
    assertEquals(await checker.parses("for f in *.txt; echo $f; end"), true);
    assertEquals(await checker.parses("ls -la | grep x"), true);
    assertEquals(await checker.parses("ls ("), false);
    assertEquals(await checker.parses("for f in *; do echo $f; done"), false, "bash syntax");
    assertStringIncludes((await checker.problem("for f in *; do echo $f; done"))!, "end");
  },
});

Deno.test("fish missing: the check is unavailable, never guessed", async () => {
  const checker = await createSyntaxChecker("fish", parser, "/nonexistent/fish");
  assertEquals(checker.unavailable, "fish is not installed");
  assertEquals(await checker.parses("ls"), undefined);
});
