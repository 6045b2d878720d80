/**
 * Shared by the family tests: rate lines and compare each with the level (or range of levels)
 * it must get, reporting every mismatch at once.
 *
 * @module
 */

import { assertEquals } from "../../../test/support/assert.ts";
import { createRater } from "../mod.ts";
import { type Risk, riskRank } from "../risk.ts";

const rater = await createRater();

/** A level, or the lowest and highest level allowed. */
export type Want = Risk | [Risk, Risk];

/** Rates each line (rules only) and checks it lies in its range. */
export function expectLevels(cases: readonly (readonly [string, Want])[]): void {
  const wrong = cases.flatMap(([line, want]) => {
    const [lo, hi] = typeof want === "string" ? [want, want] : want;
    const got = rater.rateRules(line);
    const ok = riskRank(got.risk) >= riskRank(lo) && riskRank(got.risk) <= riskRank(hi);
    return ok ? [] : [`${JSON.stringify(line)}: ${got.risk} (${got.rules.map((r) => r.id)})`];
  });
  assertEquals(wrong, []);
}

/** The ids a line is reported with. */
export const idsOf = (line: string) => rater.rateRules(line).rules.map((r) => r.id);
