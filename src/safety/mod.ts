/**
 * The safety engine: parse a shell command with tree-sitter-bash, walk every simple command
 * (through pipes, substitutions, wrappers such as `sudo`, `xargs`, `bash -c`), apply data rules
 * and return a risk level with reasons. Requests in plain words are rated separately.
 *
 * ```ts
 * const rater = await createRater();
 * await rater.rate("rm -rf ~", "zsh"); // { risk: "critical", rules: [{ id: "fs.rm-home", … }] }
 * await rater.rate('echo "abc', "bash"); // { risk: "moderate", rules: [{ id: "syntax.parse-error", … }] }
 * rater.rateRules("rm -rf ~"); // the rules alone, synchronously (evaluations, benchmarks)
 * ```
 *
 * @module
 */

export { createRater, PARSE_ERROR_ID, type Rater } from "./rater.ts";
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
