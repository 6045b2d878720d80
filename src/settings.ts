/**
 * Numeric settings read from the environment (`CMDAI_THREADS`, `CMDAI_TIMEOUT`,
 * …): unset or empty means the default; anything else must be a number in
 * range, or it is a usage error that names the variable.
 *
 * @module
 */

import type { Env } from "./env.ts";
import { CmdaiError, ExitCode } from "./errors.ts";

/** A whole number from `min` to `max`. */
export function wholeNumber(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = env.get(name);
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CmdaiError(
      ExitCode.usage,
      `${name} must be a whole number from ${min} to ${max}, not "${raw}"`,
    );
  }
  return n;
}

/** A positive number of seconds. */
export function seconds(env: Env, name: string, fallback: number): number {
  const raw = env.get(name);
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new CmdaiError(
      ExitCode.usage,
      `${name} must be a positive number of seconds, not "${raw}"`,
    );
  }
  return n;
}

/** Default request timeout; `CMDAI_TIMEOUT` (seconds) changes it. */
const DEFAULT_TIMEOUT_S = 30;

/** `CMDAI_TIMEOUT`: how long a request may take, model load included. */
export function timeoutSeconds(env: Env): number {
  return seconds(env, "CMDAI_TIMEOUT", DEFAULT_TIMEOUT_S);
}

/** The error for a request that ran past `CMDAI_TIMEOUT`. */
export function timedOut(timeoutS: number): CmdaiError {
  return new CmdaiError(
    ExitCode.inference,
    `no reply within ${timeoutS} s (CMDAI_TIMEOUT sets the limit)`,
  );
}
