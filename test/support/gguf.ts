/**
 * Tiny `qwen2` GGUF models for tests, written without dependencies and run
 * through the real llama.cpp path by node-llama-cpp.
 *
 * - {@link writeScriptedModel}: greedy output for any ChatML prompt is an exact
 *   chosen reply, then `<|im_end|>` (or the reply again, forever, with `loop`).
 * - {@link writeRandomModel}: random weights, for "any ChatML GGUF loads" tests.
 * - {@link writeShapedModel}: random Q8_0 weights in Qwen2.5-1.5B's shape (~1.65 GB),
 *   for benchmarks only.
 * - {@link cachedModel} / {@link scriptedModel}: write once into `.test-cache/models/`.
 *
 * How a scripted model produces its reply exactly is told in `gguf_scripted.ts`.
 *
 * @module
 */

import { join } from "node:path";
import { cachedFile, shortHash, TEST_CACHE } from "./gguf_cache.ts";
import { type ScriptedModelOptions, writeScriptedModel } from "./gguf_scripted.ts";

export type { TokenizerKind } from "./gguf_qwen2.ts";
export {
  ropeThetas,
  SCRIPT_ROPE_BASE,
  type ScriptedModelOptions,
  scriptedTokenIds,
  writeScriptedModel,
} from "./gguf_scripted.ts";
export { type RandomModelOptions, writeRandomModel, writeShapedModel } from "./gguf_random.ts";

let sourceHash: Promise<string> | undefined;

/**
 * A hash of this writer's own sources (`gguf*.ts`, `vocab*.ts` here, tests aside),
 * so a changed writer never reuses stale models.
 */
function writerHash(): Promise<string> {
  sourceHash ??= (async () => {
    const dir = new URL(".", import.meta.url);
    const names: string[] = [];
    for await (const e of Deno.readDir(dir)) {
      if (/^(gguf|vocab)\w*\.ts$/.test(e.name) && !e.name.endsWith("_test.ts")) names.push(e.name);
    }
    const texts = await Promise.all(names.sort().map((n) => Deno.readTextFile(new URL(n, dir))));
    return shortHash(...names, ...texts);
  })();
  return sourceHash;
}

/**
 * Path of `.test-cache/models/<name>-<writer hash>.gguf`, written by `write` the
 * first time. `name` must identify the content (e.g. include a hash of the reply).
 * Safe under parallel tests: written to a temporary name, then renamed.
 */
export async function cachedModel(
  name: string,
  write: (path: string) => Promise<void>,
): Promise<string> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`gguf: bad cache name ${JSON.stringify(name)}`);
  const dir = join(TEST_CACHE, "models");
  const file = `${name}-${await writerHash()}.gguf`;
  const path = await cachedFile(join(dir, file), write);
  await pruneStale(dir, name, file);
  return path;
}

const pruned = new Set<string>();

/** Removes (once per process) this name's models made by earlier versions of the writer. */
async function pruneStale(dir: string, name: string, keep: string): Promise<void> {
  if (pruned.has(name)) return;
  pruned.add(name);
  const escaped = name.replace(/[.]/g, "\\.");
  const stale = new RegExp(`^${escaped}-[0-9a-f]{12}\\.gguf$`);
  for await (const e of Deno.readDir(dir)) {
    if (e.name !== keep && stale.test(e.name)) await Deno.remove(join(dir, e.name)).catch(() => {});
  }
}

/** A cached {@link writeScriptedModel} model for this reply and options; returns its path. */
export async function scriptedModel(
  reply: string,
  opts: ScriptedModelOptions = {},
): Promise<string> {
  const key = await shortHash(reply, JSON.stringify(opts));
  return cachedModel(
    `scripted-${opts.tokenizer ?? "synthetic"}-${key}`,
    (p) => writeScriptedModel(p, reply, opts),
  );
}
