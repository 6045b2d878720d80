import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../../test/support/assert.ts";
import {
  bashCompletions,
  fishCompletions,
  INIT_HELP,
  initScript,
  parseKey,
  zshCompletions,
} from "./init.ts";
import { COMMANDS, type Flag } from "../cli.ts";
import { CmdaiError } from "../errors.ts";

const noEnv = { get: (_: string) => undefined };

Deno.test("keys in caret notation, spelled for zsh, fish, bash and a person", () => {
  assertEquals(parseKey("^G"), { zsh: "^G", fish: "\\cg", bash: "\\C-g", name: "Ctrl-G" });
  assertEquals(parseKey("^X^g"), {
    zsh: "^X^G",
    fish: "\\cx\\cg",
    bash: "\\C-x\\C-g",
    name: "Ctrl-X Ctrl-G",
  });
  assertEquals(parseKey("^[g"), { zsh: "^[g", fish: "\\eg", bash: "\\eg", name: "Alt-G" });
  assertEquals(parseKey("\\eg"), { zsh: "^[g", fish: "\\eg", bash: "\\eg", name: "Alt-G" });
  // readline's escapes: Delete, Ctrl-\, and the quote and backslash its key strings escape.
  assertEquals(parseKey("^?^\\").bash, "\\C-?\\C-\\\\");
  assertEquals(parseKey('^X"').bash, '\\C-x\\"');
  assertEquals(parseKey("\\eG").name, "Alt-Shift-G");
  for (const bad of ["", "é", "^1", "\\x", "a\tb"]) {
    assertThrows(() => parseKey(bad), CmdaiError);
  }
});

Deno.test("init: the key, --no-bind and CMDAI_KEY are written into the script", async () => {
  const plain = await initScript(["zsh"], noEnv);
  assertStringIncludes(plain, 'bindkey -M $m -- "^G" cmdai-widget');
  assertStringIncludes(plain, 'then press ""Ctrl-G"');
  const env = { get: (k: string) => (k === "CMDAI_KEY" ? "^X^G" : undefined) };
  assertStringIncludes(await initScript(["fish"], env), "bind -M $mode \\cx\\cg cmdai_widget");
  // --key wins over the environment.
  assertStringIncludes(await initScript(["fish", "--key", "^[g"], env), "then press ''Alt-G'");
  assertStringIncludes(await initScript(["zsh", "--no-bind"], noEnv), "[[ 0 == 1 ]] || return 0");
  const bash = await initScript(["bash"], env);
  assertStringIncludes(bash, "key='\\C-x\\C-g' explain='\\eg'");
  assertStringIncludes(bash, `then press "'Ctrl-X Ctrl-G'`);
  assertStringIncludes(await initScript(["bash", "--no-bind"], noEnv), "[[ 0 == 1 && $- == *i* ]]");
  for (const args of [[], ["tcsh"], ["zsh", "fish"], ["zsh", "--bogus"], ["zsh", "--key", "é"]]) {
    await assertRejects(() => initScript(args, noEnv), CmdaiError);
  }
});

Deno.test("init: the explain key, Alt-G unless --explain-key or CMDAI_EXPLAIN_KEY says", async () => {
  const env = (vars: Record<string, string>) => ({ get: (k: string) => vars[k] });
  // The default, in both shells, and the name in the empty-line hint.
  const zsh = await initScript(["zsh"], noEnv);
  assertStringIncludes(zsh, 'local m k explain="^[g"');
  assertStringIncludes(zsh, "[[ -n $explain ]] && bindkey -M $m -- $explain cmdai-explain");
  assertStringIncludes(zsh, 'then press ""Alt-G"');
  const fish = await initScript(["fish"], noEnv);
  assertStringIncludes(fish, "set -l explain \\eg\n");
  assertStringIncludes(fish, "then press ''Alt-G'");
  // The flag, the variable (where the config file's shell.explain_key arrives), the flag first;
  // an empty variable is unset.
  const xe = { CMDAI_EXPLAIN_KEY: "^Xe" };
  assertStringIncludes(await initScript(["zsh", "--explain-key", "^[e"], noEnv), 'explain="^[e"');
  assertStringIncludes(await initScript(["fish"], env(xe)), "set -l explain \\cxe\n");
  assertStringIncludes(await initScript(["zsh"], env(xe)), 'then press ""Ctrl-X e"');
  assertStringIncludes(await initScript(["zsh", "--explain-key=\\eE"], env(xe)), 'explain="^[E"');
  assertStringIncludes(await initScript(["zsh"], env({ CMDAI_EXPLAIN_KEY: "" })), 'explain="^[g"');
  // none: no explain key, the request key as ever.
  const none: [string[], Record<string, string>][] = [
    [["--explain-key", "none"], {}],
    [[], { CMDAI_EXPLAIN_KEY: "none" }],
  ];
  for (const [args, vars] of none) {
    const z = await initScript(["zsh", ...args], env(vars));
    assertStringIncludes(z, 'local m k explain=""');
    assertStringIncludes(z, 'bindkey -M $m -- "^G" cmdai-widget');
    assertStringIncludes(z, 'then press ""the explain key"');
    const f = await initScript(["fish", ...args], env(vars));
    assertStringIncludes(f, "set -l explain \n");
    assertStringIncludes(f, "bind -M $mode \\cg cmdai_widget");
  }
  // A request key of Alt-G: the default explain key gives way; asked for by name, an error.
  assertStringIncludes(await initScript(["zsh", "--key", "\\eg"], noEnv), 'explain=""');
  assertStringIncludes(
    await initScript(["zsh", "--key", "\\eg", "--explain-key", "^Xe"], noEnv),
    'explain="^Xe"',
  );
  const bad = [["--key", "^[g", "--explain-key", "\\eg"], ["--explain-key", "^G"]];
  bad.push(["--explain-key", "é"], ["--explain-key", ""]);
  for (const args of bad) {
    await assertRejects(() => initScript(["zsh", ...args], noEnv), CmdaiError);
  }
  assertStringIncludes(INIT_HELP, "--explain-key KEY");
});

Deno.test("init: key names are quoted for the shell, whatever they hold", async () => {
  const args = ["--key", '^X"', "--explain-key", "^[$'"];
  const zsh = await initScript(["zsh", ...args], noEnv);
  assertStringIncludes(zsh, `then press ""Ctrl-X \\""`);
  // init puts the whole script in single quotes: a single quote in it ends and restarts them.
  assertStringIncludes(zsh, `then press ""Alt-\\$ '\\''"`);
  const fish = await initScript(["fish", ...args], noEnv);
  assertStringIncludes(fish, `then press ''Ctrl-X "'`);
  assertStringIncludes(fish, `then press ''Alt-$ \\''`);
  const bash = await initScript(["bash", ...args], noEnv);
  assertStringIncludes(bash, `then press "'Ctrl-X "'`);
  assertStringIncludes(bash, `then press "'Alt-$ '\\''`);
  // The keys themselves, in readline's spelling, single-quoted.
  assertStringIncludes(bash, `key='\\C-x\\"' explain='\\e$'\\'''`);
});

Deno.test("init: completions come from the flags each command parses with, every shell", () => {
  const zsh = zshCompletions(), fish = fishCompletions(), bash = bashCompletions();
  for (const [name, spec] of Object.entries(COMMANDS)) {
    for (const [flag, f] of Object.entries(spec.flags as Record<string, Flag>)) {
      const zshFlag = zsh.includes(`--${flag}[`) || zsh.includes(`{-${f.short},--${flag}}`);
      const fishFlag = fish.includes(`-l ${flag} `) || fish.includes(`-l ${flag}\n`);
      const bashFlag = new RegExp(`flags="[^"]*--${flag}[ "]`).test(bash);
      // The widget's own flags are not offered; every other one is, in every shell.
      assertEquals(
        [zshFlag, fishFlag, bashFlag],
        f.hidden ? [false, false, false] : [true, true, true],
        `${name} --${flag}`,
      );
    }
  }
});
