/**
 * Small file-system helpers shared by the CLI and its tests.
 * @module
 */

/** Whether `path` exists; other errors than "not found" (e.g. permission) are thrown. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
