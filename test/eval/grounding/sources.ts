/**
 * The inputs of the grounding index: the `common/`, `linux/` and `osx/` pages of a tldr-pages
 * checkout, and NL2Bash dev requests (from the shared data) with their gold commands' utilities.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadBashParser } from "../../../src/syntax/bash_parser.ts";
import { readDataset } from "../../../src/eval/dataset.ts";
import type { EvalRequest } from "../../../src/eval/dataset.ts";
import {
  goldUtilities,
  isUtilityName,
  type ParsedPage,
  parsePages,
  type TrainingRequest,
} from "./build.ts";
import { readFolder } from "./pages.ts";

/** `../shared` beside the repository, where the project's data lives on the build machine. */
export const DEFAULT_SHARED: string = fileURLToPath(new URL("../../../../shared", import.meta.url));

/** The NL2Bash file of a split under the shared folder. */
export function nl2bashPath(shared: string, split: "dev" | "test"): string {
  return join(shared, "data", "nl2sh", `nl2bash_${split}.tsv`);
}

/** The pages the index draws on: `common/`, `linux/` and `osx/`. */
export const FOLDERS = ["common", "linux", "osx"];

/** All pages of {@link FOLDERS} in a tldr-pages checkout, parsed. */
export async function readSourcePages(checkout: string): Promise<ParsedPage[]> {
  const pages = [];
  for (const folder of FOLDERS) pages.push(...await readFolder(checkout, folder));
  return parsePages(await loadBashParser(), pages);
}

/** A request with the utilities of every gold command. */
export interface GoldRequest extends EvalRequest {
  /** Per gold command, its utilities in order. */
  goldUtilities: string[][];
}

/** Reads an NL2Bash split and parses its gold commands. */
export async function readRequests(path: string): Promise<GoldRequest[]> {
  const parser = await loadBashParser();
  return (await readDataset(path)).requests.map((r) => ({
    ...r,
    goldUtilities: r.golds.map((g) => goldUtilities(parser, g)),
  }));
}

/** The training form of requests: words and the first gold's utilities. */
export function trainingRequests(requests: readonly GoldRequest[]): TrainingRequest[] {
  return requests.map((r) => ({ nl: r.nl, utilities: r.goldUtilities[0].filter(isUtilityName) }));
}

/** The tldr-pages commit of a checkout, or "unknown" when it is not a git work tree. */
export async function checkoutCommit(checkout: string): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["-C", checkout, "rev-parse", "HEAD"],
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => undefined);
  return out?.success ? new TextDecoder().decode(out.stdout).trim() : "unknown";
}
