/**
 * Evaluation data: TSV files without a header, in one of two layouts told apart by their
 * column count.
 *
 * - NL2Bash, 2 columns `nl <TAB> cmd`: rows with the same `nl` (next to each other or not)
 *   are one request with several gold commands.
 * - InterCode-ALFA, 6 columns `nl, gold, gold2, fs, difficulty, benchmark_index`: both gold
 *   columns are golds; the other columns are not used.
 *
 * Requests keep the order in which their `nl` first appears; duplicate golds are dropped.
 *
 * @module
 */

import { CmdaiError, ExitCode, oneLine } from "../errors.ts";

/** The layouts {@link parseDataset} reads. */
export type DatasetFormat = "nl2bash" | "intercode-alfa";

/** One request in words and the commands that answer it. */
export interface EvalRequest {
  /** The request, as the dataset words it. */
  nl: string;
  /** Gold commands: any of them is a right answer. */
  golds: string[];
  /** The 1-based line where the request first appears. */
  line: number;
}

/** A parsed dataset. */
export interface Dataset {
  format: DatasetFormat;
  requests: EvalRequest[];
}

/** Column count → layout, and which columns hold golds. */
const LAYOUTS: Record<number, { format: DatasetFormat; golds: number[] }> = {
  2: { format: "nl2bash", golds: [1] },
  6: { format: "intercode-alfa", golds: [1, 2] },
};

/** Parses TSV `text`; `name` names the file in errors. Blank lines are skipped. */
export function parseDataset(text: string, name: string): Dataset {
  const byNl = new Map<string, EvalRequest>();
  let layout: typeof LAYOUTS[number] | undefined;
  let columns = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, "");
    if (raw.trim() === "") continue;
    const cells = raw.split("\t");
    const where = `${name} line ${i + 1}`;
    if (!layout) {
      layout = LAYOUTS[cells.length];
      columns = cells.length;
      if (!layout) {
        throw new CmdaiError(
          ExitCode.usage,
          `${where} has ${
            columnCount(cells.length)
          }; expected 2 (nl, cmd: NL2Bash) or 6 (InterCode-ALFA)`,
        );
      }
    } else if (cells.length !== columns) {
      throw new CmdaiError(
        ExitCode.usage,
        `${where} has ${columnCount(cells.length)}, not ${columns} like the lines before it`,
      );
    }
    const nl = cells[0].trim();
    if (nl === "") throw new CmdaiError(ExitCode.usage, `${where} has an empty request`);
    const golds = layout.golds.map((c) => cells[c].trim()).filter((g) => g !== "");
    if (golds.length === 0) throw new CmdaiError(ExitCode.usage, `${where} has no gold command`);
    let request = byNl.get(nl);
    if (!request) {
      request = { nl, golds: [], line: i + 1 };
      byNl.set(nl, request);
    }
    for (const g of golds) if (!request.golds.includes(g)) request.golds.push(g);
  }
  if (!layout) throw new CmdaiError(ExitCode.usage, `${name} holds no requests`);
  return { format: layout.format, requests: [...byNl.values()] };
}

/** Reads and parses the TSV file at `path`; a missing or unreadable file is a one-line error. */
export async function readDataset(path: string): Promise<Dataset> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new CmdaiError(ExitCode.usage, `no such file: ${path}`);
    }
    throw new CmdaiError(
      ExitCode.runtime,
      `cannot read ${path}: ${oneLine(String((e as Error).message ?? e))}`,
    );
  }
  return parseDataset(text, path);
}

function columnCount(n: number): string {
  return n === 1 ? "1 column" : `${n} columns`;
}
