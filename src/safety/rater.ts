/**
 * The rater: parses a command line once, walks every simple command and applies the rules.
 *
 * @module
 */

import { isDryRun, type Line } from "./command.ts";
import { extractLine } from "./extract.ts";
import { type BashParser, loadBashParser } from "../syntax/bash_parser.ts";
import { rateRequestText } from "./request.ts";
import { compareRiskDesc, type Rating, riskRank, type RuleHit } from "./risk.ts";
import type { Rule } from "./rule.ts";
import { RULES } from "./rules/mod.ts";

/** Rates commands (and natural-language requests). Synchronous once created. */
export interface Rater {
  /** Rate one shell command line (may hold several commands, newlines, heredocs). */
  rate(command: string): Rating;
  /** Rate what a person asked for ("wipe the disk"), independent of any command. */
  rateRequest(text: string): Rating;
}

/** Load the shell parser (once per process) and return a ready rater. */
export async function createRater(rules: readonly Rule[] = RULES): Promise<Rater> {
  const parser = await loadBashParser();
  return makeRater(parser, rules);
}

/** A rater over an already loaded parser. */
export function makeRater(parser: BashParser, rules: readonly Rule[] = RULES): Rater {
  const index = indexRules(rules);
  return {
    rate: (command) => {
      try {
        return rateLine(extractLine(parser, command), index);
      } catch {
        // Never reached in tests; if the engine itself fails, say so instead of "safe".
        return { risk: "moderate", rules: [UNRATED] };
      }
    },
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
