/**
 * The grounding index: tldr pages' examples with the utilities each command runs, a small
 * classifier from request words to utilities, and how often NL2Bash's dev commands use each
 * utility. Built by `deno task index:grounding` (test/eval/grounding_index.ts) into
 * `tldr_index.json` beside this module; read once per process, on first use.
 *
 * The examples come from the tldr pages (https://github.com/tldr-pages/tldr), © the tldr-pages
 * team and contributors, CC-BY 4.0; see NOTICE.md in this folder.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { CmdaiError, ExitCode, oneLine } from "../errors.ts";

/** The index format this code reads; the generator writes the same number. */
export const INDEX_FORMAT = 1;

/** One tldr example: its description, its command (placeholders rendered), its utilities. */
export type IndexExample = [description: string, command: string, utilities: number[]];

/** One tldr page: `common/tar`, `linux/apt`, `osx/pbcopy`. */
export interface IndexPage {
  /** Platform folder and page name. */
  page: string;
  /** The utility the page documents (an index into {@link GroundingIndex.utilities}). */
  utility: number;
  examples: IndexExample[];
}

/** How the features of a candidate utility weigh in its probability (a logistic regression). */
export interface RerankWeights {
  /** The classifier's log probability of the utility. */
  classifier: number;
  /** The request names the utility, and the name is not an everyday word. */
  named: number;
  /** The request names the utility, and the name is an everyday word (`sort`, `find`, `date`). */
  namedCommon: number;
  /** log(1 + how many NL2Bash dev commands use the utility). */
  prior: number;
  /** How often the utility appears with the classifier's first choice in NL2Bash dev commands. */
  companion: number;
  bias: number;
}

/** The index as stored (JSON). */
export interface GroundingIndex {
  format: number;
  /** Where the data came from and its licence, for whoever opens the file. */
  notice: string;
  /** Every utility named below; the first `labels` are the classifier's classes. */
  utilities: string[];
  labels: number;
  /** Classifier: per term, flattened pairs `[label, weight × 64, …]`. */
  terms: Record<string, number[]>;
  /** Classifier: per label, its bias × 64. */
  bias: number[];
  /** Per utility, how many NL2Bash dev commands use it (0 past the end). */
  prior: number[];
  /** Per utility, flattened pairs `[utility, share × 100, …]` of its companions in dev commands. */
  companions: Record<string, number[]>;
  /** Utilities whose names are everyday words in the tldr descriptions. */
  common: number[];
  rerank: RerankWeights;
  /** Per term, how many example descriptions hold it (for weighing the words they share). */
  df: Record<string, number>;
  /** How many examples the index holds. */
  examples: number;
  pages: IndexPage[];
}

/** Where the shipped index lives. */
export const INDEX_URL: URL = new URL("./tldr_index.json", import.meta.url);

let cached: GroundingIndex | undefined;

/** Checks the parts of a parsed index that the code relies on; a bad file is a one-line error. */
export function checkIndex(data: unknown, name: string): GroundingIndex {
  const index = data as GroundingIndex;
  const fields: (keyof GroundingIndex)[] = [
    "utilities",
    "terms",
    "bias",
    "prior",
    "companions",
    "common",
    "rerank",
    "df",
    "pages",
  ];
  if (typeof data !== "object" || data === null || index.format !== INDEX_FORMAT) {
    throw new CmdaiError(
      ExitCode.runtime,
      `${name} is not a grounding index of format ${INDEX_FORMAT}; rebuild it with \`deno task index:grounding\``,
    );
  }
  for (const f of fields) {
    if (index[f] === undefined) {
      throw new CmdaiError(ExitCode.runtime, `${name} lacks "${f}"; rebuild it`);
    }
  }
  return index;
}

/** Reads and checks an index file. */
export function readIndex(path: string | URL): GroundingIndex {
  const name = path instanceof URL ? fileURLToPath(path) : path;
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new CmdaiError(
      ExitCode.runtime,
      `cannot read the grounding index ${name}: ${oneLine(String((e as Error).message ?? e))}`,
    );
  }
  try {
    return checkIndex(JSON.parse(text), name);
  } catch (e) {
    if (e instanceof CmdaiError) throw e;
    throw new CmdaiError(ExitCode.runtime, `${name} is not valid JSON; rebuild it`);
  }
}

/** The shipped index, read on the first call and kept for the life of the process. */
export function loadIndex(): GroundingIndex {
  cached ??= readIndex(INDEX_URL);
  return cached;
}
