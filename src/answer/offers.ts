/**
 * What the widget last placed on a shell's line, and the ask it answered: a
 * second press on that line, unchanged, asks for a different command for the
 * same request instead of reading the command as a new request.
 *
 * Kept in the private runtime directory, one small file per shell session
 * (the widget passes the shell's PID), so the shell itself holds no state.
 *
 * @module
 */

import { join } from "node:path";
import { z } from "zod";
import type { Ask } from "./ask.ts";

/** Files older than this belong to shells long gone. */
const STALE_MS = 7 * 24 * 3600 * 1000;

/** Offers kept at most, one per shell: the least recently used go (their shells are likely gone). */
export const MAX_OFFER_FILES = 16;

const OfferSchema = z.object({
  version: z.literal(1),
  /** The line as the widget placed it. */
  line: z.string(),
  /** The ask it answered, with every command offered for it so far. */
  ask: z.object({
    request: z.string(),
    command: z.string().optional(),
    offered: z.array(z.string()).optional(),
  }),
});

function offerFile(dir: string, session: string): string {
  return join(dir, `offer-${session}.json`);
}

/**
 * The ask behind `line` when it is exactly what was last placed on this
 * session's line, with what was offered; otherwise undefined. A missing or
 * unreadable record is no record.
 */
export async function recallOffer(
  dir: string,
  session: string,
  line: string,
): Promise<Ask | undefined> {
  let raw: string;
  try {
    raw = await Deno.readTextFile(offerFile(dir, session));
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = OfferSchema.safeParse(json);
  if (!parsed.success || parsed.data.line !== line) return undefined;
  return parsed.data.ask;
}

/** Records that `line` was placed for `ask` (whose `offered` already lists it). */
export async function rememberOffer(
  dir: string,
  session: string,
  line: string,
  ask: Ask,
): Promise<void> {
  const file = offerFile(dir, session);
  const tmp = `${file}.${Deno.pid}.tmp`;
  const record: z.infer<typeof OfferSchema> = { version: 1, line, ask };
  // A shell's first offer is the time to clear out those of shells long gone, not every press.
  const first = await Deno.lstat(file).then(() => false, () => true);
  // Renamed into place: a press in the same shell never reads half a record.
  await Deno.writeTextFile(tmp, JSON.stringify(record), { mode: 0o600 });
  await Deno.rename(tmp, file);
  if (first) await pruneStale(dir);
}

async function pruneStale(dir: string): Promise<void> {
  const now = Date.now();
  const offers: { path: string; mtime: number }[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !entry.name.startsWith("offer-")) continue;
    const path = join(dir, entry.name);
    const mtime = (await Deno.stat(path).catch(() => undefined))?.mtime?.getTime();
    if (mtime !== undefined) offers.push({ path, mtime });
  }
  offers.sort((a, b) => b.mtime - a.mtime);
  for (const [i, offer] of offers.entries()) {
    if (i >= MAX_OFFER_FILES || now - offer.mtime > STALE_MS) {
      await Deno.remove(offer.path).catch(() => {});
    }
  }
}
