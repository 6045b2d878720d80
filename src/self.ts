/**
 * Where the running cmdai lives, for what must start it again: the shell
 * integration names it, and a request starts the resident server with it.
 *
 * @module
 */

import { basename } from "node:path";
import type { Env } from "./env.ts";

/**
 * The absolute path of the running cmdai: the compiled executable, or the
 * launcher script that started Deno (it says so in `CMDAI_LAUNCHER`); "" when
 * run some other way (`deno run src/main.ts`).
 */
export function installedPath(env: Env = Deno.env): string {
  const exe = Deno.execPath();
  if (!["deno", "deno.exe"].includes(basename(exe))) return exe;
  return env.get("CMDAI_LAUNCHER") ?? "";
}
