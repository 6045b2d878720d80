/**
 * The rule format. Rules are rows of data: an id, a risk level, the reason a person reads, what
 * the rule is about (`on: "git push"`: a program and its leading words, read through the
 * registry), the flags that make it risky, and examples that must (and must not) trigger it;
 * every rule's examples run as tests. `match` is the escape hatch for conditions that need code:
 * paths, find expressions, fork bombs. A file of rules is one family and gives the ids their
 * prefix: `rules("git", [{ id: "push-force", … }])` is `git.push-force`.
 *
 * @module
 */

import type { Invocation, Line } from "./command.ts";
import type { Risk } from "./risk.ts";
import { canonical } from "./programs.ts";
import { hasOption, readTool, type ToolRead } from "./tools.ts";

/** A rule's examples: lines that must trigger it, and look-alikes that must not. */
export interface Examples {
  hit: readonly string[];
  miss: readonly string[];
}

/** One safety rule, as written. */
export interface RuleRow {
  /** What the rule is about within its family (`rm-root`); the file adds the family (`fs.`). */
  id: string;
  risk: Risk;
  /** Why the command is risky, as shown to the user (one short sentence, no final period). */
  reason: string;
  /**
   * What the rule is about: a program and the words that must follow it (`"git push"`,
   * `"docker system prune"`, `"rm"`); several of them; a pattern for a family of program names
   * (`/^mkfs(\.|$)/`); or `"*"` for every command. A program's other names (`gfind`, `podman`)
   * come from the registry: every command carries its program's registry name.
   */
  on: string | readonly string[] | RegExp;
  /** At least one of these flags must be given (`-f`, `--force`, `-auto-approve`). */
  flags?: readonly string[];
  /** None of these may be given (`--dry-run`, `--force-with-lease`). */
  unless?: readonly string[];
  /** Further condition, in code, on the command read through its tool. */
  match?: (read: ToolRead, cmd: Invocation, line: Line) => boolean;
  /** A condition on the whole line, for structure (fork bombs) rather than one command. */
  matchLine?: (line: Line) => boolean;
  /** Within a group only the most dangerous hit is reported (`rm -rf /` is not also "rm -rf"). */
  group?: string;
  /** Also applies when the command says it only reports (`--dry-run`, `--help`). */
  evenDryRun?: boolean;
  /**
   * A catch-all (`on: "*"`): it reads a command only when no rule outside its group is about
   * that program (names it in `on`), so a program the rules know is never reported twice.
   */
  fallback?: boolean;
  /**
   * The rule is about something many programs share (sending files away, reading secrets):
   * it names them in `on` to be read only on them, but does not claim them from catch-alls.
   */
  aspect?: boolean;
  examples: Examples;
}

/** A rule as the rater applies it: indexed by command name, one condition per command. */
export interface Rule {
  /** Stable id, `<family>.<what>` (`fs.rm-root`); the family is the rule file's. */
  id: string;
  risk: Risk;
  reason: string;
  /** Registry names of the programs the rule is about; with neither this nor `names`: all. */
  commands?: readonly string[];
  /** A pattern for families of names (`mkfs.ext4`, `mkfs.xfs`, …). */
  names?: RegExp;
  /** The condition on one simple command (wrapped and nested ones included). */
  match?: (cmd: Invocation, line: Line) => boolean;
  /** The condition on the whole line. */
  matchLine?: (line: Line) => boolean;
  group?: string;
  evenDryRun?: boolean;
  fallback?: boolean;
  aspect?: boolean;
  examples: Examples;
}

/** Whether `read`'s words begin with `words`. */
function startsWith(read: ToolRead, words: readonly string[]): boolean {
  return words.every((w, i) => read.words[i] === w);
}

/**
 * Turns one family's rows into rules: the family's prefix onto each id (`fs` + `rm-root` is
 * `fs.rm-root`), `on` into names and words, flags and code into one condition.
 */
export function rules(family: string, rows: readonly RuleRow[]): Rule[] {
  return rows.map((row) => {
    const { on, flags, unless, match, ...rest } = row;
    const id = `${family}.${row.id}`;
    const targets = typeof on === "string" ? [on] : on instanceof RegExp ? [] : [...on];
    // Each target as the program's name in the registry and the words that must follow it.
    const heads = targets.map((t) => {
      const [name, ...words] = t.split(/\s+/);
      return { tool: canonical(name), words };
    });
    const everyCommand = targets.includes("*");
    const commands = on instanceof RegExp || everyCommand
      ? undefined
      : [...new Set(heads.map(({ tool }) => tool))];
    const condition = (cmd: Invocation, line: Line): boolean => {
      const read = readTool(cmd);
      if (!everyCommand && !(on instanceof RegExp)) {
        if (!heads.some((h) => h.tool === read.tool && startsWith(read, h.words))) return false;
      }
      if (flags && !flags.some((f) => hasOption(read, f))) return false;
      if (unless && unless.some((f) => hasOption(read, f))) return false;
      return match ? match(read, cmd, line) : true;
    };
    const needsCommand = flags || unless || match || heads.some((h) => h.words.length > 0) ||
      !row.matchLine;
    return {
      ...rest,
      id,
      commands,
      names: on instanceof RegExp ? on : undefined,
      match: needsCommand ? condition : undefined,
    };
  });
}
