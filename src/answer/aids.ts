/**
 * What the model is told besides the request and where it runs: the commands
 * the user ran last, which of the usual programs for the request are
 * installed, and examples from the tldr pages for the utilities it likely
 * needs. Each is switchable (`CMDAI_HISTORY`, `CMDAI_GROUND`), so that
 * `cmdai eval` against a real model can compare with and without.
 *
 * @module
 */

import { cleanRequest } from "./ask.ts";
import type { Context, Shell } from "./context.ts";
import type { Env } from "../env.ts";
import { type Alternatives, type Grounding, groundRequest } from "../grounding/mod.ts";
import { type Installed, installedPrograms } from "./installed.ts";
import { setting } from "../settings.ts";

/** A request's situation as the widget or the command line gives it. */
export interface Where {
  shell: Shell;
  /** The directory the request was made in (default: this process's). */
  cwd?: string;
  /** The settings, and the PATH programs are looked up on. */
  env: Env;
  /** The shell's latest history entries, oldest first (the widgets send them). */
  recent?: readonly string[];
  /** The names of the shell's aliases and functions (the widgets send them). */
  known?: readonly string[];
}

/** The aids for one request; an empty list is an aid left out. */
export interface Aids {
  /** Commands run last, oldest first: context for the request, never part of it. */
  recent: string[];
  /** Installed programs among the usual alternatives for the request. */
  alternatives: Alternatives[];
  /** Examples from the tldr pages (see `src/grounding/`). */
  grounding: Grounding[];
}

/** No aids: what `explain` and a bare prompt get. */
export const NO_AIDS: Aids = { recent: [], alternatives: [], grounding: [] };

/** A history entry is cut to this many characters: a pasted script tells the model little. */
const MAX_RECENT_CHARS = 200;

/**
 * Whether `url` names this machine: history may go to a server there, as to
 * the embedded model, without leaving it.
 */
export function isLoopback(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  } catch {
    return false;
  }
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" ||
    /^127(\.\d{1,3}){3}$/.test(host) || host === "::ffff:127.0.0.1";
}

/**
 * The recent commands the model is told: the last `CMDAI_HISTORY` of
 * `where.recent`, each on one line, the request itself left out; none for a
 * backend on another machine (`remoteUrl`) unless `CMDAI_HISTORY_REMOTE` allows.
 */
export function recentCommands(where: Where, request: string, remoteUrl?: string): string[] {
  const n = setting(where.env, "history");
  if (n === 0 || !where.recent?.length) return [];
  if (remoteUrl !== undefined && !isLoopback(remoteUrl) && !setting(where.env, "historyRemote")) {
    return [];
  }
  const out: string[] = [];
  for (const entry of where.recent) {
    const text = entry.trim();
    if (!text || cleanRequest(text) === cleanRequest(request)) continue;
    const [first, ...rest] = text.split("\n");
    let line = rest.length > 0 ? `${first.trimEnd()} …` : first;
    if (line.length > MAX_RECENT_CHARS) line = `${line.slice(0, MAX_RECENT_CHARS - 2)} …`;
    out.push(line);
  }
  return out.slice(-n);
}

/** The tldr pages' platform for an OS (`Deno.build.os`). */
function tldrPlatform(os: string): string {
  return os === "darwin" ? "osx" : os;
}

/**
 * What can run where the request was made: PATH, the shell's builtins, its
 * aliases and functions. Undefined when the request says no PATH (a client
 * speaking the protocol may send no environment): nothing is known then.
 */
export function installedFor(where: Where, ctx: Context): Installed | undefined {
  const path = where.env.get("PATH");
  if (path === undefined) return undefined;
  return installedPrograms({ path, shell: where.shell, known: where.known, cwd: ctx.cwd });
}

/** Gathers the aids for `request`, as the settings allow. */
export function gatherAids(
  request: string,
  ctx: Context,
  where: Where,
  installed: Installed | undefined,
  remoteUrl?: string,
): Aids {
  const recent = recentCommands(where, request, remoteUrl);
  if (!setting(where.env, "ground")) return { ...NO_AIDS, recent };
  const told = groundRequest(request, { os: tldrPlatform(ctx.os), installed: installed?.has });
  return { recent, alternatives: told.alternatives, grounding: told.examples };
}
