/**
 * What can run here: a program is found when it is on PATH, a builtin or
 * keyword of the target shell, or one of the user's aliases and functions
 * (the widgets send their names). A command that runs something that is none
 * of these is still placed, with a word that it is missing.
 *
 * PATH is read from the request's environment (the client's, through the
 * server) and scanned once; the scan is kept until PATH or a directory on it
 * changes, so a warm server answers from memory.
 *
 * @module
 */

import { isAbsolute, join, resolve } from "node:path";
import type { Shell } from "./context.ts";
import { SHELL_BUILTINS } from "../syntax/builtins.ts";

/** What a request's command may run, and how to tell it is there. */
export interface Installed {
  /** Whether `program` (a name, or a path as written) can run here. */
  has(program: string): boolean;
  /** Those of `programs` that cannot, in order. */
  missing(programs: readonly string[]): string[];
}

/** A directory's executables, as scanned, with what tells when to scan it again. */
interface Scan {
  mtime: number | undefined;
  names: ReadonlySet<string>;
}

/** Scans by directory, kept for the process (the resident server answers from them). */
const scans = new Map<string, Scan>();

/** The executable files (or links to them) in `dir`; none when it cannot be read. */
function scanDir(dir: string): Scan {
  let mtime: number | undefined;
  try {
    mtime = Deno.statSync(dir).mtime?.getTime();
  } catch {
    return { mtime: undefined, names: new Set() };
  }
  const cached = scans.get(dir);
  if (cached && cached.mtime === mtime) return cached;
  const names = new Set<string>();
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isDirectory) continue;
      // Executable bits are checked for what is asked about (isExecutable), not for the
      // thousands of names a scan lists.
      names.add(entry.name);
    }
  } catch { /* unreadable: nothing found there */ }
  const scan = { mtime, names };
  scans.set(dir, scan);
  return scan;
}

function isExecutable(path: string): boolean {
  try {
    const st = Deno.statSync(path);
    return st.isFile && ((st.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * What can run for a request: on `path` (a PATH value), a builtin or keyword
 * of `shell`, one of `known` (the user's aliases and functions), or a path
 * (`./build.sh`) to an executable file from `cwd`.
 */
export function installedPrograms(
  opts: { path: string; shell: Shell; known?: Iterable<string>; cwd?: string },
): Installed {
  const known = new Set(opts.known ?? []);
  const dirs = opts.path.split(":").filter((d) => isAbsolute(d));
  const scanned = dirs.map(scanDir);
  const has = (program: string) => {
    if (program.includes("/")) return isExecutable(resolve(opts.cwd ?? "/", program));
    if (SHELL_BUILTINS[opts.shell].has(program) || known.has(program)) return true;
    return scanned.some((s, i) => s.names.has(program) && isExecutable(join(dirs[i], program)));
  };
  return { has, missing: (programs) => programs.filter((p) => !has(p)) };
}
