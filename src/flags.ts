/**
 * Flag parsing shared by the command line and the subcommands: `node:util`'s
 * `parseArgs`, strict, with positionals, and a bad flag as a usage error.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { CmdaiError, ExitCode, oneLine } from "./errors.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Config<O extends Options> = {
  args: string[];
  options: O;
  allowPositionals: true;
  strict: true;
};

/** Parses `args` against `options`; an unknown or malformed flag throws a usage error naming `hint`. */
export function parseFlags<O extends Options>(
  args: string[],
  options: O,
  hint: string,
): ReturnType<typeof parseArgs<Config<O>>> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    // Node's text for an unknown flag is long and leaves a quote open: say it plainly.
    const message = oneLine((e as Error).message);
    const flag = /^Unknown option '(-[^']*)'/.exec(message)?.[1];
    throw new CmdaiError(ExitCode.usage, `${flag ? `unknown flag ${flag}` : message} (${hint})`);
  }
}
