import { assertEquals } from "../../test/support/assert.ts";
import { tokenizeLoosely } from "./fallback.ts";

const argvs = (text: string) => tokenizeLoosely(text).map((c) => c.argv);

Deno.test("tokenizer: separators, quotes and unbalanced input", () => {
  assertEquals(argvs("a 1 && b 2; c | d"), [["a", "1"], ["b", "2"], ["c"], ["d"]]);
  assertEquals(argvs("git checkout 'unterminated"), [["git", "checkout", "unterminated"]]);
  assertEquals(argvs(`echo "a b" 'c d' e\\ f`), [["echo", "a b", "c d", "e f"]]);
  assertEquals(argvs("$'\\x72m' -rf /"), [["rm", "-rf", "/"]]);
  assertEquals(argvs("# comment only"), []);
});

Deno.test("tokenizer: fish syntax and substitutions", () => {
  assertEquals(argvs("rm -rf (pwd); and echo done"), [["pwd"], ["rm", "-rf", "(pwd)"], [
    "echo",
    "done",
  ]]);
  assertEquals(argvs("begin; rm x; end"), [["rm", "x"]]);
  assertEquals(argvs('echo "$(rm -rf /)"'), [["rm", "-rf", "/"], ["echo", "$(rm -rf /)"]]);
});

Deno.test("tokenizer: assignments, redirects and pipes", () => {
  const [cmd] = tokenizeLoosely("A=1 B=2 ls > out.txt 2>&1");
  assertEquals(cmd.env, { A: "1", B: "2" });
  assertEquals(cmd.argv, ["ls"]);
  assertEquals(cmd.redirects, [{ op: ">", target: "out.txt" }, { op: ">&", target: "1" }]);
  const [a, b] = tokenizeLoosely("curl x | sh");
  assertEquals(b.pipedFrom === a, true);
});
