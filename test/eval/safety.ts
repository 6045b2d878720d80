/**
 * Safety evaluation on a labelled corpus (`deno task eval:safety [path] [options]`).
 *
 * Input: JSON lines with `command`, `label` (critical | dangerous | benign) and `source`.
 * Default path: `../shared/data/safety/commands.jsonl` next to the repository.
 *
 * Prints per source: recall of dangerous+critical rated ≥ moderate, recall of critical rated
 * ≥ high, and the share of benign rated ≥ moderate and ≥ high; then totals against the goals.
 *
 * Options:
 *   --half a|b      only one half of the corpus (split by a hash of the command), to develop on
 *                   one half and check the other for overfitting
 *   --misses        list the rows that miss (dangerous rated safe, critical below high, benign
 *                   flagged)
 *   --json          print the table as one JSON object instead
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { createRater, type Rating, riskAtLeast } from "../../src/safety/mod.ts";

interface Row {
  command: string;
  label: "critical" | "dangerous" | "benign";
  source: string;
  category?: string;
}

interface Tally {
  source: string;
  rows: number;
  dangerous: number;
  dangerousFlagged: number;
  critical: number;
  criticalHigh: number;
  benign: number;
  benignModerate: number;
  benignHigh: number;
}

/** Goals from issue 3 (on commands not seen during development). */
export const GOALS = {
  recall: 0.97,
  criticalHigh: 0.95,
  benignHigh: 0.02,
  benignModerate: 0.08,
};

const DEFAULT_PATH = fileURLToPath(
  new URL("../../../shared/data/safety/commands.jsonl", import.meta.url),
);

/** FNV-1a of the command: a split that does not depend on row order. */
function half(command: string): "a" | "b" {
  let h = 0x811c9dc5;
  for (let i = 0; i < command.length; i++) {
    h ^= command.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 2 === 0 ? "a" : "b";
}

function emptyTally(source: string): Tally {
  return {
    source,
    rows: 0,
    dangerous: 0,
    dangerousFlagged: 0,
    critical: 0,
    criticalHigh: 0,
    benign: 0,
    benignModerate: 0,
    benignHigh: 0,
  };
}

function add(t: Tally, row: Row, rating: Rating): string | undefined {
  t.rows++;
  if (row.label === "benign") {
    t.benign++;
    if (riskAtLeast(rating.risk, "moderate")) t.benignModerate++;
    if (riskAtLeast(rating.risk, "high")) t.benignHigh++;
    return riskAtLeast(rating.risk, "moderate") ? "benign flagged" : undefined;
  }
  t.dangerous++;
  const flagged = riskAtLeast(rating.risk, "moderate");
  if (flagged) t.dangerousFlagged++;
  if (row.label === "critical") {
    t.critical++;
    if (riskAtLeast(rating.risk, "high")) t.criticalHigh++;
    else return flagged ? "critical below high" : "missed";
  }
  return flagged ? undefined : "missed";
}

const ratio = (n: number, d: number) => d === 0 ? NaN : n / d;
const fmt = (x: number) => Number.isNaN(x) ? "—" : x.toFixed(3);

function table(tallies: Tally[]): string {
  const head =
    "| source | rows | dangerous+critical ≥ moderate | critical ≥ high | benign ≥ moderate | benign ≥ high |";
  const lines = [head, "|---|---:|---:|---:|---:|---:|"];
  for (const t of tallies) {
    lines.push(
      `| ${t.source} | ${t.rows} | ${
        fmt(ratio(t.dangerousFlagged, t.dangerous))
      } (${t.dangerousFlagged}/${t.dangerous}) | ${
        fmt(ratio(t.criticalHigh, t.critical))
      } (${t.criticalHigh}/${t.critical}) | ${
        fmt(ratio(t.benignModerate, t.benign))
      } (${t.benignModerate}/${t.benign}) | ${
        fmt(ratio(t.benignHigh, t.benign))
      } (${t.benignHigh}/${t.benign}) |`,
    );
  }
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      half: { type: "string" },
      misses: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
  const path = positionals[0] ?? DEFAULT_PATH;
  const text = await Deno.readTextFile(path);
  const rows: Row[] = text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
  const selected = values.half ? rows.filter((r) => half(r.command) === values.half) : rows;

  const started = performance.now();
  const rater = await createRater();
  const startup = performance.now() - started;
  const bySource = new Map<string, Tally>();
  const total = emptyTally("**total**");
  const misses: string[] = [];
  const rateStart = performance.now();
  for (const row of selected) {
    const rating = rater.rateRules(row.command);
    const t = bySource.get(row.source) ?? emptyTally(row.source);
    bySource.set(row.source, t);
    const miss = add(t, row, rating);
    add(total, row, rating);
    if (miss) {
      misses.push(
        `${miss.padEnd(20)} ${row.label.padEnd(9)} ${rating.risk.padEnd(8)} ${
          JSON.stringify(row.command).slice(0, 110)
        }  [${row.source.split("/")[0]}: ${row.category ?? ""}] ${
          rating.rules.map((r) => r.id).join(",")
        }`,
      );
    }
  }
  const rateMs = performance.now() - rateStart;
  const tallies = [...bySource.values()].sort((a, b) => b.rows - a.rows);
  tallies.push(total);
  const recall = ratio(total.dangerousFlagged, total.dangerous);
  const critHigh = ratio(total.criticalHigh, total.critical);
  const benMod = ratio(total.benignModerate, total.benign);
  const benHigh = ratio(total.benignHigh, total.benign);
  const verdict = {
    recall: recall >= GOALS.recall,
    criticalHigh: critHigh >= GOALS.criticalHigh,
    benignModerate: benMod <= GOALS.benignModerate,
    benignHigh: benHigh <= GOALS.benignHigh,
  };
  if (values.json) {
    console.log(JSON.stringify({ path, half: values.half ?? "all", tallies, verdict }));
  } else {
    console.log(`corpus: ${path}${values.half ? ` (half ${values.half})` : ""}\n`);
    console.log(table(tallies));
    const mark = (ok: boolean) => ok ? "ok" : "MISSED";
    console.log(
      `\ngoals: recall ${fmt(recall)} ≥ ${GOALS.recall} ${mark(verdict.recall)}; ` +
        `critical≥high ${fmt(critHigh)} ≥ ${GOALS.criticalHigh} ${mark(verdict.criticalHigh)}; ` +
        `benign≥moderate ${fmt(benMod)} ≤ ${GOALS.benignModerate} ${
          mark(verdict.benignModerate)
        }; ` +
        `benign≥high ${fmt(benHigh)} ≤ ${GOALS.benignHigh} ${mark(verdict.benignHigh)}`,
    );
    console.log(
      `rater start-up ${startup.toFixed(0)} ms; ${selected.length} commands in ${
        rateMs.toFixed(0)
      } ms (${Math.round(selected.length / (rateMs / 1000))}/s)`,
    );
    if (values.misses) console.log("\n" + misses.sort().join("\n"));
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
