/**
 * Reading tldr pages for the grounding index from a tldr-pages checkout's Markdown: examples and
 * one-line summary, rendered the way cmdai's `tldr_pairs_filled.tsv` is (`{{path/to/file}}` →
 * `path/to/file`, `{{[-r|--recursive]}}` → `-r`, `[f]ile` → `file`) except that a placeholder of
 * alternatives takes its first one: `-t{{7z|gzip|zip}}` → `-t7z`, where the TSV has
 * `-t7z|gzip|zip` (a pipeline, to a parser and to a small model; 1,501 of its commands).
 *
 * @module
 */

import { join } from "node:path";

/** One example of a page. */
export interface SourceExample {
  description: string;
  command: string;
}

/** One page: `common/tar` and its examples; `summary` is its `>` lines (without links). */
export interface SourcePage {
  page: string;
  summary: string;
  examples: SourceExample[];
}

/**
 * A command with its placeholders rendered: the inner text, an option's short spelling, or the
 * first of alternatives, also of optional parts (`{{source.tar[.gz|.xz]}}` → `source.tar.gz`).
 */
export function renderCommand(command: string): string {
  return command.replace(
    /\{\{(.*?)\}\}/g,
    (_, inner: string) => inner.replace(/\[([^\]|]*)\|[^\]]*\]/g, "$1").split("|")[0],
  );
}

/** A description as the TSV has it: mnemonic brackets gone, no final colon, first letter up. */
export function renderDescription(description: string): string {
  const text = description.replace(/([A-Za-z]?)\[([A-Za-z0-9]+)\]/g, "$1$2").replace(/:\s*$/, "");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Parses one page's Markdown (tldr's page format). */
export function parsePage(page: string, markdown: string): SourcePage {
  const summary: string[] = [];
  const examples: SourceExample[] = [];
  let description: string | undefined;
  for (const raw of markdown.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("> ")) {
      if (!/^> (More information|See also|Note)\b/.test(line)) summary.push(line.slice(2));
    } else if (line.startsWith("- ")) {
      description = renderDescription(line.slice(2).trim());
    } else if (line.startsWith("`") && description !== undefined) {
      examples.push({ description, command: renderCommand(line.replace(/^`|`$/g, "")) });
      description = undefined;
    }
  }
  return { page, summary: summary.join(" "), examples };
}

/** Reads every page of `folder` (`common`, `linux`, `osx`) from a tldr-pages checkout. */
export async function readFolder(checkout: string, folder: string): Promise<SourcePage[]> {
  const dir = join(checkout, "pages", folder);
  const out: SourcePage[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !entry.name.endsWith(".md")) continue;
    const name = `${folder}/${entry.name.slice(0, -3)}`;
    out.push(parsePage(name, await Deno.readTextFile(join(dir, entry.name))));
  }
  return out.sort((a, b) => a.page.localeCompare(b.page));
}
