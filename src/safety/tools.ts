/**
 * A command read as its program reads it: the subcommand words and operands found past options
 * and their values, wherever they stand (`kubectl -n prod delete ns x` → `delete ns x`, and
 * `git checkout -b main file` never takes `main` for a path), through the one option reader
 * and the program's row in the registry.
 *
 * Rules say which program and words they are about (`on: "git push"`); they never parse a
 * command line themselves.
 *
 * @module
 */

import type { Invocation } from "./command.ts";
import { type OptionsRead, readOptions } from "./options.ts";
import { type OptionSpec, program } from "./programs.ts";

/** An invocation read through its program's row. */
export interface ToolRead extends OptionsRead {
  /** The program's name in the registry (`docker` for `podman`), else the command's own. */
  tool: string;
  /** Its words in order, options and their values left out: `["system", "prune"]`. */
  words: string[];
  /** The arguments as given. */
  args: readonly string[];
}

/** Each program's options as its own command line reads them: anywhere among its words. */
const SPECS = new Map<string, OptionSpec>();
function specOf(tool: string): OptionSpec {
  let spec = SPECS.get(tool);
  if (!spec) SPECS.set(tool, spec = { ...program(tool), permute: true });
  return spec;
}

/** `args` read as program `tool` reads its own command line. */
export function readArgs(tool: string, args: readonly string[]): ToolRead {
  const spec = specOf(tool);
  // A `--` before a subcommand word ends the program's global options (`git -- reset --hard`);
  // the subcommand's own flags after it are still flags. (`rm -- --help` keeps its `--`.)
  const dd = args.indexOf("--");
  const first = dd > 0 ? readOptions(args.slice(0, dd), spec).rest.length : 0;
  const subcommand = dd >= 0 && first === 0 && /^[a-z]/.test(args[dd + 1] ?? "") &&
    program(tool) !== undefined;
  const read = readOptions(subcommand ? args.toSpliced(dd, 1) : args, spec);
  return { ...read, tool, words: read.rest, args };
}

const cache = new WeakMap<Invocation, ToolRead>();

/** Reads `cmd` as its program does (once per invocation; rules share the reading). */
export function readTool(cmd: Invocation): ToolRead {
  let read = cache.get(cmd);
  if (!read) cache.set(cmd, read = readArgs(cmd.key, cmd.args));
  return read;
}

/**
 * Whether a flag is given: `-f` (a letter, also inside `-rf`), `--force` (also `--force=x`), or a
 * single-dash word such as find's `-delete` or terraform's `-auto-approve` (also `-x=value`).
 */
export function hasOption(read: ToolRead, flag: string): boolean {
  if (flag.startsWith("--") || flag.length === 2) return read.options.has(flag);
  return read.args.some((a) => a === flag || a.startsWith(flag + "="));
}
