/**
 * Minimal assertions for the tests (JSR's `@std/assert` is out of reach here).
 * @module
 */

/** Throws unless `actual` deep-equals `expected` (compared as JSON). */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${msg ? msg + ": " : ""}expected ${e}, got ${a}`);
}

/** Throws unless `cond` is truthy. */
export function assert(cond: unknown, msg = "assertion failed"): asserts cond {
  if (!cond) throw new Error(msg);
}

/** Throws unless `text` contains `part`. */
export function assertStringIncludes(text: string, part: string, msg?: string): void {
  if (!text.includes(part)) {
    throw new Error(
      `${msg ? msg + ": " : ""}expected ${JSON.stringify(text)} to include ${JSON.stringify(part)}`,
    );
  }
}

// deno-lint-ignore no-explicit-any
type ErrorClass = new (...args: any[]) => Error;

/** Throws unless `fn` throws an instance of `cls`; returns that error. */
export function assertThrows(fn: () => unknown, cls: ErrorClass = Error, msg?: string): Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof cls) return e;
    throw new Error(`expected ${cls.name}, got ${e}`);
  }
  throw new Error(msg ?? `expected ${cls.name} to be thrown`);
}

/** Like {@link assertThrows} for promises. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  cls: ErrorClass = Error,
  msg?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof cls) return e;
    throw new Error(`expected ${cls.name}, got ${e}`);
  }
  throw new Error(msg ?? `expected ${cls.name} to be rejected`);
}
