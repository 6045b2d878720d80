/**
 * What the shell-syntax check adds to a request (`deno task bench`): the bash grammar in
 * process, `zsh -n` only for what that grammar rejects, and one `fish --no-execute` per command.
 *
 * @module
 */

import { loadBashParser } from "../../src/syntax/bash_parser.ts";
import { createSyntaxChecker } from "../../src/syntax/check.ts";

const parser = await loadBashParser();
const COMMAND = "find . -name '*.log' -mtime +7 -exec gzip {} +";
const bash = await createSyntaxChecker("bash", parser);
const zsh = await createSyntaxChecker("zsh", parser);
const fish = await createSyntaxChecker("fish", parser);

Deno.bench("syntax: bash (tree-sitter)", { group: "syntax", baseline: true }, async () => {
  await bash.problem(COMMAND);
});
Deno.bench("syntax: zsh, valid bash too (no process)", { group: "syntax" }, async () => {
  await zsh.problem(COMMAND);
});
Deno.bench({
  name: "syntax: fish (fish --no-execute)",
  group: "syntax",
  ignore: fish.unavailable !== undefined,
  fn: async () => {
    await fish.problem("for f in *.log; gzip $f; end");
  },
});
