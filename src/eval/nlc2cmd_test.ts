import { assert, assertEquals } from "../../test/support/assert.ts";
import { loadBashParser } from "../syntax/bash_parser.ts";
import { commandUtilities, flagScore, nlc2cmdScore, pairScore, requestScore } from "./nlc2cmd.ts";

const parser = await loadBashParser();
const utilities = (command: string) => commandUtilities(parser, command);
const score = (prediction: string, ...golds: string[]) => nlc2cmdScore(parser, prediction, golds);

function assertClose(actual: number, expected: number, msg?: string) {
  assert(Math.abs(actual - expected) < 1e-9, `${msg ?? ""} expected ${expected}, got ${actual}`);
}

Deno.test("utilities come in order, with their flags and without arguments", () => {
  assertEquals(utilities("find . -name '*.c' | xargs grep -l main | sort -u"), [
    { name: "find", flags: ["-name"] },
    { name: "xargs", flags: [] },
    { name: "grep", flags: ["-l"] },
    { name: "sort", flags: ["-u"] },
  ]);
  // Substitutions follow the command whose word holds them; process substitutions too.
  assertEquals(utilities("chmod +x $(brew --prefix)/etc/x")?.map((u) => u.name), ["chmod", "brew"]);
  assertEquals(utilities("diff <(sort a) <(sort -r b)")?.map((u) => u.name), [
    "diff",
    "sort",
    "sort",
  ]);
  // Compound commands give up their inner commands; tests and bare redirections are no utility.
  assertEquals(utilities('for f in *.txt; do mv -n "$f" x; done'), [{ name: "mv", flags: ["-n"] }]);
  assertEquals(utilities("[ -f x ] && echo y")?.map((u) => u.name), ["echo"]);
  assertEquals(utilities("> /testbed/test.txt"), []);
  assertEquals(utilities("/usr/bin/ls -l"), [{ name: "ls", flags: ["-l"] }]);
  assertEquals(utilities("ls ("), undefined, "unparseable");
  assertEquals(utilities("if true; then"), undefined, "a MISSING node is unparseable too");
  assertEquals(commandUtilities(parser, "ls -l && (", true), [{ name: "ls", flags: ["-l"] }]);
});

Deno.test("flag names: clusters split, values and arguments dropped", () => {
  const flags = (command: string) => utilities(command)?.flatMap((u) => u.flags);
  assertEquals(flags("ls -la"), ["-a", "-l"]);
  assertEquals(flags("ls -l -a"), ["-a", "-l"]);
  assertEquals(flags("tar -xzvf a.tgz --strip-components=1"), [
    "--strip-components",
    "-f",
    "-v",
    "-x",
    "-z",
  ]);
  assertEquals(flags("cut -c7- f"), ["-c"], "attached value");
  assertEquals(flags("awk -F, '{print $1}'"), ["-F"]);
  assertEquals(flags("ls --color=auto"), ["--color"]);
  assertEquals(flags("head -5 f"), ["-5"], "a dash and digits is one flag");
  assertEquals(flags("find . -print0 | xargs -0 ls -1"), ["-print0", "-0", "-1"]);
  assertEquals(flags("grep -e x -- -v"), ["-e"], "nothing after --");
  assertEquals(flags("cat - f"), [], "a lone dash is stdin");
  // find's predicates are whole words, and their values are arguments.
  assertEquals(flags("find . -mtime -7 -perm -u+x -type f -print0"), [
    "-mtime",
    "-perm",
    "-print0",
    "-type",
  ]);
});

Deno.test("commands run by other commands are utilities of their own", () => {
  const names = (command: string) => utilities(command)?.map((u) => `${u.name}${u.flags}`);
  assertEquals(names("find . -name x -exec rm -f {} \\; -print"), [
    "find-exec,-name,-print",
    "rm-f",
  ]);
  assertEquals(names("xargs -I {} -n1 cp -v {} /tmp"), ["xargs-I,-n", "cp-v"]);
  assertEquals(names("sudo -u bob apt-get install -y vim"), ["sudo-u", "apt-get-y"]);
  assertEquals(names("env -i A=1 ls -a"), ["env-i", "ls-a"]);
  assertEquals(names("timeout -s KILL 5s curl -fsS x"), ["timeout-s", "curl-S,-f,-s"]);
  assertEquals(names("env"), ["env"]);
});

Deno.test("S_F by the definition", () => {
  assertEquals(flagScore([], []), 1);
  assertEquals(flagScore(["-l"], ["-l"]), 1);
  assertEquals(flagScore([], ["-l"]), -1); // (0 − 1) / 1
  assertEquals(flagScore(["-a"], ["-b"]), -2); // (0 − 2) / 1
  assertEquals(flagScore(["-a", "-l"], ["-h", "-l"]), -0.5); // (2 − 3) / 2
  assertClose(flagScore(["-a"], ["-a", "-h", "-l"]), -1 / 3); // (2 − 3) / 3
});

Deno.test("NLC2CMD of single pairs, computed by hand", () => {
  assertEquals(score("ls -la", "ls -la"), 1, "identical");
  assertEquals(score("ls -la", "ls -a -l /tmp"), 1, "same flags, other spelling and arguments");
  assertEquals(score("cat f", "ls"), -1, "different utility");
  // ls matches; S_F = (2·1 − 3)/2 = −0.5 → (1 − 0.5)/2.
  assertEquals(score("ls -la", "ls -lh"), 0.25);
  // S_F = (2·1 − 3)/3 = −1/3 → (1 − 1/3)/2.
  assertClose(score("ls -a", "ls -alh"), 1 / 3);
  // S_F = (0 − 1)/1 = −1 → 0.
  assertEquals(score("ls", "ls -l"), 0);
  // Right utility, wrong flag: S_F = −2 → −0.5.
  assertEquals(score("ls -a", "ls -b"), -0.5);
  // Pipelines of different length: padded to 3; find matches (1), then −1, −1.
  assertClose(score("find . -name x | xargs rm", "find . -name y"), -1 / 3);
  // ps: S_F = (2 − 2)/2 = 0 → 0.5; grep: S_F = −1 → 0; mean 0.25.
  assertEquals(score("ps -e | grep ssh", "ps -ef | grep -i ssh"), 0.25);
  assertEquals(score("> a", "> b"), 0, "neither has a utility");
  assertEquals(score("touch f", "> f"), -1, "a utility against none");
});

Deno.test("several golds: the best if any is positive, else the mean", () => {
  // 1 against `ls -a`, 1/3 against `ls -alh`: the best.
  assertEquals(score("ls -a", "ls -a", "ls -alh"), 1);
  // −0.5 against `ls` (ls: S_F −1 → 0; wc: −1), 0 against `ls -l` (1, −1): the mean.
  assertEquals(score("ls -l | wc -l", "ls", "ls -l"), -0.25);
  assertEquals(score("pwd", "ls", "ls -l"), -1);
});

Deno.test("an unparseable prediction scores −δ whatever the gold", () => {
  assertEquals(score("ls (", "ls"), -1);
  assertEquals(score("ls (", "> f"), -1);
  assertEquals(score("ls (", "ls", "pwd"), -1);
  assertEquals(pairScore(undefined, [], 0.5), -0.5);
});

Deno.test("the confidence δ scales every position", () => {
  const p = utilities("ls -la")!, c = utilities("ls -lh")!;
  assertEquals(pairScore(p, c, 0.5), 0.125);
  assertEquals(requestScore([p], [c, utilities("cat")!], 0.5), 0.125);
  assertEquals(requestScore([utilities("cat")!], [c], 0.5), -0.5);
});
