/**
 * Small predicates shared by rules: block devices, downloaders, stdin sources.
 *
 * @module
 */

import type { Invocation } from "./command.ts";
import { INTERPRETERS, SHELLS } from "./wrappers.ts";

/** Device files that are not disks (writing to them is harmless). */
const NOT_DISKS =
  /^\/dev\/(null|zero|full|u?random|tty\w*|pts\/|fd\/|std(in|out|err)|shm\/|console|ptmx|mqueue\/|log$|kmsg)/;

/** True for a path that names a disk, partition or volume (`/dev/sda`, `/dev/nvme0n1p1`). */
export function isBlockDevice(path: string): boolean {
  if (!path.startsWith("/dev/")) return false;
  if (NOT_DISKS.test(path)) return false;
  return /^\/dev\/(r?disk\d|[shv]d[a-z]|xvd[a-z]|nvme\d|mmcblk\d|md\d|dm-\d|mapper\/|loop\d|sr\d|nbd\d|zd\d|disk\/|[\w-]+\/[\w.-]+$)/
    .test(path);
}

/** Programs that fetch from the network and print it. */
export const DOWNLOADERS = new Set([
  "curl",
  "wget",
  "fetch",
  "http",
  "https",
  "httpie",
  "xh",
  "aria2c",
  "lwp-request",
  "get",
  "iwr",
  "irm",
  "invoke-webrequest",
  "invoke-restmethod",
  "nc",
  "ncat",
  "socat",
]);

/** True for a shell or a language interpreter (something that runs code it is given). */
export function runsCode(inv: Invocation): boolean {
  return SHELLS.has(inv.key) || INTERPRETERS.has(inv.key);
}

/** Every command upstream of `inv` in its pipeline (following pipes transitively). */
export function upstream(inv: Invocation): Invocation[] {
  const out: Invocation[] = [];
  const seen = new Set<Invocation>();
  // Iterative: a pipeline can have thousands of stages.
  const todo = [inv];
  while (todo.length > 0) {
    const i = todo.pop()!;
    if (i.stdin?.kind !== "commands") continue;
    for (const src of i.stdin.from) {
      if (seen.has(src)) continue;
      seen.add(src);
      out.push(src);
      todo.push(src);
    }
  }
  return out;
}

/** True when code read from a shell's or interpreter's stdin is what it runs. */
export function readsCodeFromStdin(inv: Invocation): boolean {
  if (!runsCode(inv)) return false;
  for (let i = 0; i < inv.args.length; i++) {
    const a = inv.args[i];
    if (a === "-" || a === "-s" || a === "/dev/stdin") return true;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(a) || /^-[eErp]$/.test(a)) return false;
    // `python -m json.tool`: a module runs, and stdin is its data.
    if (inv.key.startsWith("python") && a.startsWith("-m")) return false;
    if (!a.startsWith("-")) return false;
  }
  return true;
}

/** `$(curl …)`, `<(wget …)` or backticks around a downloader, inside an argument. */
export const DOWNLOAD_SUBSTITUTION =
  /(\$\(|<\(|`)\s*(sudo\s+)?(curl|wget|fetch|http|xh|aria2c|iwr|irm|invoke-webrequest)\b/i;
