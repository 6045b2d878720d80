/**
 * Risk levels, rule hits and ratings: the vocabulary every part of the safety engine shares.
 *
 * @module
 */

/** How dangerous a command (or a request) is, from harmless to never-on-the-line. */
export type Risk = "safe" | "moderate" | "high" | "critical";

/** All levels, least to most dangerous. */
export const RISKS: readonly Risk[] = ["safe", "moderate", "high", "critical"];

/** One rule that matched, with the reason a person reads. */
export interface RuleHit {
  /** Stable rule id, e.g. `fs.rm-root`. */
  id: string;
  /** Why the command is risky, in plain words. */
  reason: string;
}

/** The verdict on one command or request. */
export interface Rating {
  /** The highest risk among the rules that matched (`safe` when none did). */
  risk: Risk;
  /** Matched rules, most dangerous first. */
  rules: RuleHit[];
}

/** Position of a level in {@link RISKS}: 0 for safe … 3 for critical. */
export function riskRank(risk: Risk): number {
  return RISKS.indexOf(risk);
}

/** True when `a` is at least as dangerous as `b`. */
export function riskAtLeast(a: Risk, b: Risk): boolean {
  return riskRank(a) >= riskRank(b);
}

/** The more dangerous of two levels. */
export function maxRisk(a: Risk, b: Risk): Risk {
  return riskRank(a) >= riskRank(b) ? a : b;
}

/** Sort comparator: most dangerous first. */
export function compareRiskDesc(a: Risk, b: Risk): number {
  return riskRank(b) - riskRank(a);
}

/** True for one of the four level names (for parsing input). */
export function isRisk(value: unknown): value is Risk {
  return typeof value === "string" && (RISKS as readonly string[]).includes(value);
}
