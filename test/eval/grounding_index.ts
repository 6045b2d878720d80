/**
 * Builds the grounding index `src/grounding/tldr_index.json` (`deno task index:grounding
 * --tldr DIR [SHARED]`):
 *
 * - DIR is a checkout of https://github.com/tldr-pages/tldr: its `pages/common/`, `pages/linux/`
 *   and `pages/osx/` pages (see grounding/pages.ts for why not cmdai's `tldr_pairs_filled.tsv`,
 *   which holds the same `common/` and `linux/` examples);
 * - SHARED (default `../shared` beside the repository) holds `data/nl2sh/nl2bash_dev.tsv`.
 *
 * A seventh of the dev requests (every 7th from the 4th) is kept out of training and written to
 * `test/fixtures/nl2bash_dev_sample.tsv`, where the floor test measures the shipped index on
 * requests it has not seen. Takes about half a minute. `--out FILE` writes elsewhere;
 * `--train key=value,…` overrides training knobs (see `TRAIN` in grounding/build.ts).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { buildIndex, trainOptions } from "./grounding/build.ts";
import {
  checkoutCommit,
  DEFAULT_SHARED,
  nl2bashPath,
  readRequests,
  readSourcePages,
  trainingRequests,
} from "./grounding/sources.ts";

const OUT = fileURLToPath(new URL("../../src/grounding/tldr_index.json", import.meta.url));
const FIXTURE = fileURLToPath(new URL("../fixtures/nl2bash_dev_sample.tsv", import.meta.url));

/** Whether the `i`-th dev request is held out for the floor test. */
export function heldOut(i: number): boolean {
  return i % 7 === 3;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      tldr: { type: "string" },
      out: { type: "string", default: OUT },
      train: { type: "string", default: "" },
    },
    allowPositionals: true,
  });
  if (!values.tldr) {
    console.error("usage: grounding_index.ts --tldr TLDR_CHECKOUT [SHARED]");
    Deno.exit(2);
  }
  const shared = positionals[0] ?? DEFAULT_SHARED;
  const started = performance.now();
  const pages = await readSourcePages(values.tldr);
  const dev = await readRequests(nl2bashPath(shared, "dev"));
  const commit = await checkoutCommit(values.tldr);
  const notice = "Examples from the tldr pages (https://github.com/tldr-pages/tldr, common/, " +
    `linux/ and osx/ at commit ${commit}), © the tldr-pages team and contributors, licensed ` +
    "under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); see NOTICE.md beside this " +
    "file for the changes. Classifier and utility counts trained on NL2Bash dev requests (MIT). " +
    "Built by test/eval/grounding_index.ts.";
  const index = buildIndex(pages, trainingRequests(dev.filter((_, i) => !heldOut(i))), {
    train: trainOptions(values.train),
    folds: 5,
    notice,
  });
  const text = JSON.stringify(index) + "\n";
  await Deno.writeTextFile(values.out, text);
  const sample = dev.filter((_, i) => heldOut(i))
    .flatMap((r) => r.golds.map((g) => `${r.nl}\t${g}`));
  await Deno.writeTextFile(FIXTURE, sample.join("\n") + "\n");
  console.log(
    `${values.out}: ${
      new TextEncoder().encode(text).length
    } bytes, ${index.pages.length} pages, ${index.examples} examples, ` +
      `${index.labels} labels; ${sample.length} held-out rows in ${FIXTURE}; ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log("reranker:", JSON.stringify(index.rerank));
}
