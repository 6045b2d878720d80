/**
 * A rating as people and programs read it, written once for `cmdai`, `cmdai explain` and
 * `cmdai check`: the JSON fields and the one-line "risk: X — why".
 *
 * @module
 */

import type { Rating, Risk, RuleHit } from "./risk.ts";

/** A rating's JSON fields: `{risk, rules: [{id, reason}]}`, nothing else of each hit. */
export function ratingFields(rating: Rating): { risk: Risk; rules: RuleHit[] } {
  return { risk: rating.risk, rules: rating.rules.map(({ id, reason }) => ({ id, reason })) };
}

/** How a risk line is written. */
export interface RiskLineOptions {
  /** What is rated (`risk`, `request risk`). */
  label?: string;
  /** Styles the level (colour at a terminal); plain by default. */
  paint?: (risk: Risk, text: string) => string;
  /** Each reason followed by its rule id in brackets (`cmdai check`). */
  ids?: boolean;
}

/** The reasons of a rating, most dangerous first, joined by `; ` (empty when none). */
export function reasons(rating: Rating, ids = false): string {
  return rating.rules.map((r) => ids ? `${r.reason} [${r.id}]` : r.reason).join("; ");
}

/** `risk: high — reason; reason` (just `risk: safe` when no rule matched). */
export function riskLine(rating: Rating, options: RiskLineOptions = {}): string {
  const { label = "risk", paint = (_, text) => text, ids = false } = options;
  const why = reasons(rating, ids);
  return `${label}: ${paint(rating.risk, rating.risk)}${why ? ` — ${why}` : ""}`;
}
