/**
 * What happens to a rated command: the policy maps a risk level to a decision about the prompt
 * line. The policy never changes the risk itself.
 *
 * | risk     | strict       | moderate (default) | permissive   |
 * |----------|--------------|--------------------|--------------|
 * | safe     | line         | line               | line         |
 * | moderate | line-notice  | line-notice        | line-notice  |
 * | high     | blocked      | line-warning       | line-warning |
 * | critical | blocked      | blocked            | line-warning |
 *
 * @module
 */

import type { Risk } from "../safety/risk.ts";
import type { Env } from "../env.ts";
import { type POLICIES, setting } from "../settings.ts";

/** How cautious cmdai is with risky commands. */
export type Policy = typeof POLICIES[number];

/**
 * Where a command goes:
 * - `line`: onto the prompt line, silently;
 * - `line-notice`: onto the line, with a message;
 * - `line-warning`: onto the line, with a message that stands out;
 * - `blocked`: never onto the line; the request stays and the message shows the command and why.
 */
export type Decision = "line" | "line-notice" | "line-warning" | "blocked";

/** The placement table, per policy and risk (documented in the README). */
export const POLICY_TABLE: Readonly<Record<Policy, Readonly<Record<Risk, Decision>>>> = {
  strict: { safe: "line", moderate: "line-notice", high: "blocked", critical: "blocked" },
  moderate: { safe: "line", moderate: "line-notice", high: "line-warning", critical: "blocked" },
  permissive: {
    safe: "line",
    moderate: "line-notice",
    high: "line-warning",
    critical: "line-warning",
  },
};

/** What the policy does with a command of this risk. */
export function decide(policy: Policy, risk: Risk): Decision {
  return POLICY_TABLE[policy][risk];
}

/** The policy from `CMDAI_POLICY` (unset or empty: moderate). */
export function policyFromEnv(env: Env): Policy {
  return setting(env, "policy");
}
