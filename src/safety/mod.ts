/**
 * The safety engine: parse a shell command with tree-sitter-bash, walk every simple command
 * (through pipes, substitutions, wrappers such as `sudo`, `xargs`, `bash -c`), apply data rules
 * and return a risk level with reasons. Requests in plain words are rated separately.
 *
 * ```ts
 * const rater = await createRater();
 * rater.rate("rm -rf ~"); // { risk: "critical", rules: [{ id: "fs.rm-home", reason: "…" }] }
 * ```
 *
 * @module
 */

export { createRater, type Rater } from "./rater.ts";
export {
  compareRiskDesc,
  isRisk,
  maxRisk,
  type Rating,
  type Risk,
  riskAtLeast,
  riskRank,
  RISKS,
  type RuleHit,
} from "./risk.ts";
export { RULES } from "./rules/mod.ts";
export { REQUEST_RULES } from "./request.ts";
