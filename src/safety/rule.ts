/**
 * The rule format. Rules are data: an id, a category, a risk level, the reason a person reads,
 * and examples that must (and must not) trigger them; every rule's examples run as tests.
 * The `match` function is the rule's condition, written against the parsed command.
 *
 * @module
 */

import type { Invocation, Line } from "./command.ts";
import type { Risk } from "./risk.ts";

/** What a rule is about (used to group them in docs and tests). */
export type Category =
  | "filesystem"
  | "disk"
  | "permissions"
  | "privilege"
  | "fork-bomb"
  | "remote-code"
  | "code-exec"
  | "history"
  | "system"
  | "process"
  | "firewall"
  | "network"
  | "git"
  | "packages"
  | "database"
  | "containers"
  | "kubernetes"
  | "cloud"
  | "credentials"
  | "backup"
  | "windows";

/** One safety rule. */
export interface Rule {
  /** Stable id: `<area>.<what>`, e.g. `fs.rm-root`. */
  id: string;
  category: Category;
  risk: Risk;
  /** Why the command is risky, as shown to the user (one short sentence, no final period). */
  reason: string;
  /** Lower-case command names the rule looks at; with neither this nor `names`: every command. */
  commands?: readonly string[];
  /** A pattern for families of names (`mkfs.ext4`, `mkfs.xfs`, …). */
  names?: RegExp;
  /** The condition on one simple command (wrapped and nested ones included). */
  match?: (cmd: Invocation, line: Line) => boolean;
  /** The condition on the whole line, for structure (fork bombs) rather than one command. */
  matchLine?: (line: Line) => boolean;
  /** Within a group only the most dangerous hit is reported (`rm -rf /` is not also "rm -rf"). */
  group?: string;
  /** Also applies when the command says it is a dry run (`--dry-run`). */
  evenDryRun?: boolean;
  /** Lines that must trigger this rule, and look-alikes that must not. */
  examples: { hit: readonly string[]; miss: readonly string[] };
}
