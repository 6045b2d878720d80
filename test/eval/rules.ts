/**
 * Prints the rule catalogue as a Markdown table (for the README or a review):
 * `deno run --cached-only test/eval/rules.ts`.
 *
 * @module
 */

import { REQUEST_RULES, RULES } from "../../src/safety/mod.ts";

const escape = (s: string) => s.replace(/\|/g, "\\|");

console.log("| id | family | risk | reason | example |");
console.log("|---|---|---|---|---|");
for (const r of RULES) {
  console.log(
    `| \`${r.id}\` | ${r.id.split(".")[0]} | ${r.risk} | ${escape(r.reason)} | \`${
      escape(r.examples.hit[0].replace(/\n/g, "\\n"))
    }\` |`,
  );
}
console.log(`\n${RULES.length} command rules.\n`);
console.log("| request rule | risk | reason | example |");
console.log("|---|---|---|---|");
for (const r of REQUEST_RULES) {
  console.log(`| \`${r.id}\` | ${r.risk} | ${escape(r.reason)} | ${escape(r.examples.hit[0])} |`);
}
