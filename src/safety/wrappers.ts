/**
 * Looks inside commands that run other commands: privilege and process wrappers (`sudo`, `env`,
 * `nohup`, `timeout`, …), `xargs` and `parallel`, `find -exec`, shells given code (`bash -c`,
 * `sh <<EOF`, `echo … | sh`), `eval`, `watch`, `ssh host '…'`, `su -c`, and shell commands
 * embedded in inline interpreter code (`python -c "os.system('…')"`).
 *
 * @module
 */

import { type FunctionDef, type Invocation, makeInvocation } from "./command.ts";
import { parseFind } from "./find.ts";

/** What the wrappers need from the extractor: a way to parse code found inside a command. */
export interface ExpandContext {
  parse(code: string, via: string[]): { commands: Invocation[]; functions: FunctionDef[] };
}

interface Expanded {
  commands: Invocation[];
  functions: FunctionDef[];
}

/** Shells that run `-c` code, or code read from stdin. */
export const SHELLS = new Set([
  "sh",
  "bash",
  "zsh",
  "dash",
  "ksh",
  "mksh",
  "ash",
  "fish",
  "csh",
  "tcsh",
  "rbash",
  "yash",
  "pwsh",
  "powershell",
]);

/** Interpreters that run code from stdin or an inline `-c`/`-e` argument. */
export const INTERPRETERS = new Set([
  "python",
  "python2",
  "python3",
  "perl",
  "ruby",
  "node",
  "nodejs",
  "deno",
  "bun",
  "php",
  "lua",
  "tclsh",
  "osascript",
]);

/**
 * Prefix wrappers: options that take a value, and how many positionals come before the wrapped
 * command (`timeout 5 cmd`: one).
 */
interface PrefixSpec {
  withValue: string[];
  skip?: number;
  /** Options after which nothing is run (`command -v`, `sudo -l`). */
  inert?: string[];
}

const PREFIX: Record<string, PrefixSpec> = {
  sudo: {
    withValue: [
      "-u",
      "-g",
      "-C",
      "-D",
      "-h",
      "-p",
      "-r",
      "-t",
      "-U",
      "-T",
      "-R",
      "--user",
      "--group",
      "--chdir",
      "--prompt",
      "--role",
      "--type",
      "--other-user",
      "--host",
      "--close-from",
      "--command-timeout",
      "--chroot",
    ],
    inert: [
      "-l",
      "--list",
      "-v",
      "--validate",
      "-k",
      "-K",
      "--help",
      "-V",
      "--version",
      "-e",
      "--edit",
    ],
  },
  doas: { withValue: ["-u", "-C"] },
  pkexec: { withValue: ["--user"] },
  run0: { withValue: ["--user", "-u"] },
  nohup: { withValue: [] },
  setsid: { withValue: [] },
  time: { withValue: ["-o", "-f", "--output", "--format"] },
  nice: { withValue: ["-n", "--adjustment"] },
  ionice: { withValue: ["-c", "-n", "--class", "--classdata"], inert: ["-p", "--pid"] },
  timeout: { withValue: ["-s", "-k", "--signal", "--kill-after"], skip: 1 },
  stdbuf: { withValue: ["-i", "-o", "-e", "--input", "--output", "--error"] },
  command: { withValue: [], inert: ["-v", "-V"] },
  builtin: { withValue: [] },
  exec: { withValue: ["-a"] },
  busybox: { withValue: [] },
  chroot: { withValue: ["--userspec", "--groups"], skip: 1 },
  flock: { withValue: ["-w", "-E", "--timeout", "--conflict-exit-code"], skip: 1 },
  unbuffer: { withValue: [] },
  torsocks: { withValue: [] },
  proxychains: { withValue: ["-f"] },
  proxychains4: { withValue: ["-f"] },
  firejail: { withValue: [] },
  strace: { withValue: ["-o", "-e", "-p", "-s", "-u", "-E"] },
  ltrace: { withValue: ["-o", "-e", "-p", "-s", "-u"] },
  caffeinate: { withValue: ["-t", "-w"] },
  "systemd-run": { withValue: ["-p", "--property", "--unit", "-u", "--uid", "--gid", "-E"] },
  runuser: { withValue: ["-u", "-g", "-G", "--user", "--group"] },
  chrt: { withValue: [], skip: 1 },
  taskset: { withValue: [], skip: 1 },
  numactl: { withValue: [] },
  nsenter: { withValue: ["-t", "--target"] },
  unshare: { withValue: [] },
  fakeroot: { withValue: [] },
  catchsegv: { withValue: [] },
  valgrind: { withValue: [] },
  npx: { withValue: ["-p", "--package", "--cache"] },
  pnpx: { withValue: [] },
  bunx: { withValue: [] },
  uvx: { withValue: ["--from", "--with", "--python"] },
};

/** Every command this module looks inside (their words are another command's, not theirs). */
export const WRAPPERS: ReadonlySet<string> = new Set([
  ...Object.keys(PREFIX),
  "env",
  "xargs",
  "parallel",
  "at",
  "batch",
  "ansible",
  "find",
  "eval",
  "watch",
  "ssh",
  "su",
  "sg",
  "script",
]);

/** The directory part of a wrapper word doesn't matter: `/usr/bin/sudo` is `sudo`. */
export function expandWrappers(inv: Invocation, ctx: ExpandContext): Expanded {
  const out: Expanded = { commands: [], functions: [] };
  const push = (inner: Invocation | undefined) => {
    if (!inner || !inner.name) return;
    out.commands.push(inner);
    const more = expandWrappers(inner, ctx);
    out.commands.push(...more.commands);
    out.functions.push(...more.functions);
  };
  const parse = (code: string, label: string) => {
    const r = ctx.parse(code, [...inv.via, label]);
    out.commands.push(...r.commands);
    out.functions.push(...r.functions);
  };
  const child = (argv: string[], label: string, extra: Partial<Invocation> = {}) =>
    makeInvocation(argv, {
      env: { ...inv.env, ...extra.env },
      redirects: inv.redirects,
      stdin: extra.stdin ?? inv.stdin,
      via: [...inv.via, label],
    });

  const key = inv.key;
  const args = inv.args;

  // `$CMD rm -rf /` or zsh's `=2 cmd`: an unknown word in command position may be a wrapper,
  // and a variable may hold the program its name suggests (`${RM} -rf /`, `$GIT_BIN reset`).
  if (/^\$|^=/.test(inv.name)) {
    if (args.length > 0) push(child(args, inv.name));
    const guess = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(inv.name)?.[1].toLowerCase()
      .replace(/_(cmd|bin|binary|path|exe|prog|program|command)$/, "");
    if (guess && /^[a-z][\w-]*$/.test(guess)) push(child([guess, ...args], inv.name));
    return out;
  }

  if (key === "doppler") {
    // `doppler run -- cmd` runs cmd with secrets in its environment.
    const dd = args.indexOf("--");
    if (args[0] === "run" && dd >= 0) push(child(args.slice(dd + 1), "doppler run"));
    return out;
  }

  const spec = PREFIX[key];
  if (spec) {
    const argv = afterOptions(args, spec);
    if (argv && argv.argv.length > 0) push(child(argv.argv, key, { env: argv.env }));
    return out;
  }

  switch (key) {
    case "env":
      return envWrapper(inv, push, parse, child, out);
    case "at":
    case "batch": {
      // at reads the commands to schedule from stdin (or `-f FILE`).
      for (const text of literalParts(inv)) parse(text, key);
      return out;
    }
    case "crontab": {
      // `echo "* * * * * cmd" | crontab -`: the command part of each entry is shell code.
      // Often fed by `(crontab -l; echo "…")`: the literal part is the new entry.
      for (const entry of literalParts(inv).join("\n").split("\n")) {
        const m = /^\s*(?:@\w+|(?:\S+\s+){5})(.+)$/.exec(entry);
        if (m && !entry.trim().startsWith("#")) parse(m[1], "crontab");
      }
      return out;
    }
    case "ansible": {
      const module = optionValue(args, ["-m", "--module-name"]);
      const code = optionValue(args, ["-a", "--args"]);
      if (
        code !== undefined &&
        /^(shell|command|raw|ansible\.builtin\.(shell|command|raw))$/.test(module ?? "command")
      ) {
        parse(code, "ansible");
      }
      return out;
    }
    case "xargs":
      push(xargsInner(inv, child));
      return out;
    case "parallel":
      for (const inner of parallelInner(inv, child)) push(inner);
      return out;
    case "find":
      for (const inner of findExec(inv, child)) push(inner);
      return out;
    case "eval":
      if (args.length > 0) parse(args.join(" "), "eval");
      return out;
    case "watch": {
      const argv = afterOptions(args, {
        withValue: ["-n", "--interval", "-q", "--equexit", "-g"],
      });
      if (argv && argv.argv.length > 0) parse(argv.argv.join(" "), "watch");
      return out;
    }
    case "ssh": {
      const argv = afterOptions(args, {
        withValue: [
          "-p",
          "-i",
          "-l",
          "-o",
          "-F",
          "-J",
          "-L",
          "-R",
          "-D",
          "-b",
          "-c",
          "-E",
          "-e",
          "-I",
          "-m",
          "-O",
          "-Q",
          "-S",
          "-W",
          "-w",
          "-B",
        ],
        skip: 1,
      });
      if (argv && argv.argv.length > 0) parse(argv.argv.join(" "), "ssh");
      return out;
    }
    case "su":
    case "sg": {
      const c = optionValue(args, ["-c", "--command"]);
      if (c !== undefined) parse(c, key);
      return out;
    }
    case "script": {
      const c = optionValue(args, ["-c", "--command"]);
      if (c !== undefined) parse(c, "script");
      return out;
    }
  }

  if (SHELLS.has(key)) {
    const code = shellCode(args);
    if (code !== undefined) parse(code, `${key} -c`);
    else if (!hasScriptOperand(args)) {
      const text = stdinLiteral(inv);
      if (text !== undefined) parse(text, `${key} stdin`);
    }
    return out;
  }

  if (INTERPRETERS.has(key)) {
    const inline = interpreterCode(args);
    const code = inline ?? (hasScriptOperand(args) ? undefined : stdinLiteral(inv));
    if (code !== undefined) {
      for (const shellCmd of embeddedShell(code)) parse(shellCmd, `${key} code`);
      // Library calls that delete trees are read as the `rm -rf` they amount to, so the
      // path-aware rules judge `shutil.rmtree("/")` like `rm -rf /`.
      for (const path of embeddedDeletes(code)) push(child(["rm", "-rf", path], `${key} code`));
      // Shell written where code was expected (`node -e "rm -rf /"`) still shows intent.
      if (inline !== undefined) parse(inline, `${key} -e`);
    }
    return out;
  }
  return out;
}

/** Skip a wrapper's options (and `NAME=value` for env-like ones); undefined when inert. */
function afterOptions(
  args: readonly string[],
  spec: PrefixSpec,
): { argv: string[]; env: Record<string, string> } | undefined {
  let i = 0;
  const env: Record<string, string> = {};
  while (i < args.length) {
    const a = args[i];
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    const name = a.startsWith("--") ? a.split("=")[0] : a.slice(0, 2);
    if (spec.inert?.includes(name)) return undefined;
    if (spec.withValue.includes(name) && (a.startsWith("--") ? !a.includes("=") : a.length === 2)) {
      i += 2;
    } else i++;
  }
  i += spec.skip ?? 0;
  if (i > args.length) return undefined;
  return { argv: args.slice(i), env };
}

/** The value of the first of `names` (`-c CODE`, `-cCODE`, `--command=CODE`). */
function optionValue(args: readonly string[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    for (const n of names) {
      if (a === n) return args[i + 1];
      if (n.startsWith("--") && a.startsWith(n + "=")) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

function envWrapper(
  inv: Invocation,
  push: (i: Invocation | undefined) => void,
  parse: (code: string, label: string) => void,
  child: (argv: string[], label: string, extra?: Partial<Invocation>) => Invocation,
  out: Expanded,
): Expanded {
  const args = inv.args;
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      i++;
      break;
    }
    if (a === "-S" || a === "--split-string") {
      parse(args.slice(i + 1).join(" "), "env -S");
      return out;
    }
    if (a.startsWith("-S") || a.startsWith("--split-string=")) {
      parse(a.replace(/^(-S|--split-string=)/, "") + " " + args.slice(i + 1).join(" "), "env -S");
      return out;
    }
    if (/^(-u|-C|--unset|--chdir)$/.test(a)) {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    const eq = a.indexOf("=");
    if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(a.slice(0, eq))) {
      env[a.slice(0, eq)] = a.slice(eq + 1);
      continue;
    }
    break;
  }
  if (i < args.length) push(child(args.slice(i), "env", { env }));
  return out;
}

/** `echo / | xargs rm -rf` runs `rm -rf /`: literal input words become arguments. */
function xargsInner(
  inv: Invocation,
  child: (argv: string[], label: string, extra?: Partial<Invocation>) => Invocation,
): Invocation | undefined {
  const withValue = [
    "-I",
    "-n",
    "-P",
    "-L",
    "-a",
    "-d",
    "-E",
    "-s",
    "-l",
    "--max-args",
    "--max-procs",
    "--max-lines",
    "--arg-file",
    "--delimiter",
    "--eof",
    "--max-chars",
    "--process-slot-var",
  ];
  const args = inv.args;
  let i = 0;
  let replace: string | undefined;
  let fromFile = false;
  while (i < args.length) {
    const a = args[i];
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    if (a === "-I") replace = args[i + 1];
    else if (a.startsWith("-I")) replace = a.slice(2);
    else if (a === "-i" || a === "--replace") replace = "{}";
    else if (a.startsWith("-i") || a.startsWith("--replace=")) {
      replace = a.replace(/^(-i|--replace=)/, "");
    }
    if (a === "-a" || a.startsWith("--arg-file")) fromFile = true;
    const name = a.startsWith("--") ? a.split("=")[0] : a.slice(0, 2);
    if (withValue.includes(name) && (a.startsWith("--") ? !a.includes("=") : a.length === 2)) {
      i += 2;
    } else i++;
  }
  const argv = args.slice(i);
  if (argv.length === 0) argv.push("echo");
  const input = fromFile ? undefined : stdinLiteral(inv);
  const words = input === undefined ? [] : input.split(/\s+/).filter((w) => w !== "");
  let full: string[];
  if (replace) {
    full = words.length > 0
      ? argv.map((a) => a.split(replace!).join(words.join(" ")))
      : argv.map((a) => a.split(replace!).join("{}"));
  } else if (
    input !== undefined && SHELLS.has(argv[0]) && /^-[a-z]*c$/.test(argv[argv.length - 1])
  ) {
    // `… | xargs sh -c`: each input line is the code the shell runs.
    full = [...argv, input.trim()];
  } else full = [...argv, ...words];
  return child(full, "xargs", { stdin: undefined });
}

/** GNU parallel: `parallel CMD {} ::: a b` runs `CMD a` and `CMD b`. */
function parallelInner(
  inv: Invocation,
  child: (argv: string[], label: string, extra?: Partial<Invocation>) => Invocation,
): Invocation[] {
  const args = inv.args;
  const withValue = [
    "-j",
    "--jobs",
    "--results",
    "-S",
    "--sshlogin",
    "--joblog",
    "-a",
    "--arg-file",
    "-d",
    "--delimiter",
    "--tmpdir",
    "--workdir",
    "-N",
    "-n",
    "-L",
    "--colsep",
  ];
  let i = 0;
  while (i < args.length) {
    const a = args[i];
    if (!a.startsWith("-") || a === "-") break;
    if (a === "--") {
      i++;
      break;
    }
    const name = a.startsWith("--") ? a.split("=")[0] : a.slice(0, 2);
    i += withValue.includes(name) && (a.startsWith("--") ? !a.includes("=") : a.length === 2)
      ? 2
      : 1;
  }
  const sep = args.findIndex((a, k) => k >= i && /^:::+$/.test(a));
  const template = args.slice(i, sep >= 0 ? sep : undefined);
  if (template.length === 0) return [];
  const inputs = sep >= 0 ? args.slice(sep + 1).filter((a) => !/^:::+$/.test(a)) : [];
  const fill = (value: string) =>
    template.some((t) => t.includes("{}"))
      ? template.map((t) => t.split("{}").join(value))
      : [...template, value];
  if (inputs.length === 0) return [child(template, "parallel", { stdin: undefined })];
  return inputs.map((v) => child(fill(v), "parallel", { stdin: undefined }));
}

/** `find … -exec CMD {} ;` and friends. */
function findExec(
  inv: Invocation,
  child: (argv: string[], label: string, extra?: Partial<Invocation>) => Invocation,
): Invocation[] {
  const find = parseFind(inv.args);
  return find.execs.filter((e) => e.argv.length > 0).map((e) => {
    // Without a test (`-name`, `-type`, …) `{}` stands for everything under the start paths,
    // starting with the start path itself: `find / -exec rm -rf {} +` is `rm -rf /`.
    const argv = !find.filtered && !e.action.endsWith("dir")
      ? e.argv.flatMap((a) => a === "{}" ? find.starts : [a])
      : e.argv;
    return child(argv, "find " + e.action, { stdin: undefined });
  });
}

/** The code of `sh -c CODE` (also `-lc`, `-xec`, `-c -- CODE`); undefined without `-c`. */
function shellCode(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") return undefined;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(a) || a === "-Command" || a === "-command") {
      let j = i + 1;
      while (j < args.length && args[j].startsWith("-") && args[j] !== "-") j++;
      return args[j];
    }
    if (!a.startsWith("-") && !a.startsWith("+")) return undefined;
  }
  return undefined;
}

/** True when a shell or interpreter is given a script file (it then ignores stdin as code). */
function hasScriptOperand(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-" || a === "-s") return false;
    if (a === "--") return i + 1 < args.length;
    if (!a.startsWith("-") && !a.startsWith("+")) return true;
  }
  return false;
}

/** Inline code: `python -c CODE`, `perl -e CODE`, `node -e CODE`, `php -r CODE`. */
function interpreterCode(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (/^-[cerpE]$/.test(a) || a === "--eval" || a === "--print") return args[i + 1];
    if (/^-[a-zA-Z]*[ce]$/.test(a) && !a.startsWith("--")) return args[i + 1];
    if (!a.startsWith("-")) return undefined;
  }
  return undefined;
}

/**
 * Shell commands inside interpreter code: string arguments of `system`, `os.system`,
 * `subprocess.run(…)`, `exec`, `popen`, `execSync`, `spawn`, Perl/Ruby backticks.
 */
function embeddedShell(code: string): string[] {
  const out: string[] = [];
  const call =
    /\b(?:system|popen|exec|execSync|execFileSync|spawn|spawnSync|check_output|check_call|call|run|Popen|getoutput|getstatusoutput|shell_exec|passthru|proc_open)\s*\(\s*(\[[^\]]*\]|(["'])(?:\\.|(?!\2)[^\\])*\2)/g;
  for (const m of code.matchAll(call)) {
    const arg = m[1];
    if (arg.startsWith("[")) {
      const parts = [...arg.matchAll(/(["'])((?:\\.|(?!\1)[^\\])*)\1/g)].map((p) => unslash(p[2]));
      if (parts.length > 0) out.push(parts.map(quoteIfNeeded).join(" "));
    } else out.push(unslash(arg.slice(1, -1)));
  }
  for (const m of code.matchAll(/`([^`]+)`/g)) out.push(m[1]);
  return out;
}

/** Paths given to tree-deleting library calls (`shutil.rmtree`, `fs.rmSync`, `FileUtils.rm_rf`). */
function embeddedDeletes(code: string): string[] {
  const call =
    /\b(?:shutil\.rmtree|rmtree|rmSync|rm_rf|rm_r|FileUtils\.rm_rf|FileUtils\.remove_dir|fs\.rm|fs\.promises\.rm|Deno\.remove|remove_tree|rimraf(?:\.sync)?)\s*\(\s*(["'])((?:\\.|(?!\1)[^\\])*)\1/g;
  return [...code.matchAll(call)].map((m) => unslash(m[2]));
}

function unslash(s: string): string {
  return s.replace(/\\(.)/g, "$1");
}

function quoteIfNeeded(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
}

/**
 * The text a command reads on stdin when the line spells it out: a here-string or
 * here-document, or the output of `echo`/`printf` of literal words (or `cat <<EOF`).
 */
export function stdinLiteral(inv: Invocation): string | undefined {
  const stdin = inv.stdin;
  if (!stdin) return undefined;
  if (stdin.kind === "text") return stdin.text;
  if (stdin.from.length !== 1) return undefined;
  const src = stdin.from[0];
  if (src.key === "echo" || src.key === "printf") {
    const words = src.args.filter((a, i) =>
      !(src.key === "echo" && i === 0 && /^-[neE]+$/.test(a))
    );
    if (words.some((w) => /\$\(|`/.test(w))) return undefined;
    return words.join(" ").replace(/\\n/g, "\n");
  }
  if (src.key === "cat" && src.args.length === 0 && src.stdin?.kind === "text") {
    return src.stdin.text;
  }
  // Encoded text decoded on the way (`echo cm0gLXJmIC8K | base64 -d | sh`).
  const decoded = decoder(src);
  if (decoded) {
    const input = stdinLiteral(src);
    if (input !== undefined) {
      try {
        return decoded(input.trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The literal pieces of a command's stdin, even when other producers feed it too. */
function literalParts(inv: Invocation): string[] {
  const whole = stdinLiteral(inv);
  if (whole !== undefined) return [whole];
  if (inv.stdin?.kind !== "commands") return [];
  return inv.stdin.from.flatMap((src) => {
    const text = stdinLiteral(makeInvocation(["sh"], { stdin: { kind: "commands", from: [src] } }));
    return text === undefined ? [] : [text];
  });
}

/** A function that undoes what a decoding command does to its input, if it is one. */
export function decoder(cmd: Invocation): ((s: string) => string) | undefined {
  if (cmd.key === "base64" && cmd.args.some((a) => /^(-d|-D|--decode)$/.test(a))) {
    return (s) =>
      new TextDecoder().decode(
        Uint8Array.from(atob(s.replace(/\s+/g, "")), (c) => c.charCodeAt(0)),
      );
  }
  if (cmd.key === "xxd" && cmd.args.some((a) => /^-r/.test(a))) {
    return (s) => {
      const hex = s.replace(/[^0-9a-fA-F]/g, "");
      return new TextDecoder().decode(
        Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16)),
      );
    };
  }
  if (cmd.key === "rev") return (s) => [...s].reverse().join("");
  return undefined;
}
