/**
 * Looks inside commands that run other commands. Where the command is comes from the program's
 * row in the registry (programs.ts): how its options read, and what it runs — the words after
 * its options (`sudo`, `nohup`, `timeout 5`), shell code (`ssh host '…'`, `watch`, `su -c`),
 * each word a piece of code (`hyperfine`), a shell reading stdin (`sudo -s`, `at`, `ssh host`),
 * or, for the few that do more, a small function here (`xargs`, `parallel`, `find -exec`,
 * shells and interpreters given code, `python -c "os.system('…')"`).
 *
 * Rules import the registry, never this module.
 *
 * @module
 */

import { type FunctionDef, type Invocation, makeInvocation, type Stdin } from "./command.ts";
import { parseFind } from "./find.ts";
import { cronCommands, literalParts, readCode, stdinLiteral } from "./match.ts";
import { hasAnyOption, type OptionsRead, optionValue, readOptions } from "./options.ts";
import {
  type Expander,
  knownNames,
  type OptionSpec,
  type Program,
  program,
  RUNNERS,
  SHELLS,
  words,
} from "./programs.ts";

/** What the wrappers need from the extractor: a way to parse code found inside a command. */
export interface ExpandContext {
  parse(code: string, via: string[]): { commands: Invocation[]; functions: FunctionDef[] };
}

interface Expanded {
  commands: Invocation[];
  functions: FunctionDef[];
}

/** What a row's function gets: the wrapper, and ways to report what it runs. */
interface Expansion {
  inv: Invocation;
  /** Another command it runs; `stdin: null` when it does not inherit the wrapper's stdin. */
  run(argv: readonly string[], label?: string, extra?: ChildExtra): void;
  /** Shell code it runs. */
  parse(code: string, label?: string): void;
}

interface ChildExtra {
  env?: Record<string, string>;
  stdin?: Stdin | null;
}

/** A runner's row: its options, and `runs` (what it runs) present. */
type Row = Program & { runs: NonNullable<Program["runs"]> };

/** Most children one wrapper yields (`parallel … ::: a b c …` with thousands of inputs). */
const MAX_CHILDREN = 32;

// --- functions for the rows that need one ---

/** `bash -c CODE`, `sh <<EOF`, `curl … | sh`: the code a shell runs, when the line shows it. */
function shell(_: OptionsRead, x: Expansion): void {
  const code = readCode(x.inv);
  if (code?.inline !== undefined) x.parse(code.inline, `${x.inv.key} -c`);
  else if (code?.stdin) {
    for (const text of literalParts(x.inv)) x.parse(text, `${x.inv.key} stdin`);
  }
}

/** `python -c CODE`, `perl -e CODE`, `node -e CODE`, or code on stdin: the shell it reaches. */
function interpreter(_: OptionsRead, x: Expansion): void {
  const code = readCode(x.inv);
  if (!code) return;
  const key = x.inv.key;
  const text = code.inline ?? (code.stdin ? stdinLiteral(x.inv) : undefined);
  if (text === undefined) return;
  for (const shellCmd of embeddedShell(text)) x.parse(shellCmd, `${key} code`);
  // Library calls that delete trees are read as the `rm -rf` they amount to, so the path-aware
  // rules judge `shutil.rmtree("/")` like `rm -rf /`.
  for (const path of embeddedDeletes(text)) x.run(["rm", "-rf", path], `${key} code`);
  // Shell written where code was expected (`node -e "rm -rf /"`) still shows intent.
  if (code.inline !== undefined) x.parse(code.inline, `${key} -e`);
}

/** The items xargs reads from a literal stdin: lines with -I, one with -0, else words. */
function xargsItems(input: string, read: OptionsRead, lines: boolean): string[] {
  if (read.options.has("-0") || read.options.has("--null")) return [input.replace(/\n$/, "")];
  const d = optionValue(read, ["-d", "--delimiter"]);
  if (d !== undefined) {
    const sep = d === "\\n" ? "\n" : d === "\\0" ? "\0" : d;
    return input.split(sep).filter((w) => w.trim() !== "");
  }
  return lines
    ? input.split("\n").filter((w) => w.trim() !== "")
    : input.split(/\s+/).filter((w) => w !== "");
}

/**
 * Whether `template` is a shell that takes its code from the input it is handed (`sh -c` with
 * the code missing, `bash` alone, `sh -c '{}'` with `{}` the input slot).
 */
function shellFromInput(template: readonly string[], slot?: string | RegExp): boolean {
  const name = makeInvocation([...template]).key;
  const spec = program(name);
  if (!SHELLS.has(name) || !spec) return false;
  const opts = readOptions(template.slice(1), spec);
  if (hasAnyOption(opts, spec.codeFlag)) {
    const code = opts.rest[0]?.trim();
    return code === undefined || (slot !== undefined && code.replace(slot, "") === "");
  }
  return opts.rest.length === 0 && !hasAnyOption(opts, spec.script);
}

/**
 * `echo / | xargs rm -rf` runs `rm -rf /`: literal input becomes arguments, or the code of a
 * shell (`echo 'rm -rf ~' | xargs -0 sh -c`). Input the line does not show, handed to a shell
 * as its code (`curl … | xargs sh -c`), reads like that shell on the same stdin.
 */
function xargs(read: OptionsRead, x: Expansion): void {
  const i = read.options.get("-I");
  const r = read.options.get("-i") ?? read.options.get("--replace");
  const replace = typeof i === "string" ? i : r === true || r === "" ? "{}" : r;
  const template = read.rest.length > 0 ? read.rest : ["echo"];
  const fromFile = read.options.has("-a") || read.options.has("--arg-file");
  const parts = fromFile ? [] : literalParts(x.inv);
  const input = parts.length > 0 ? parts.join("\n") : undefined;
  const none = { stdin: null };
  if (shellFromInput(template, replace)) {
    if (input !== undefined) x.parse(input, "xargs");
    else if (!fromFile && x.inv.stdin) x.run([template[0]], "xargs");
    else x.run(template, "xargs", none);
    return;
  }
  // `find … | xargs rm` is `find … -exec rm {} +`: the find rules read what it removes.
  const find = fromFile || input !== undefined ? undefined : findFeeding(x.inv);
  if (find) {
    const exec = replace !== undefined
      ? [...template.map((a) => a.split(replace).join("{}")), ";"]
      : [...template, "{}", "+"];
    x.run(["find", ...find, "-exec", ...exec], "xargs", none);
  }
  const items = input ? xargsItems(input, read, replace !== undefined) : [];
  if (replace !== undefined) {
    if (items.length === 0) x.run(template.map((a) => a.split(replace).join("{}")), "xargs", none);
    for (const item of items.slice(0, MAX_CHILDREN)) {
      x.run(template.map((a) => a.split(replace).join(item)), "xargs", none);
    }
    return;
  }
  x.run([...template, ...items], "xargs", none);
}

/** Programs that pass on some of the lines they read (`find … | grep -v keep | xargs rm`). */
const FILTERS = new Set(words("grep egrep fgrep head tail sort uniq sed awk cut"));

/**
 * The arguments of the `find` whose list of paths `inv` reads on stdin, directly or through
 * filters (a filtered list is read as a find narrowed by a test).
 */
function findFeeding(inv: Invocation): string[] | undefined {
  let from = inv.stdin?.kind === "commands" && inv.stdin.from.length === 1
    ? inv.stdin.from[0]
    : undefined;
  let filtered = false;
  while (from && FILTERS.has(from.key)) {
    filtered = true;
    from = from.stdin?.kind === "commands" && from.stdin.from.length === 1
      ? from.stdin.from[0]
      : undefined;
  }
  if (from?.key !== "find") return undefined;
  return filtered ? [...from.args, "-path", "*"] : [...from.args];
}

/** GNU parallel's replacement strings: `{}`, `{.}`, `{/}`, `{//}`, `{/.}`, `{#}`, `{%}`, `{1}`. */
const REPLACEMENT = /\{(\d*(\.|\/|\/\/|\/\.)?|#|%)\}/g;

/**
 * `parallel CMD ::: a b` runs `CMD a` and `CMD b`; without a command the inputs are the
 * commands (`parallel ::: 'rm -rf /' ls`, or lines on stdin). A one-word template with spaces
 * is shell code (`parallel 'rm -rf {}' ::: /`, `rush 'rm -rf {}'`).
 */
function fanOut(read: OptionsRead, x: Expansion, alwaysCode = false): void {
  const args = read.rest;
  const sep = args.findIndex((a) => /^:::+\+?$/.test(a));
  const template = sep >= 0 ? args.slice(0, sep) : args;
  let inputs: string[] | undefined;
  if (sep >= 0) {
    inputs = [];
    let fromFiles = false;
    for (const a of args.slice(sep)) {
      if (/^:::+\+?$/.test(a)) fromFiles = a.startsWith("::::");
      else if (!fromFiles) inputs.push(a);
    }
  } else {
    const text = stdinLiteral(x.inv);
    if (text !== undefined) inputs = text.split("\n").filter((l) => l.trim() !== "");
  }
  const none = { stdin: null };
  const shellCode = template.length > 0 && shellFromInput(template, REPLACEMENT);
  if (template.length === 0 || shellCode) {
    // The inputs are the code (`parallel ::: 'rm -rf /'`, `parallel bash -c {} ::: …`); from
    // stdin the line does not show, they read like a shell on that stdin.
    if (shellCode) x.run(template, x.inv.key, none);
    if (inputs) {
      for (const code of inputs.slice(0, MAX_CHILDREN)) x.parse(code, x.inv.key);
    } else if (!alwaysCode) x.run([shellCode ? template[0] : "sh"], `${x.inv.key} stdin`);
    return;
  }
  const runOne = (argv: string[]) => {
    if (alwaysCode || (argv.length === 1 && /[\s;&|<>]/.test(argv[0]))) {
      x.parse(argv.join(" "), x.inv.key);
    } else x.run(argv, x.inv.key, none);
  };
  if (!inputs || inputs.length === 0) return runOne(template);
  const hasSlot = template.some((t) => t.search(REPLACEMENT) >= 0);
  for (const value of inputs.slice(0, MAX_CHILDREN)) {
    runOne(
      hasSlot ? template.map((t) => t.replace(REPLACEMENT, () => value)) : [...template, value],
    );
  }
}

/** `find … -exec CMD {} ;` and friends. */
function findExec(_: OptionsRead, x: Expansion): void {
  const find = parseFind(x.inv.args);
  for (const e of find.execs) {
    if (e.argv.length === 0) continue;
    // Without a test (`-name`, `-type`, …) `{}` stands for everything under the start paths,
    // starting with the start path itself: `find / -exec rm -rf {} +` is `rm -rf /`.
    const argv = !find.filtered && !e.action.endsWith("dir")
      ? e.argv.flatMap((a) => a === "{}" ? find.starts : [a])
      : e.argv;
    x.run(argv, "find " + e.action, { stdin: null });
  }
}

/** `echo "* * * * * cmd" | crontab -`: the command part of each new entry is shell code. */
function crontab(_: OptionsRead, x: Expansion): void {
  // Often fed by `(crontab -l; echo "…")`: the literal part is the new entry.
  for (const code of cronCommands(literalParts(x.inv).join("\n"))) x.parse(code, "crontab");
}

/** `ansible all -m shell -a CODE`: the shell modules run their arguments. */
function ansible(read: OptionsRead, x: Expansion): void {
  const module = optionValue(read, ["-m", "--module-name"]) ?? "command";
  const code = optionValue(read, ["-a", "--args"]);
  if (code !== undefined && /^(ansible\.builtin\.)?(shell|command|raw)$/.test(module)) {
    x.parse(code, "ansible");
  }
}

/** `runuser -u USER -- CMD` runs CMD; otherwise it reads like su. */
function runuser(read: OptionsRead, x: Expansion): void {
  if (hasAnyOption(read, ["-u", "--user"])) {
    if (read.rest.length > 0) x.run(read.rest, "runuser");
  } else generic(program("su") as Row, x);
}

/** `start-stop-daemon --start --exec PROG -- ARGS`. */
function startStopDaemon(read: OptionsRead, x: Expansion): void {
  if (!hasAnyOption(read, ["-S", "--start"])) return;
  const program = optionValue(read, ["-a", "--startas", "-x", "--exec"]);
  if (program) x.run([program, ...read.rest], "start-stop-daemon");
}

/** tmux subcommands that run a shell command, and key names `send-keys` types. */
const TMUX_RUNS = new Set(words(`
  new-session new new-window neww split-window splitw respawn-pane respawnp respawn-window
  respawnw run-shell run display-popup popup pipe-pane pipep
`));
const TMUX_KEY =
  /^(Enter|KPEnter|C-[a-zA-Z\[\]\\]|M-.+|Escape|Tab|BTab|BSpace|Up|Down|Left|Right|Home|End|NPage|PPage|PageUp|PageDown|IC|DC|F\d+)$/;
const TMUX_OPTIONS: OptionSpec = {
  withValue: words("-c -e -F -n -s -t -x -y -l -p -N -T -w -h"),
};

/** `tmux new -d 'CMD'`, `tmux send-keys -t s 'CMD' Enter`, `tmux -c CMD`. */
function tmux(read: OptionsRead, x: Expansion): void {
  const code = optionValue(read, ["-c"]);
  if (code !== undefined) return x.parse(code, "tmux -c");
  const [sub, ...more] = read.rest;
  const r = readOptions(more, TMUX_OPTIONS);
  if (TMUX_RUNS.has(sub)) {
    if (r.rest.length > 0) x.parse(r.rest.join(" "), `tmux ${sub}`);
  } else if (sub === "send-keys" || sub === "send") {
    const typed = r.options.has("-l")
      ? r.rest
      : r.rest.filter((k) => !TMUX_KEY.test(k)).map((k) => k === "Space" ? " " : k);
    if (typed.length > 0) x.parse(typed.join(" "), "tmux send-keys");
  }
}

/** `screen -dmS name CMD` runs CMD; `screen -S s -X stuff 'CMD\n'` types it. */
function screen(read: OptionsRead, x: Expansion): void {
  if (read.options.has("-X")) {
    if (read.rest[0] === "stuff" && read.rest[1]) {
      x.parse(read.rest[1].replace(/\\n|\\r|\^M/g, "\n"), "screen stuff");
    }
  } else if (read.rest.length > 0) x.run(read.rest, "screen");
}

/** The functions of the rows that need one, by the name the registry gives. */
const EXPANDERS: Readonly<Record<Expander, (read: OptionsRead, x: Expansion) => void>> = {
  shell,
  interpreter,
  xargs,
  parallel: (read, x) => fanOut(read, x),
  rush: (read, x) => fanOut(read, x, true),
  find: findExec,
  crontab,
  ansible,
  runuser,
  "start-stop-daemon": startStopDaemon,
  tmux,
  screen,
};

/** The words a row reads: options, subcommand, skipped operands and options after them. */
function readRow(args: readonly string[], row: Row): OptionsRead {
  const runs = row.runs;
  let read = readOptions(args, row);
  if (read.inert) return read;
  const more = (rest: readonly string[]) => {
    const next = readOptions(rest, row);
    for (const [k, v] of next.options) read.options.set(k, v);
    read = {
      ...read,
      given: [...read.given, ...next.given],
      rest: next.rest,
      env: { ...read.env, ...next.env },
      inert: next.inert,
    };
  };
  if (runs.words) {
    if (!runs.words.includes(read.rest[0])) return { ...read, rest: [], inert: true };
    more(read.rest.slice(1));
  }
  if (runs.skip !== undefined) {
    let n = 0;
    if (typeof runs.skip === "number") n = runs.skip;
    else while (n < read.rest.length && runs.skip.test(read.rest[n])) n++;
    if (n > read.rest.length) return { ...read, rest: [], inert: true };
    more(read.rest.slice(n));
  }
  return read;
}

/** A row without a function: its code options, then its rest, else a shell reading stdin. */
function generic(row: Row, x: Expansion): void {
  const read = readRow(x.inv.args, row);
  if (read.inert) return;
  const runs = row.runs;
  if (runs.expand) return EXPANDERS[runs.expand](read, x);
  const key = x.inv.key;
  let ran = false;
  for (const name of row.code ?? []) {
    const v = read.options.get(name);
    if (typeof v !== "string") continue;
    x.parse(runs.joinRest ? [v, ...read.rest].join(" ") : v, `${key} ${name}`);
    if (runs.joinRest) return;
    ran = true;
  }
  const rest = read.rest;
  if (hasAnyOption(read, row.codeFlag)) {
    if (rest[0] !== undefined) x.parse(rest[0], key);
    return;
  }
  if (rest.length > 0) {
    const kind = runs.rest ?? "argv";
    if (kind === "argv") x.run(rest, key, { env: read.env });
    else if (kind === "code") x.parse(rest.join(" "), key);
    else if (kind === "each") { for (const w of rest.slice(0, MAX_CHILDREN)) x.parse(w, key); }
    ran ||= kind !== "none";
  }
  const stdin = runs.stdinShell;
  if (!ran && stdin && (stdin === true || hasAnyOption(read, stdin))) {
    x.run(["sh"], `${key} stdin`);
  }
}

/** Words in command position that stand for a program: `$CMD`, `${RM}`, zsh's `=cmd`. */
const INDIRECT = /^\$|^=/;

/** A pattern in command position (`/bin/r?`, `/usr/bin/r*`): whatever it matches runs. */
const GLOB = /[*?[]/;

/**
 * Programs the registry knows whose name a glob matches (`r?` → `rm`, …), a few at most. A bare
 * `*` (every file here, in SQL `COUNT(*)`, in `expr`) names no program in particular.
 */
function globbed(pattern: string): string[] {
  if (/^[*?]*\*[*?]*$/.test(pattern)) return [];
  try {
    const re = new RegExp(
      "^" +
        pattern.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")
          .replace(/\[!/g, "[^") +
        "$",
    );
    return knownNames().filter((n) => re.test(n)).slice(0, MAX_CHILDREN);
  } catch {
    return []; // not a pattern after all (`[`)
  }
}

/** What `inv` runs, looked through recursively (`/usr/bin/sudo` is `sudo`). */
export function expandWrappers(inv: Invocation, ctx: ExpandContext): Expanded {
  const out: Expanded = { commands: [], functions: [] };
  const row = RUNNERS.has(inv.key) ? program(inv.key) as Row : undefined;
  const pattern = !row && GLOB.test(inv.name) && program(inv.key) === undefined;
  if (!row && !INDIRECT.test(inv.name) && !pattern) return out;
  const x: Expansion = {
    inv,
    run(argv, label = inv.key, extra = {}) {
      const inner = makeInvocation([...argv], {
        env: { ...inv.env, ...extra.env },
        redirects: inv.redirects,
        stdin: extra.stdin === null ? undefined : extra.stdin ?? inv.stdin,
        via: [...inv.via, label],
      });
      if (!inner.name) return;
      out.commands.push(inner);
      const more = expandWrappers(inner, ctx);
      out.commands.push(...more.commands);
      out.functions.push(...more.functions);
    },
    parse(code, label = inv.key) {
      const r = ctx.parse(code, [...inv.via, label]);
      out.commands.push(...r.commands);
      out.functions.push(...r.functions);
    },
  };
  if (row) generic(row, x);
  else if (pattern) {
    for (const name of globbed(inv.name)) x.run([name, ...inv.args], `pattern ${inv.name}`);
  } else {
    // `$CMD rm -rf /` or zsh's `=2 cmd`: an unknown word in command position may be a wrapper,
    // and a variable may hold the program its name suggests (`${RM} -rf /`, `$GIT_BIN reset`).
    if (inv.args.length > 0) x.run(inv.args, inv.name);
    const guess = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(inv.name)?.[1].toLowerCase()
      .replace(/_(cmd|bin|binary|path|exe|prog|program|command)$/, "");
    if (guess && /^[a-z][\w-]*$/.test(guess)) x.run([guess, ...inv.args], inv.name);
  }
  return out;
}

/**
 * Shell commands inside interpreter code: string arguments of `system`, `os.system`,
 * `subprocess.run(…)`, `exec`, `popen`, `execSync`, `spawn`, Perl/Ruby backticks, AppleScript's
 * `do shell script`.
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
  for (const m of code.matchAll(/\bdo shell script\s+"((?:\\.|[^"\\])*)"/g)) {
    out.push(unslash(m[1]));
  }
  return out;
}

/** Paths given to tree-deleting library calls (`shutil.rmtree`, `fs.rmSync`, `FileUtils.rm_rf`). */
function embeddedDeletes(code: string): string[] {
  const call =
    /\b(?:shutil\.rmtree|rmtree|rmSync|rm_rf|rm_r|FileUtils\.rm_rf|FileUtils\.remove_dir|fs\.rm|fs\.promises\.rm|Deno\.remove(?:Sync)?|remove_tree|rimraf(?:\.sync)?)\s*\(\s*(["'])((?:\\.|(?!\1)[^\\])*)\1/g;
  return [...code.matchAll(call)].map((m) => unslash(m[2]));
}

function unslash(s: string): string {
  return s.replace(/\\(.)/g, "$1");
}

function quoteIfNeeded(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
}
