/**
 * Environment access as the modules take it: `Deno.env`, or a test double.
 * @module
 */

/** Reads environment variables. */
export interface Env {
  get(name: string): string | undefined;
}

/** Environment access with a listing, as `Deno.env` has (what travels to the server). */
export interface FullEnv extends Env {
  toObject(): Record<string, string>;
}
