/**
 * The one option reader. Every rule and the wrapper expander read a command's options through
 * it, driven by the program's row in the registry (programs.ts): which options take a value,
 * which give code, which stop the program from running anything.
 *
 * @module
 */

import type { OptionSpec } from "./programs.ts";

/** A command line read through an {@link OptionSpec}: its options, and its other words. */
export interface OptionsRead {
  /** Options by name (`-u`, `--user`; lower-case for single-dash specs): a value, or true. */
  options: Map<string, string | true>;
  /** Every option given, in order, repeated ones included (`-F a=@x -F b=@y`). */
  given: [string, string | true][];
  /**
   * The words that are not options, in order: what follows the options (after `--` when
   * given), and, for a spec that lets options follow operands, the operands among them.
   */
  rest: string[];
  /** `NAME=value` words among the options, when the spec reads them. */
  env: Record<string, string>;
  /** An inert option was given: the program runs nothing. */
  inert: boolean;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const TAKES = new WeakMap<OptionSpec, ReadonlySet<string>>();

/** The options of `spec` that take the next word (or a glued part) as their value. */
function takesValue(spec: OptionSpec): ReadonlySet<string> {
  let set = TAKES.get(spec);
  if (!set) {
    set = new Set([...spec.withValue ?? [], ...spec.code ?? [], ...spec.script ?? []]);
    TAKES.set(spec, set);
  }
  return set;
}

/**
 * Reads options the getopt way: short options cluster (`-xec`), a value is the next word or
 * glued (`-u root`, `-uroot`, `--user=root`), `--` ends the options, and the first operand ends
 * them too (what follows is the command or code a wrapper runs), unless the spec says options
 * may follow operands (`permute`, as most programs read their own command line).
 */
export function readOptions(args: readonly string[], spec: OptionSpec): OptionsRead {
  const takes = takesValue(spec);
  const given: [string, string | true][] = [];
  const set = (name: string, value: string | true) => given.push([name, value]);
  const env: Record<string, string> = {};
  const operands: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      i++;
      break;
    }
    if (spec.assigns && ASSIGNMENT.test(a)) {
      const eq = a.indexOf("=");
      env[a.slice(0, eq)] = a.slice(eq + 1);
      continue;
    }
    if (a.length < 2 || !(a[0] === "-" || (spec.plus && a[0] === "+"))) {
      if (!spec.permute) break;
      operands.push(a);
      continue;
    }
    const word = spec.singleDash ? a.toLowerCase() : a;
    if (takes.has(word)) {
      set(word, args[i + 1] ?? "");
      i++;
      continue;
    }
    const eq = word.indexOf("=");
    if (word.startsWith("--") || spec.singleDash || (eq > 0 && takes.has(word.slice(0, eq)))) {
      set(eq > 0 ? word.slice(0, eq) : word, eq > 0 ? a.slice(eq + 1) : true);
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const name = a[0] + a[k];
      if (takes.has(name)) {
        if (k + 1 < a.length) set(name, a.slice(k + 1));
        else set(name, args[++i] ?? "");
        break;
      }
      if (spec.optional?.includes(name)) {
        set(name, k + 1 < a.length ? a.slice(k + 1) : true);
        break;
      }
      set(name, true);
    }
  }
  const options = new Map(given);
  const inert = spec.inert?.some((n) => options.has(n)) ?? false;
  const rest = args.slice(i);
  return { options, given, rest: operands.length > 0 ? [...operands, ...rest] : rest, env, inert };
}

/** The value of the first of `names` given with a value. */
export function optionValue(read: OptionsRead, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = read.options.get(n);
    if (typeof v === "string") return v;
  }
  return undefined;
}

/** Whether any of `names` is given. */
export function hasAnyOption(read: OptionsRead, names: readonly string[] | undefined): boolean {
  return names?.some((n) => read.options.has(n)) ?? false;
}
