import { assert, assertEquals } from "../../test/support/assert.ts";
import { loadBashParser } from "../safety/parser.ts";
import { bashParses, createSyntaxChecker } from "./syntax.ts";

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

Deno.test("zsh is checked with the bash grammar", async () => {
  const checker = await createSyntaxChecker("zsh", parser);
  assertEquals([checker.method, checker.unavailable], ["tree-sitter-bash", undefined]);
  assertEquals(await checker.parses("ls -la"), true);
  assertEquals(await checker.parses("ls &&"), false);
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
  },
});

Deno.test("fish missing: the check is unavailable, never guessed", async () => {
  const checker = await createSyntaxChecker("fish", parser, "/nonexistent/fish");
  assertEquals(checker.unavailable, "fish is not installed");
  assertEquals(await checker.parses("ls"), undefined);
});
