/**
 * How the safety rules rate ordinary commands (`deno task eval:commands [FILE…] [--list high]`):
 * the commands of natural-language → command sets, which are nearly all harmless, so what they
 * rate high or critical is either genuinely risky or a false positive to look at.
 *
 * Input: TSV files with the command in column 2 (NL2Bash, tldr pairs, InterCode-ALFA). Default:
 * the tldr pairs and the NL2Bash test set in `../shared/data/nl2sh/` next to the repository.
 * Prints, per file, the commands and the share rated ≥ moderate and ≥ high (goal for tldr:
 * ≥ high ≤ 0.5 %); `--list high|moderate` lists the commands at that level or above, with the
 * rules they hit.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { createRater, type Risk, riskAtLeast } from "../../src/safety/mod.ts";

const DATA = fileURLToPath(new URL("../../../shared/data/nl2sh/", import.meta.url));
const DEFAULTS = ["tldr_pairs_filled.tsv", "nl2bash_test.tsv"].map((f) => DATA + f);

/** The goal for the tldr commands rated high or critical. */
export const TLDR_HIGH_GOAL = 0.005;

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: { list: { type: "string" } },
  allowPositionals: true,
});
const list = values.list as Risk | undefined;
const rater = await createRater();
console.log("| file | commands | ≥ moderate | ≥ high |");
console.log("|---|---:|---:|---:|");
const listed: string[] = [];
for (const path of positionals.length ? positionals : DEFAULTS) {
  const commands = new Set<string>();
  for (const line of (await Deno.readTextFile(path)).split("\n")) {
    const command = line.split("\t")[1]?.trim();
    if (command) commands.add(command);
  }
  let moderate = 0, high = 0;
  for (const command of commands) {
    const rating = rater.rateRules(command);
    if (riskAtLeast(rating.risk, "moderate")) moderate++;
    if (riskAtLeast(rating.risk, "high")) high++;
    if (list && riskAtLeast(rating.risk, list)) {
      listed.push(`${rating.risk}\t${command}\t${rating.rules.map((r) => r.id).join(",")}`);
    }
  }
  const share = (n: number) => `${(n / commands.size * 100).toFixed(2)} % (${n})`;
  console.log(`| ${basename(path)} | ${commands.size} | ${share(moderate)} | ${share(high)} |`);
}
if (listed.length) console.log("\n" + listed.join("\n"));
