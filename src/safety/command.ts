/**
 * The shape rules see: every simple command of a line, with quotes removed, wrappers looked
 * through and each program under its registry name.
 *
 * @module
 */

import { canonical } from "./programs.ts";

/** A redirection such as `> /dev/sda` or `2>&1`. */
export interface Redirect {
  /** The operator: `>`, `>>`, `>|`, `&>`, `<`, `>&`, … */
  op: string;
  /** The target word after quote removal. */
  target: string;
}

/** What feeds a command's standard input, when the line shows it. */
export type Stdin =
  | { kind: "text"; text: string }
  | { kind: "commands"; from: Invocation[] };

/** One simple command as a program would receive it. */
export interface Invocation {
  /** Program name as written, quotes removed and directory dropped (`/bin/grm` → `grm`). */
  name: string;
  /** The program word as written, quotes removed, its directory kept (`./build.sh`). */
  written: string;
  /**
   * The program's name in the registry (`rm` for `grm`, `docker` for `podman`), from the
   * lower-cased {@link name}: the key rules, options and wrappers are read by.
   */
  key: string;
  /** Arguments after quote removal; run-time expansions (`$HOME`, `$(…)`) kept as written. */
  args: string[];
  /** `NAME=value` assignments written before the command (or given to `env`). */
  env: Record<string, string>;
  /** Redirections attached to this command. */
  redirects: Redirect[];
  /** Standard input, when known (pipeline, here-document, here-string). */
  stdin?: Stdin;
  /** Wrappers this command was found inside, outermost first (`sudo`, `bash -c`, `xargs`). */
  via: string[];
  /**
   * Its name, or else one of its arguments, is text decoded on the line
   * (`$(echo cm0= | base64 -d) -rf /`, `eval "$(… | base64 -d)"`): code hidden by encoding.
   */
  decoded?: "name" | "args";
}

/** A function defined on the line, for fork-bomb detection. */
export interface FunctionDef {
  name: string;
  /** Names of the commands its body runs. */
  calls: string[];
  /** True when the body pipes or backgrounds (how a fork bomb multiplies). */
  spawns: boolean;
}

/** Everything the rules get to look at for one line. */
export interface Line {
  /** The line as given. */
  text: string;
  /** Every simple command, in source order, wrapped ones after their wrapper. */
  commands: Invocation[];
  /** Functions defined on the line. */
  functions: FunctionDef[];
  /** False when the parser rejected the line and the tolerant tokenizer was used too. */
  clean: boolean;
}

/** Build an invocation from an argv (used by wrappers and the fallback tokenizer). */
export function makeInvocation(
  argv: string[],
  init: Partial<Omit<Invocation, "name" | "key" | "args">> = {},
): Invocation {
  const name = commandName(argv[0] ?? "");
  return {
    name,
    written: argv[0] ?? "",
    key: canonical(name.toLowerCase()),
    args: argv.slice(1),
    env: init.env ?? {},
    redirects: init.redirects ?? [],
    stdin: init.stdin,
    via: init.via ?? [],
    ...(init.decoded ? { decoded: init.decoded } : {}),
  };
}

/** `/usr/bin/rm` → `rm`; `C:\Windows\cmd.exe` keeps its last part too. */
export function commandName(word: string): string {
  const slash = Math.max(word.lastIndexOf("/"), word.lastIndexOf("\\"));
  // A trailing slash (`foo/`) is not a program path; keep the word.
  return slash >= 0 && slash < word.length - 1 ? word.slice(slash + 1) : word;
}

/**
 * True when a dry-run style flag makes the command only report what it would do, or `--help`
 * makes it only print text. `--help` next to something a real run would write to or destroy —
 * a path, a device, an `of=`-style operand (`dd --help of=/dev/sda`, `mkfs.ext4 --help
 * /dev/sda1`) — is not trusted: the tool may not read it as help, and the line is rated as
 * written. Words after `--` are operands, never flags.
 */
export function isDryRun(args: readonly string[]): boolean {
  let help = false;
  for (const a of args) {
    if (a === "--") break;
    if (a === "--help") help = true;
    const m = /^--?(dry-?run|what-?if|noop|no-act|simulate)(?:=(.*))?$/i.exec(a);
    if (m && (m[2] === undefined || !/^(none|false|0|no)$/i.test(m[2]))) return true;
  }
  return help && !args.some((a) => HELP_TARGET.test(a));
}

/** An operand naming what a command acts on: a path, a variable, a glob, `of=…`. */
const HELP_TARGET = /^(\w+=|[/~$*]|\.\.?(\/|$)|[a-zA-Z]:[\\/])/;
