/**
 * Environment access as the modules take it: `Deno.env`, or a test double.
 * @module
 */

/** Reads environment variables. */
export interface Env {
  get(name: string): string | undefined;
}
