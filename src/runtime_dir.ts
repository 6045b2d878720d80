/**
 * The per-user directory for what cmdai keeps between key presses: a folder
 * only its owner can enter, so another user on the machine can neither read a
 * request nor plant a file there.
 *
 * @module
 */

import { join } from "node:path";
import type { Env } from "./env.ts";
import { CmdaiError, ExitCode } from "./errors.ts";

/**
 * `$XDG_RUNTIME_DIR/cmdai`, or `cmdai-<uid>` in the temporary directory when
 * there is no runtime directory (macOS). Created with mode 0700; an existing
 * one must belong to this user and be closed to others, or it is refused.
 */
export async function runtimeDir(env: Env = Deno.env): Promise<string> {
  const dir = runtimeDirPath(env);
  try {
    await Deno.mkdir(dir, { mode: 0o700 });
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) {
      throw new CmdaiError(ExitCode.runtime, `cannot create ${dir}: ${(e as Error).message}`);
    }
  }
  return await checked(dir);
}

/**
 * The runtime directory when it exists, checked as {@link runtimeDir} does;
 * undefined when it does not. Creates nothing: for what only looks (`serve --status`).
 */
export async function existingRuntimeDir(env: Env = Deno.env): Promise<string | undefined> {
  const dir = runtimeDirPath(env);
  if (!(await Deno.lstat(dir).then(() => true, () => false))) return undefined;
  return await checked(dir);
}

function runtimeDirPath(env: Env): string {
  const xdg = env.get("XDG_RUNTIME_DIR");
  return xdg ? join(xdg, "cmdai") : join(env.get("TMPDIR") || "/tmp", `cmdai-${Deno.uid() ?? 0}`);
}

async function checked(dir: string): Promise<string> {
  const uid = Deno.uid() ?? 0;
  // lstat: a link planted in a shared /tmp would otherwise lead into someone else's folder.
  const info = await Deno.lstat(dir);
  if (!info.isDirectory || info.uid !== uid || ((info.mode ?? 0) & 0o077) !== 0) {
    throw new CmdaiError(
      ExitCode.runtime,
      `${dir} is not a private directory of this user (it must be owned by uid ${uid}, mode 0700)`,
    );
  }
  return dir;
}
