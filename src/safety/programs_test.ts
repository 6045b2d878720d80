/**
 * The registry of programs: one name for every spelling of a program, and every rule and the
 * wrapper expander reading that name.
 */

import { assert, assertEquals } from "../../test/support/assert.ts";
import { makeInvocation } from "./command.ts";
import { canonical, namesOf, program, PROGRAMS, RUNNERS, WRAPPERS } from "./programs.ts";
import { createRater } from "./mod.ts";

const rater = await createRater();
const risk = (line: string) => rater.rateRules(line).risk;

Deno.test("registry: aliases and g-prefixed GNU copies carry the program's name", () => {
  for (
    const [name, want] of [
      ["gfind", "find"],
      ["gtimeout", "timeout"],
      ["gxargs", "xargs"],
      ["grm", "rm"],
      ["gnice", "nice"],
      ["genv", "env"],
      ["gshred", "shred"],
      ["podman", "docker"],
      ["k", "kubectl"],
      ["apt-get", "apt"],
      ["yarn", "npm"],
      ["find", "find"],
      ["unknown-tool", "unknown-tool"],
    ]
  ) assertEquals(canonical(name), want, name);
  // The invocation carries it, whatever the path or case it was written with.
  const inv = makeInvocation(["/opt/homebrew/bin/gfind", ".", "-delete"]);
  assertEquals([inv.name, inv.key], ["gfind", "find"]);
  assertEquals(namesOf("timeout"), ["timeout", "gtimeout"]);
});

Deno.test("registry: every spelling is rated like the program (issue 17)", () => {
  const same: [string, string][] = [
    ["find . -exec rm -rf / \\;", "gfind . -exec rm -rf / \\;"],
    ["timeout 5 rm -rf /", "gtimeout 5 rm -rf /"],
    ["echo / | xargs rm -rf", "echo / | gxargs rm -rf"],
    ["nice -n 5 rm -rf ~", "gnice -n 5 rm -rf ~"],
    ["env rm -rf /", "genv rm -rf /"],
    ["rm -rf /", "npm exec -- rm -rf /"],
    ["rm -rf /", "npm x rm -rf /"],
    ["rm -rf ~", "pnpm exec rm -rf ~"],
    ["rm -rf ~", "yarn dlx rm -rf ~"],
    ["chmod -R 777 /", "gchmod -R 777 /"],
    ["docker volume prune -f", "podman volume prune -f"],
  ];
  for (const [plain, other] of same) {
    assertEquals(risk(other), risk(plain), `${other} vs ${plain}`);
    assert(risk(plain) !== "safe", plain);
  }
  // npm's other subcommands run nothing.
  assertEquals(risk("npm install rm"), "safe");
  assertEquals(risk("npm exec -- eslint ."), "safe");
});

Deno.test("registry: no name is claimed by two programs, and runners say what they run", () => {
  // Loading the registry throws on a duplicate; here, what a row claims is consistent.
  for (const name of RUNNERS) assert(program(name)?.runs, name);
  for (const name of WRAPPERS) assert(RUNNERS.has(name), `${name} wraps but runs nothing`);
  for (const [name, row] of Object.entries(PROGRAMS)) {
    for (const alias of row.aliases ?? []) assertEquals(canonical(alias), name, alias);
  }
});
