/**
 * The rater: parses a command line once, walks every simple command and applies the rules,
 * and checks that the line parses in the shell it is for.
 *
 * @module
 */

import { isDryRun, type Line } from "./command.ts";
import { extractLine } from "./extract.ts";
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
}

/** The rule a command gets when it does not parse in its shell. */
export const PARSE_ERROR_ID = "syntax.parse-error";

/** Load the shell parser (once per process) and return a ready rater. */
export async function createRater(rules: readonly Rule[] = RULES): Promise<Rater> {
  const parser = await loadBashParser();
  return makeRater(parser, rules);
}

/** A rater over an already loaded parser. */
export function makeRater(parser: BashParser, rules: readonly Rule[] = RULES): Rater {
  const index = indexRules(rules);
  /** The rules' rating, and whether tree-sitter-bash read the line without an error. */
  const rated = (command: string): { rating: Rating; clean: boolean } => {
    try {
      const line = extractLine(parser, command);
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
}

function indexRules(rules: readonly Rule[]): RuleIndex {
  const byName = new Map<string, Rule[]>();
  const everyCommand: Rule[] = [];
  const byPattern: Rule[] = [];
  const lineRules: Rule[] = [];
  for (const rule of rules) {
    if (rule.matchLine) lineRules.push(rule);
    if (!rule.match) continue;
    if (rule.names) byPattern.push(rule);
    if (!rule.commands) {
      if (!rule.names) everyCommand.push(rule);
      continue;
    }
    for (const name of rule.commands) {
      const list = byName.get(name) ?? [];
      list.push(rule);
      byName.set(name, list);
    }
  }
  return { byName, byPattern, everyCommand, lineRules };
}

/** Apply the rules to a walked line. */
function rateLine(line: Line, index: RuleIndex): Rating {
  const hits = new Map<string, Rule>();
  for (const rule of index.lineRules) {
    if (!hits.has(rule.id) && safeTest(() => rule.matchLine!(line))) hits.set(rule.id, rule);
  }
  for (const cmd of line.commands) {
    const dry = isDryRun(cmd.args);
    const test = (rule: Rule) => {
      if (hits.has(rule.id) || (dry && !rule.evenDryRun)) return;
      if (safeTest(() => rule.match!(cmd, line))) hits.set(rule.id, rule);
    };
    index.byName.get(cmd.key)?.forEach(test);
    for (const rule of index.byPattern) if (rule.names!.test(cmd.key)) test(rule);
    index.everyCommand.forEach(test);
  }
  return summarise([...hits.values()]);
}

/** A rule that throws on odd input must not take the rater down: treat it as no match. */
function safeTest(test: () => boolean): boolean {
  try {
    return test();
  } catch {
    return false;
  }
}

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
