/**
 * The resident server's loaded models: more than one when memory allows, so
 * that two shells with different `CMDAI_MODEL`s do not reload a model at each
 * press. The least recently used model is unloaded when a new one would pass
 * the memory budget (half the machine's memory, by file size) or the count.
 * A file changed on disk (a newer download) is loaded again.
 *
 * @module
 */

import type { Backend, LoadOptions } from "../backends/backend.ts";

/** Models kept loaded at most, whatever the memory. */
export const MAX_MODELS = 3;

/** A loaded model, and what identifies the file and options it came from. */
interface Loaded {
  key: string;
  path: string;
  size: number;
  backend: Backend;
  lastUsed: number;
}

/** Options of {@link createModelPool}. */
export interface PoolOptions {
  /** One line for the server's log. */
  log(line: string): void;
  /** Bytes of model files kept loaded at most (default: half the machine's memory). */
  budget?: number;
  /** Loads a model (default: the embedded backend's `loadModel`). */
  load?(path: string, options: LoadOptions): Promise<Backend>;
}

/** Loaded models, by file and options. */
export interface ModelPool {
  /** The model at `path`, loaded now unless it is already. */
  get(path: string, options: LoadOptions): Promise<Backend>;
  /** The loaded models' files, the most recently used first. */
  paths(): string[];
  /** Unloads every model. */
  dispose(): Promise<void>;
}

/** A pool of loaded models (see the module's notes). */
export function createModelPool(options: PoolOptions): ModelPool {
  const { log } = options;
  const budget = options.budget ?? Deno.systemMemoryInfo().total / 2;
  const loaded = new Map<string, Loaded>();
  let clock = 0;

  async function unload(entry: Loaded, why: string) {
    loaded.delete(entry.key);
    log(`${why}: unloading ${entry.path}`);
    await entry.backend.dispose();
  }

  return {
    async get(path, loadOptions) {
      const info = await Deno.stat(path);
      const key = [
        path,
        info.mtime?.getTime(),
        info.size,
        loadOptions.threads,
        loadOptions.gpuLayers,
      ]
        .join("\0");
      const hit = loaded.get(key);
      if (hit) {
        hit.lastUsed = ++clock;
        return hit.backend;
      }
      for (const entry of [...loaded.values()]) {
        if (entry.path === path) await unload(entry, "model changed");
      }
      // The least recently used go first, until the new one fits (one model always may).
      const byAge = [...loaded.values()].sort((a, b) => a.lastUsed - b.lastUsed);
      let total = byAge.reduce((sum, e) => sum + e.size, info.size);
      for (const entry of byAge) {
        if (total <= budget && loaded.size < MAX_MODELS) break;
        total -= entry.size;
        await unload(entry, "memory for another model");
      }
      const load = options.load ?? (await import("../backends/embedded.ts")).loadModel;
      log(`loading ${path}`);
      const t = performance.now();
      const backend = await load(path, loadOptions);
      log(`loaded ${path} in ${Math.round(performance.now() - t)} ms (${loaded.size + 1} loaded)`);
      loaded.set(key, { key, path, size: info.size, backend, lastUsed: ++clock });
      return backend;
    },
    paths: () => [...loaded.values()].sort((a, b) => b.lastUsed - a.lastUsed).map((e) => e.path),
    async dispose() {
      for (const entry of [...loaded.values()]) await unload(entry, "stopping");
    },
  };
}
