/**
 * `cmdai init zsh|fish`: prints the shell integration (the Ctrl-G widget) for
 * `eval "$(cmdai init zsh)"` or `cmdai init fish | source`.
 *
 * @module
 */

import { CmdaiError, ExitCode } from "./errors.ts";

const SUPPORTED = ["zsh", "fish"];

/** The integration script for `shell`, read from the `shell/` folder beside `src/`. */
export async function initScript(args: string[]): Promise<string> {
  const [shell, ...rest] = args;
  if (shell === undefined || rest.length > 0) {
    throw new CmdaiError(ExitCode.usage, "usage: cmdai init zsh|fish");
  }
  if (!SUPPORTED.includes(shell)) {
    throw new CmdaiError(
      ExitCode.usage,
      `no shell integration for "${shell}" (supported: ${SUPPORTED.join(", ")})`,
    );
  }
  return await Deno.readTextFile(new URL(`../shell/cmdai.${shell}`, import.meta.url));
}
