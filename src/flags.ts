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
    const unknown = /^Unknown option '(-[^']*)'/.exec(message)?.[1];
    const missing = /^Option '(-[^ ']*)[^']*' argument missing/.exec(message)?.[1];
    const plain = unknown
      ? `unknown flag ${unknown}`
      : missing
      ? `${missing} needs a value`
      : message;
    throw new CmdaiError(ExitCode.usage, `${plain} (${hint})`);
  }
}

/**
 * Parses the flags before the first word that is not one, and returns the
 * words from there on: for subcommands whose argument is a command, so that
 * `cmdai check rm -rf /` needs no quotes and `-rf` is the command's, not ours.
 * A `--` ends the flags too and is dropped.
 */
export function parseLeadingFlags<O extends Options>(
  args: string[],
  options: O,
  hint: string,
): { values: ReturnType<typeof parseArgs<Config<O>>>["values"]; rest: string[] } {
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") break;
    if (!arg.startsWith("-") || arg === "-") break;
    // A long option that takes a value and has no `=value` takes the next word.
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    if (name && !name.includes("=") && options[name]?.type === "string") i++;
  }
  const { values } = parseFlags(args.slice(0, Math.min(i, args.length)), options, hint);
  return { values, rest: args.slice(args[i] === "--" ? i + 1 : i) };
}

/** A word the shell reads as itself, with nothing to quote. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * The command that `words` (a command given without quotes, as the shell
 * split it) stood for: one word is the command as it is; several are joined
 * with each quoted where the shell would read it otherwise, so
 * `cmdai check find . -name '*.log'` rates `find . -name '*.log'`, not a glob.
 */
export function joinWords(words: readonly string[]): string {
  if (words.length === 1) return words[0];
  return words.map((w) => PLAIN_WORD.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`).join(" ");
}
