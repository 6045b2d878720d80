/**
 * What the prompt needs to know about where the command will run: the target
 * shell, the OS and its userland (GNU vs BSD flags), and the working directory.
 * Gathered from the environment alone; nothing is executed to collect it.
 *
 * @module
 */

import { basename } from "node:path";
import { CmdaiError, ExitCode } from "../errors.ts";
import type { Env } from "../env.ts";

/** The shells cmdai writes commands for. */
export const SHELLS = ["zsh", "fish", "bash"] as const;
/** One of {@link SHELLS}. */
export type Shell = typeof SHELLS[number];

/** The facts about the user's environment that shape the command. */
export interface Context {
  shell: Shell;
  /** `Deno.build.os`, e.g. `linux` or `darwin`. */
  os: string;
  /** A readable name for the prompt, e.g. `macOS` or `Linux`. */
  osName: string;
  /** Whether the core utilities take GNU or BSD flags. */
  userland: "GNU" | "BSD";
  cwd: string;
}

/** Validates a `--shell` value. */
export function parseShell(value: string): Shell {
  if ((SHELLS as readonly string[]).includes(value)) return value as Shell;
  throw new CmdaiError(ExitCode.usage, `unknown shell "${value}" (use zsh, fish or bash)`);
}

/** The user's shell from `$SHELL`, falling back to bash (the lingua franca) when unknown. */
export function detectShell(env: Env = Deno.env): Shell {
  const name = basename(env.get("SHELL") ?? "");
  return (SHELLS as readonly string[]).includes(name) ? name as Shell : "bash";
}

const OS_NAMES: Record<string, string> = {
  darwin: "macOS",
  linux: "Linux",
  freebsd: "FreeBSD",
  openbsd: "OpenBSD",
  netbsd: "NetBSD",
  windows: "Windows",
};

/** Builds the {@link Context} for a request. */
export function gatherContext(
  shell: Shell,
  os: string = Deno.build.os,
  cwd: string = safeCwd(),
): Context {
  const bsd = os === "darwin" || os.endsWith("bsd");
  return { shell, os, osName: OS_NAMES[os] ?? os, userland: bsd ? "BSD" : "GNU", cwd };
}

/**
 * The working directory; a directory deleted under the shell must not fail the
 * request (the launcher starts Deno from / then, and says so in `CMDAI_CWD_GONE`).
 */
export function safeCwd(): string {
  try {
    return Deno.env.get("CMDAI_CWD_GONE") ? "(unknown: it was deleted)" : Deno.cwd();
  } catch {
    return "(unknown: it was deleted)";
  }
}
