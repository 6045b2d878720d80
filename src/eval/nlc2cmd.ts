/**
 * The NLC2CMD metric (IBM, NeurIPS 2020 competition), implemented from its definition in words:
 * a command is reduced to its utilities in order, each with the set of flag names it was given;
 * arguments are ignored. Two such lists are compared position by position.
 *
 * Choices the definition leaves open, made here:
 * - Utilities come from the tree-sitter-bash tree in source order: every simple command, the
 *   commands inside `$(…)`, `<(…)` and back quotes (after the command whose word holds them),
 *   and the command run by `xargs`, `sudo`, `env`, `nohup`, `nice`, `time`, `timeout` and
 *   `find -exec/-execdir/-ok/-okdir` (right after the utility that runs it). `export`,
 *   `declare`, `local`, `readonly`, `typeset` and `unset` count as utilities; `[ … ]`, `[[ … ]]`
 *   and bare assignments do not. A utility named by a path counts by its base name.
 * - Flags: a word starting with `-` (not `-` alone) before `--`. `--name=value` is `--name`.
 *   A short cluster splits into one flag per leading letter (`-la` → `-l -a`; `-n5` → `-n`;
 *   `-F,` → `-F`); a dash and digits is one flag (`ls -1`, `xargs -0`, `kill -9`, `head -5`),
 *   since after a dash a number is far more often an option than a value. Utilities whose
 *   options are words after a single dash (`find -name`, `java -jar`, `ffmpeg -i`,
 *   `gcc -Wall`, …) keep the whole word; for `find`, the value after a predicate that takes one
 *   (`-mtime -7`, `-perm -u+x`) is an argument. Short and long spellings of one option (`-n`,
 *   `--lines`) stay different names.
 * - An unparseable prediction scores −δ against any gold, also one with no utility (the
 *   definition fixes only the non-empty case; this way a syntax error never beats a command).
 *   An unparseable gold is read as far as the parser got.
 *
 * @module
 */

import type { Node } from "web-tree-sitter";
import type { BashParser } from "../syntax/bash_parser.ts";
import { wordValue } from "../syntax/words.ts";

/** One utility of a command: its name and the sorted, distinct flag names it was given. */
export interface Utility {
  name: string;
  flags: string[];
}

/** Declaration builtins tree-sitter-bash parses as their own node type. */
const DECLARATIONS = new Set(["declaration_command", "unset_command"]);

/** Redirections and assignments are not arguments of the command they sit on. */
const NOT_ARGUMENTS = new Set([
  "command_name",
  "variable_assignment",
  "file_redirect",
  "herestring_redirect",
  "heredoc_redirect",
]);

/** Utilities whose options are whole words after a single dash, never letter clusters. */
const SINGLE_DASH_WORDS = new Set([
  "find",
  "java",
  "javac",
  "ffmpeg",
  "ffprobe",
  "ffplay",
  "convert",
  "mogrify",
  "identify",
  "magick",
  "montage",
  "composite",
  "openssl",
  "gcc",
  "g++",
  "cc",
  "clang",
  "xrandr",
  "mplayer",
]);

/** `find` predicates whose next word is their value, so never a flag. */
const FIND_VALUED = new Set([
  "-name",
  "-iname",
  "-path",
  "-ipath",
  "-wholename",
  "-iwholename",
  "-regex",
  "-iregex",
  "-regextype",
  "-lname",
  "-ilname",
  "-type",
  "-xtype",
  "-perm",
  "-size",
  "-user",
  "-group",
  "-uid",
  "-gid",
  "-links",
  "-inum",
  "-samefile",
  "-newer",
  "-anewer",
  "-cnewer",
  "-atime",
  "-amin",
  "-ctime",
  "-cmin",
  "-mtime",
  "-mmin",
  "-used",
  "-maxdepth",
  "-mindepth",
  "-printf",
  "-fprint",
  "-fprint0",
  "-fprintf",
  "-fls",
  "-fstype",
  "-context",
]);

/** `find` actions that run a command, ended by `;` or `+`. */
const FIND_EXEC = new Set(["-exec", "-execdir", "-ok", "-okdir"]);

/** How a wrapper that runs a command reads its own options. */
interface Wrapper {
  /** Short options that take a value (attached, or the next word). */
  short: string;
  /** Long options that take a value as the next word when written without `=`. */
  long?: readonly string[];
  /** Words after the options that precede the command (`timeout 5s cmd`). */
  leading?: number;
  /** `NAME=value` words before the command are the wrapper's, not a command (`env`). */
  assignments?: boolean;
}

/** Wrappers whose command is a utility of its own, at the position after the wrapper. */
const WRAPPERS: Record<string, Wrapper> = {
  xargs: {
    short: "adEILnPs",
    long: ["--arg-file", "--delimiter", "--max-args", "--max-procs", "--max-chars"],
  },
  sudo: { short: "CDghpRrTUu", long: ["--user", "--group", "--host", "--prompt"] },
  env: { short: "uCS", long: ["--unset", "--chdir"], assignments: true },
  nohup: { short: "" },
  nice: { short: "n", long: ["--adjustment"] },
  time: { short: "fo", long: ["--format", "--output"] },
  timeout: { short: "ks", long: ["--kill-after", "--signal"], leading: 1 },
};

/** The flag names in one word, or none when it is not a flag. */
function flagsOfWord(utility: string, word: string): string[] {
  if (word.length < 2 || !word.startsWith("-")) return [];
  if (word.startsWith("--")) return [word.split("=")[0]];
  if (/^-\d+$/.test(word)) return [word];
  if (SINGLE_DASH_WORDS.has(utility)) return [word.split("=")[0]];
  const letters = /^[A-Za-z]*/.exec(word.slice(1))![0];
  // `-?` or `-%`: no letters to split, the word is the flag.
  if (letters === "") return [word.slice(0, 2)];
  return [...letters].map((c) => "-" + c);
}

/** Flags of `utility` given `args` (quote-removed words), stopping at `--`. */
function flagsOf(utility: string, args: string[]): string[] {
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") break;
    for (const f of flagsOfWord(utility, arg)) flags.add(f);
    if (utility === "find" && FIND_VALUED.has(arg)) i++;
  }
  return [...flags].sort();
}

/** Base name of a utility written as a path (`/bin/ls` → `ls`). */
function baseName(name: string): string {
  const cut = name.replace(/\/+$/, "").lastIndexOf("/");
  return cut >= 0 && cut < name.length - 1 ? name.slice(cut + 1) : name;
}

/** Splits a wrapper's words into its own options and the command it runs (if any). */
function splitWrapper(w: Wrapper, args: string[]): { own: string[]; command: string[] } {
  let i = 0;
  while (i < args.length) {
    const arg = args[i];
    if (arg === "--") {
      i++;
      break;
    }
    if (w.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) {
      i++;
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    i++;
    if (arg.startsWith("--")) {
      if (!arg.includes("=") && w.long?.includes(arg)) i++;
      continue;
    }
    // A short cluster: the first valued letter takes the rest, or the next word.
    for (let k = 1; k < arg.length; k++) {
      if (w.short.includes(arg[k])) {
        if (k === arg.length - 1) i++;
        break;
      }
    }
  }
  const own = args.slice(0, i);
  let rest = args.slice(i);
  // Words such as timeout's duration come before the command; they are arguments.
  const leading = Math.min(w.leading ?? 0, rest.length);
  own.push(...rest.slice(0, leading));
  rest = rest.slice(leading);
  return { own, command: rest };
}

/** The utilities of one command given as words: itself, then what it runs. */
function utilitiesOfWords(words: string[], depth = 0): Utility[] {
  if (words.length === 0) return [];
  const name = baseName(words[0]);
  const args = words.slice(1);
  const wrapper = WRAPPERS[name];
  if (wrapper && depth < 8) {
    const { own, command } = splitWrapper(wrapper, args);
    return [{ name, flags: flagsOf(name, own) }, ...utilitiesOfWords(command, depth + 1)];
  }
  if (name === "find" && depth < 8) {
    // The words between -exec and its `;` or `+` are a command of their own.
    const own: string[] = [];
    const nested: Utility[] = [];
    for (let i = 0; i < args.length; i++) {
      own.push(args[i]);
      if (!FIND_EXEC.has(args[i])) continue;
      let end = i + 1;
      while (end < args.length && args[end] !== ";" && args[end] !== "+") end++;
      nested.push(...utilitiesOfWords(args.slice(i + 1, end), depth + 1));
      i = end;
    }
    return [{ name, flags: flagsOf(name, own) }, ...nested];
  }
  return [{ name, flags: flagsOf(name, args) }];
}

/** Appends the utilities found under `node`, in source order. */
function walk(node: Node, out: Utility[]): void {
  if (node.type === "command") {
    const nameNode = node.childForFieldName("name")?.firstChild;
    const words: string[] = nameNode ? [wordValue(nameNode)] : [];
    for (const child of node.namedChildren) {
      if (child && !NOT_ARGUMENTS.has(child.type)) words.push(wordValue(child));
    }
    out.push(...utilitiesOfWords(words));
  } else if (DECLARATIONS.has(node.type)) {
    const keyword = node.firstChild?.text ?? node.type;
    const args = node.namedChildren.filter((c) => c !== null && c.type === "word")
      .map((c) => wordValue(c!));
    out.push({ name: keyword, flags: flagsOf(keyword, args) });
  }
  // Substitutions inside words (and the statements of any compound command) come next.
  for (const child of node.namedChildren) if (child) walk(child, out);
}

/**
 * The utilities of `command` in order, each with its flags; `undefined` when the command does
 * not parse as bash (an ERROR or MISSING node) and `tolerant` is false. With `tolerant` (for
 * gold commands) whatever the parser recognised is kept.
 */
export function commandUtilities(
  parser: BashParser,
  command: string,
  tolerant = false,
): Utility[] | undefined {
  const tree = parser.parse(command);
  if (!tree) return tolerant ? [] : undefined;
  try {
    if (tree.rootNode.hasError && !tolerant) return undefined;
    const out: Utility[] = [];
    walk(tree.rootNode, out);
    return out;
  } finally {
    tree.delete();
  }
}

/**
 * S_F: 1 when both flag sets are empty, else (2|F_p ∩ F_c| − |F_p ∪ F_c|) / max(1, |F_p|, |F_c|).
 * Ranges over [−2, 1]: disjoint flag sets of one each give −2, so a right utility with wrong
 * flags scores (1 − 2)/2 = −0.5, still above a wrong utility's −1.
 */
export function flagScore(predicted: readonly string[], gold: readonly string[]): number {
  const p = new Set(predicted), c = new Set(gold);
  if (p.size === 0 && c.size === 0) return 1;
  let common = 0;
  for (const f of p) if (c.has(f)) common++;
  const union = p.size + c.size - common;
  return (2 * common - union) / Math.max(1, p.size, c.size);
}

/**
 * The score of one prediction against one gold: the mean over positions (the shorter list
 * padded) of δ·[S_U·(1 + S_F)/2 − (1 − S_U)]; 0 when neither has a utility; −δ for an
 * unparseable prediction (`undefined`).
 */
export function pairScore(
  predicted: readonly Utility[] | undefined,
  gold: readonly Utility[],
  confidence = 1,
): number {
  if (predicted === undefined) return -confidence;
  const positions = Math.max(predicted.length, gold.length);
  if (positions === 0) return 0;
  let sum = 0;
  for (let i = 0; i < positions; i++) {
    const p = predicted[i], c = gold[i];
    const sameUtility = p !== undefined && c !== undefined && p.name === c.name;
    sum += sameUtility ? (1 + flagScore(p.flags, c.flags)) / 2 : -1;
  }
  return confidence * sum / positions;
}

/**
 * The score of one request: over all (prediction, gold) pairs, the maximum if any is positive,
 * else their mean. With one prediction (δ = 1), the pairs are its scores against each gold.
 */
export function requestScore(
  predictions: readonly (readonly Utility[] | undefined)[],
  golds: readonly (readonly Utility[])[],
  confidence = 1,
): number {
  const scores: number[] = [];
  for (const p of predictions) for (const g of golds) scores.push(pairScore(p, g, confidence));
  if (scores.length === 0) return -confidence;
  const best = Math.max(...scores);
  return best > 0 ? best : scores.reduce((a, b) => a + b, 0) / scores.length;
}

/** NLC2CMD of one predicted command (δ = 1) against its gold commands, parsed with `parser`. */
export function nlc2cmdScore(
  parser: BashParser,
  prediction: string,
  golds: readonly string[],
): number {
  return requestScore(
    [commandUtilities(parser, prediction)],
    golds.map((g) => commandUtilities(parser, g, true)!),
  );
}
