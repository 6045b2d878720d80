/**
 * Every rule's examples are tests: each `hit` line must report the rule (or, within its group,
 * a more dangerous rule that outranks it), and no `miss` line may report it.
 */

import { assert, assertEquals } from "../../test/support/assert.ts";
import { makeRater } from "./rater.ts";
import { loadBashParser } from "../syntax/bash_parser.ts";
import { rateRequestText, REQUEST_RULES, requestMatches } from "./request.ts";
import { riskRank } from "./risk.ts";
import { RULES } from "./rules/mod.ts";

const parser = await loadBashParser();

/** Which rules match a line on their own (before grouping). */
function matchedIds(line: string): Set<string> {
  const ids = new Set<string>();
  for (const rule of RULES) {
    const solo = makeRater(parser, [rule], RULES);
    if (solo.rateRules(line).rules.length > 0) ids.add(rule.id);
  }
  // Sanity: the grouped rating never reports a rule that did not match.
  const all = makeRater(parser).rateRules(line);
  for (const hit of all.rules) assert(ids.has(hit.id), `${hit.id} reported but not matched`);
  return ids;
}

Deno.test("rule ids are unique and well formed", () => {
  const seen = new Set<string>();
  for (const rule of RULES) {
    assert(/^[a-z]+\.[a-z0-9-]+$/.test(rule.id), `bad id ${rule.id}`);
    assert(!seen.has(rule.id), `duplicate id ${rule.id}`);
    seen.add(rule.id);
    assert(rule.reason.length > 0 && !rule.reason.endsWith("."), `${rule.id}: reason`);
    assert(rule.match || rule.matchLine, `${rule.id}: no condition`);
    assert(rule.examples.hit.length > 0, `${rule.id}: needs a positive example`);
    assert(rule.examples.miss.length > 0, `${rule.id}: needs a negative example`);
  }
});

for (const rule of RULES) {
  Deno.test(`rule ${rule.id}: examples`, () => {
    const solo = makeRater(parser, [rule], RULES);
    for (const line of rule.examples.hit) {
      const got = solo.rateRules(line);
      assertEquals(got.risk, rule.risk, `${rule.id} should match: ${JSON.stringify(line)}`);
      // In the full rater the line is at least as risky as this rule says.
      const full = makeRater(parser).rateRules(line);
      assert(
        riskRank(full.risk) >= riskRank(rule.risk),
        `${JSON.stringify(line)} rated ${full.risk} < ${rule.risk}`,
      );
    }
    for (const line of rule.examples.miss) {
      assertEquals(
        solo.rateRules(line).rules.map((r) => r.id),
        [],
        `${rule.id} should not match: ${JSON.stringify(line)}`,
      );
    }
  });
}

Deno.test("request rules: examples", () => {
  for (const rule of REQUEST_RULES) {
    for (const text of rule.examples.hit) {
      assert(requestMatches(rule, text), `${rule.id} should match: ${text}`);
      assert(
        riskRank(rateRequestText(text).risk) >= riskRank(rule.risk),
        `${text}: rated below ${rule.risk}`,
      );
    }
    for (const text of rule.examples.miss) {
      assert(!requestMatches(rule, text), `${rule.id} should not match: ${text}`);
    }
  }
});

Deno.test("grouping keeps only the worst rule of a group", () => {
  const ids = matchedIds("rm -rf /");
  assert(ids.has("fs.rm-root") && ids.has("fs.rm-recursive"));
  const rating = makeRater(parser).rateRules("rm -rf /");
  assertEquals(rating.rules.map((r) => r.id), ["fs.rm-root"]);
});
