/**
 * Temporary directories that tests remove whatever happens: `await using dir =
 * await tempDir()` deletes it, with everything in it, when the test's scope ends.
 *
 * @module
 */

/** A fresh temporary directory, removed when disposed. */
export async function tempDir(
  prefix = "cmdai-test-",
): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }).catch(() => {}),
  };
}

/**
 * A temporary directory for a whole test file (for helpers that make many small
 * ones): removed with everything in it when the file's tests are done.
 */
export function fileTempDir(prefix = "cmdai-test-"): string {
  const path = Deno.makeTempDirSync({ prefix });
  globalThis.addEventListener("unload", () => {
    try {
      Deno.removeSync(path, { recursive: true });
    } catch { /* gone already */ }
  });
  return path;
}
