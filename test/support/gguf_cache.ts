/**
 * The test cache (`.test-cache/`, gitignored): files that are costly to make are
 * written once, under a temporary name then renamed, so parallel test processes
 * never see a half-written file.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { exists } from "../../src/fs.ts";

/** The repository root (this file is `test/support/gguf_cache.ts`). */
export const REPO_ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** Where tests keep generated files between runs. */
export const TEST_CACHE: string = join(REPO_ROOT, ".test-cache");

const pending = new Map<string, Promise<string>>();

/**
 * Returns `path`, first making it with `write(tmp)` unless it exists. Concurrent
 * calls in one process share one write; across processes the last rename wins,
 * and every rename puts a complete file in place.
 */
export function cachedFile(path: string, write: (tmp: string) => Promise<void>): Promise<string> {
  let job = pending.get(path);
  if (!job) {
    job = (async () => {
      if (await exists(path)) return path;
      await Deno.mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${Deno.pid}-${crypto.randomUUID().slice(0, 8)}.tmp`;
      try {
        await write(tmp);
        await Deno.rename(tmp, path);
      } catch (e) {
        await Deno.remove(tmp).catch(() => {});
        throw e;
      }
      return path;
    })();
    pending.set(path, job);
    job.catch(() => pending.delete(path));
  }
  return job;
}

/** A short hex SHA-256 of some texts, for cache keys. */
export async function shortHash(...parts: string[]): Promise<string> {
  const data = new TextEncoder().encode(parts.join("\u0000"));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(digest.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
}
