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

import { CmdaiError, ExitCode, oneLine } from "../errors.ts";
import type { Risk } from "../safety/risk.ts";
import type { Env } from "../env.ts";

/** How cautious cmdai is with risky commands. */
export type Policy = "strict" | "moderate" | "permissive";

/** All policies, for help texts and validation. */
export const POLICIES: readonly Policy[] = ["strict", "moderate", "permissive"];

/** The policy used when none is set. */
export const DEFAULT_POLICY: Policy = "moderate";

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

/** Parse a policy name; anything else is a usage error (one line). */
export function parsePolicy(value: string, source = "policy"): Policy {
  const v = value.trim().toLowerCase();
  if ((POLICIES as readonly string[]).includes(v)) return v as Policy;
  throw new CmdaiError(
    ExitCode.usage,
    `invalid ${source} "${oneLine(value).slice(0, 40)}": use ${POLICIES.join(", ")}`,
  );
}

/** Environment access: `Deno.env` itself, or a plain object of variables. */
export type EnvSource =
  | Env
  | Readonly<Record<string, string | undefined>>;

/** The policy from `CMDAI_POLICY` (unset or empty: the default). */
export function policyFromEnv(env: EnvSource): Policy {
  const value = typeof env.get === "function"
    ? (env as Env).get("CMDAI_POLICY")
    : (env as Record<string, string | undefined>)["CMDAI_POLICY"];
  if (value === undefined || value.trim() === "") return DEFAULT_POLICY;
  return parsePolicy(value, "CMDAI_POLICY");
}
