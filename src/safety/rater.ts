/**
 * The rater: parses a command line once, walks every simple command and applies the rules,
 * and checks that the line parses in the shell it is for.
 *
 * @module
 */

import { isDryRun, type Line } from "./command.ts";
import { extractLine } from "./extract.ts";
import { program } from "./programs.ts";
import { type BashParser, loadBashParser } from "../syntax/bash_parser.ts";
import { bashProblem, syntaxChecker, type SyntaxShell } from "../syntax/check.ts";
import { rateRequestText } from "./request.ts";
import { compareRiskDesc, maxRisk, type Rating, riskRank, type RuleHit } from "./risk.ts";
import type { Rule } from "./rule.ts";
import { RULES } from "./rules/mod.ts";

/** Rates commands (and natural-language requests). */
export interface Rater {
  /**
   * What running `command` in `shell` risks: every rule, and whether the line parses in that
   * shell (a line that does not gets {@link PARSE_ERROR_ID}, at least moderate). The one entry
   * point of `cmdai`, `cmdai explain` and `cmdai check`.
   */
  rate(command: string, shell: SyntaxShell): Promise<Rating>;
  /**
   * The rules alone, synchronously, for batches (evaluations, benchmarks): what
   * {@link Rater.rate} says less the shell's parse check.
   */
  rateRules(command: string): Rating;
  /** Rate what a person asked for ("wipe the disk"), independent of any command. */
  rateRequest(text: string): Rating;
  /**
   * The programs `command` runs on this machine, as written (`./build.sh`, `fd`), wrapped ones
   * included (`sudo fd`, `find -exec`, `xargs`), once each: those a name says, not a variable or
   * a pattern, not the functions the line defines, and not what runs elsewhere (`ssh host jq`).
   */
  programs(command: string): string[];
}

/** The rule a command gets when it does not parse in its shell. */
export const PARSE_ERROR_ID = "syntax.parse-error";

/** The rater over the shipped rules, made once per process (the resident server rates many). */
let shipped: Promise<Rater> | undefined;

/** Load the shell parser (once per process) and return a ready rater. */
export function createRater(rules: readonly Rule[] = RULES): Promise<Rater> {
  if (rules !== RULES) return loadBashParser().then((parser) => makeRater(parser, rules));
  shipped ??= loadBashParser().then((parser) => makeRater(parser, rules)).catch((e) => {
    shipped = undefined; // tried again at the next request
    throw e;
  });
  return shipped;
}

/**
 * A rater over an already loaded parser. `known` are the rules that decide where a catch-all
 * applies (the programs they are about); by default the rules applied.
 */
export function makeRater(
  parser: BashParser,
  rules: readonly Rule[] = RULES,
  known: readonly Rule[] = rules,
): Rater {
  const index = indexRules(rules, known);
  // The last line read: a request rates its command, then looks up the programs it runs.
  let last: { command: string; line: Line } | undefined;
  const read = (command: string): Line => {
    if (last?.command !== command) last = { command, line: extractLine(parser, command) };
    return last.line;
  };
  /** The rules' rating, and whether tree-sitter-bash read the line without an error. */
  const rated = (command: string): { rating: Rating; clean: boolean } => {
    try {
      const line = read(command);
      return { rating: rateLine(line, index), clean: line.clean };
    } catch {
      // Never reached in tests; if the engine itself fails, say so instead of "safe".
      return { rating: { risk: "moderate", rules: [UNRATED] }, clean: false };
    }
  };
  return {
    rate: async (command, shell) => {
      const { rating, clean } = rated(command);
      // A line the bash grammar reads is valid bash, and zsh asks zsh only about what it
      // rejects: only fish, or a rejected line, needs the shell's own check.
      if (clean && shell !== "fish") return rating;
      const problem = shell === "bash"
        ? bashProblem(parser, command)
        : await (await syntaxChecker(shell, parser)).problem(command);
      if (!problem) return rating;
      const hit = { id: PARSE_ERROR_ID, reason: `does not parse as ${shell}: ${problem}` };
      return { risk: maxRisk(rating.risk, "moderate"), rules: [...rating.rules, hit] };
    },
    rateRules: (command) => rated(command).rating,
    rateRequest: rateRequestText,
    programs(command) {
      const line = read(command);
      const defined = new Set(line.functions.map((f) => f.name));
      // The readings the rules guess at (`$EDITOR x` may run `x`, `GIT` may be `git`) are not
      // programs the line names.
      const literal = (w: string) => w !== "" && !/[$`*?[\]{}~=]/.test(w);
      const here = (v: string) => v !== "upper-case" && literal(v) && !program(v)?.runs?.elsewhere;
      const names = line.commands
        .filter((c) => !c.decoded && c.via.every(here))
        .map((c) => c.written)
        .filter((w) => literal(w) && !defined.has(w));
      return [...new Set(names)];
    },
  };
}

/** Reported when a command could not be analysed at all. */
const UNRATED: RuleHit = {
  id: "engine.unrated",
  reason: "cmdai could not analyse this command; read it carefully before running it",
};

/** The rules that apply to a command name, and those that look at every command or line. */
interface RuleIndex {
  byName: Map<string, Rule[]>;
  byPattern: Rule[];
  everyCommand: Rule[];
  lineRules: Rule[];
  /** Catch-alls: they apply only to programs no rule of another group is about. */
  fallbacks: Rule[];
  /** The specific rules that say which programs the catch-alls leave alone. */
  known: { byName: Map<string, Rule[]>; byPattern: Rule[] };
  /** The groups of the specific rules about each program name (filled in as names come). */
  coverage: Map<string, ReadonlySet<string>>;
}

/** A rule's group for grouping and coverage: its own id when it names none. */
const groupOf = (rule: Rule) => rule.group ?? rule.id;

function indexRules(rules: readonly Rule[], known: readonly Rule[]): RuleIndex {
  const index: RuleIndex = {
    byName: byName(rules),
    byPattern: [],
    everyCommand: [],
    lineRules: [],
    fallbacks: [],
    known: {
      byName: byName(known.filter((r) => !r.fallback && !r.aspect)),
      byPattern: known.filter((r) => r.names && !r.fallback && !r.aspect),
    },
    coverage: new Map(),
  };
  for (const rule of rules) {
    if (rule.matchLine) index.lineRules.push(rule);
    if (!rule.match) continue;
    if (rule.fallback) index.fallbacks.push(rule);
    else if (rule.names) index.byPattern.push(rule);
    else if (!rule.commands) index.everyCommand.push(rule);
  }
  return index;
}

/** Rules by the program names they are about. */
function byName(rules: readonly Rule[]): Map<string, Rule[]> {
  const map = new Map<string, Rule[]>();
  for (const rule of rules) {
    if (!rule.match) continue;
    for (const name of rule.commands ?? []) map.set(name, [...map.get(name) ?? [], rule]);
  }
  return map;
}

/** The groups of the specific rules about program `key` (by name or by pattern). */
function coverage(index: RuleIndex, key: string): ReadonlySet<string> {
  let groups = index.coverage.get(key);
  if (!groups) {
    const about = [
      ...(index.known.byName.get(key) ?? []),
      ...index.known.byPattern.filter((r) => r.names!.test(key)),
    ];
    groups = new Set(about.map(groupOf));
    index.coverage.set(key, groups);
  }
  return groups;
}

/** Apply the rules to a walked line. */
function rateLine(line: Line, index: RuleIndex): Rating {
  const hits = new Map<string, Rule>();
  /** Rules that threw: each counts as matched, and is reported (fail closed). */
  const failed = new Map<string, Rule>();
  const attempt = (rule: Rule, test: () => boolean) => {
    try {
      if (test()) hits.set(rule.id, rule);
    } catch (error) {
      if (!failed.has(rule.id)) failed.set(rule.id, failure(rule, error));
    }
  };
  for (const rule of index.lineRules) {
    if (!hits.has(rule.id)) attempt(rule, () => rule.matchLine!(line));
  }
  for (const cmd of line.commands) {
    const dry = isDryRun(cmd.args);
    const test = (rule: Rule) => {
      if (hits.has(rule.id) || failed.has(rule.id) || (dry && !rule.evenDryRun)) return;
      attempt(rule, () => rule.match!(cmd, line));
    };
    index.byName.get(cmd.key)?.forEach((r) => r.fallback || test(r));
    for (const rule of index.byPattern) if (rule.names!.test(cmd.key)) test(rule);
    index.everyCommand.forEach(test);
    if (index.fallbacks.length === 0) continue;
    const covered = coverage(index, cmd.key);
    for (const rule of index.fallbacks) {
      // A catch-all reads a program only where no rule of another group knows it better.
      if (covered.size === 0 || (covered.size === 1 && covered.has(groupOf(rule)))) test(rule);
    }
  }
  return summarise([...hits.values(), ...failed.values()]);
}

/** A rule that threw on this command: rated as if it matched, and reported as failed. */
function failure(rule: Rule, error: unknown): Rule {
  const message = String((error as Error)?.message ?? error).split("\n")[0].slice(0, 120);
  return {
    ...rule,
    id: FAILED_ID,
    group: `${FAILED_ID} ${rule.id}`,
    reason: `the rule ${rule.id} failed on this command (${message}); it is counted as ` +
      `matching: ${rule.reason}`,
  };
}

/** The id a rule that throws is reported under. */
export const FAILED_ID = "engine.rule-failed";

/** Keep the worst hit per group, order most dangerous first, and take the top level. */
function summarise(rules: Rule[]): Rating {
  const best = new Map<string, Rule>();
  for (const rule of rules) {
    const key = rule.group ?? rule.id;
    const prev = best.get(key);
    if (!prev || riskRank(rule.risk) > riskRank(prev.risk)) best.set(key, rule);
  }
  const kept = [...best.values()].sort((a, b) => compareRiskDesc(a.risk, b.risk));
  const hits: RuleHit[] = kept.map((r) => ({ id: r.id, reason: r.reason }));
  return { risk: kept[0]?.risk ?? "safe", rules: hits };
}
