/**
 * How many CPU threads inference may use.
 *
 * llama.cpp's default of 4 threads on a 2-core container is oversubscribed and
 * measured ~100× slower than 1 thread on tiny models; on real models one
 * thread per available core is best. So: the cores this process may really
 * use (CPU affinity and the cgroup quota), overridable with `CMDAI_THREADS`.
 *
 * @module
 */

import { availableParallelism } from "node:os";
import { setting } from "../settings.ts";
import type { Env } from "../env.ts";

/** Reads a file's text, or undefined when it does not exist or cannot be read. */
export type ReadText = (path: string) => string | undefined;

function readTextOrUndefined(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The CPU limit a cgroup (v2 `cpu.max`, or v1 `cpu.cfs_quota_us`) puts on this
 * process, rounded up to whole cores; undefined when there is none.
 */
export function cgroupCpuLimit(read: ReadText = readTextOrUndefined): number | undefined {
  const v2 = read("/sys/fs/cgroup/cpu.max")?.trim().split(/\s+/);
  if (v2 && v2[0] !== "max") {
    const quota = Number(v2[0]), period = Number(v2[1] ?? 100000);
    if (quota > 0 && period > 0) return Math.max(1, Math.ceil(quota / period));
  }
  const quota = Number(read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")?.trim());
  const period = Number(read("/sys/fs/cgroup/cpu/cpu.cfs_period_us")?.trim());
  if (quota > 0 && period > 0) return Math.max(1, Math.ceil(quota / period));
  return undefined;
}

/**
 * The number of threads to give llama.cpp: `CMDAI_THREADS` when set (a
 * positive integer, else a usage error), otherwise the available cores.
 */
export function inferenceThreads(
  env: Env = Deno.env,
  cores: number = availableParallelism(),
  cgroupLimit: number | undefined = cgroupCpuLimit(),
): number {
  return setting(env, "threads") ??
    Math.max(1, Math.min(cores, cgroupLimit ?? cores));
}
