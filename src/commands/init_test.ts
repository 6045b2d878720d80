import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../../test/support/assert.ts";
import { initScript, parseKey } from "./init.ts";
import { CmdaiError } from "../errors.ts";

const noEnv = { get: (_: string) => undefined };

Deno.test("keys in caret notation, spelled for zsh, fish and a person", () => {
  assertEquals(parseKey("^G"), { zsh: "^G", fish: "\\cg", name: "Ctrl-G" });
  assertEquals(parseKey("^X^g"), { zsh: "^X^G", fish: "\\cx\\cg", name: "Ctrl-X Ctrl-G" });
  assertEquals(parseKey("^[g"), { zsh: "^[g", fish: "\\eg", name: "Alt-g" });
  assertEquals(parseKey("\\eg"), { zsh: "^[g", fish: "\\eg", name: "Alt-g" });
  for (const bad of ["", "é", "^1", "\\x", "a\tb"]) {
    assertThrows(() => parseKey(bad), CmdaiError);
  }
});

Deno.test("init: the key, --no-bind and CMDAI_KEY are written into the script", async () => {
  const plain = await initScript(["zsh"], noEnv);
  assertStringIncludes(plain, 'bindkey -M $m -- "^G" cmdai-widget');
  assertStringIncludes(plain, "then press Ctrl-G");
  const env = { get: (k: string) => (k === "CMDAI_KEY" ? "^X^G" : undefined) };
  assertStringIncludes(await initScript(["fish"], env), "bind -M $mode \\cx\\cg cmdai_widget");
  // --key wins over the environment.
  assertStringIncludes(await initScript(["fish", "--key", "^[g"], env), "then press Alt-g");
  assertStringIncludes(await initScript(["zsh", "--no-bind"], noEnv), "[[ 0 == 1 ]] || return 0");
  for (const args of [[], ["bash"], ["zsh", "fish"], ["zsh", "--bogus"], ["zsh", "--key", "é"]]) {
    await assertRejects(() => initScript(args, noEnv), CmdaiError);
  }
});
