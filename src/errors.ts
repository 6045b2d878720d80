/**
 * User-facing errors and the process exit codes they map to.
 *
 * Every failure a user can cause or meet (bad flags, a missing model, a reply
 * that does not validate) is a {@link CmdaiError}: `main.ts` prints its message
 * as one line on stderr and exits with its code. Anything else is a bug.
 *
 * @module
 */

/** Process exit codes, documented in the README. */
export const ExitCode = {
  /** A command was produced (at any risk), or a subcommand succeeded. */
  ok: 0,
  /** Runtime error: I/O, download, unexpected failure. */
  runtime: 1,
  /** Usage error: unknown flag, missing request, bad value. */
  usage: 2,
  /** The model file is missing, unreadable or not a valid GGUF. */
  model: 3,
  /** Inference failed: timed out, cut off, or the reply did not validate. */
  inference: 4,
  /** Widget mode: the command was not placed on the line (policy). */
  refused: 5,
  /** Widget Enter: the line is a plain command, for the shell to run as usual. */
  passThrough: 6,
  /** Interrupted by SIGINT (Ctrl-C). */
  interrupted: 130,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCodeValue = typeof ExitCode[keyof typeof ExitCode];

/** An error whose message is fit to show a user as a single line. */
export class CmdaiError extends Error {
  /** The process exit code this error ends with. */
  readonly code: ExitCodeValue;

  constructor(code: ExitCodeValue, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CmdaiError";
    this.code = code;
  }
}

/**
 * What a failure tells the user, and the exit code it ends with: a
 * {@link CmdaiError}'s own message and code, or an internal error (a bug).
 */
export function failure(e: unknown): { code: ExitCodeValue; line: string; internal: boolean } {
  if (e instanceof CmdaiError) {
    return { code: e.code, line: `cmdai: ${oneLine(e.message)}`, internal: false };
  }
  const why = oneLine(String((e as Error)?.message ?? e));
  return { code: ExitCode.runtime, line: `cmdai: internal error: ${why}`, internal: true };
}

/** Collapse any text to one printable line (for messages built from foreign text). */
export function oneLine(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").replace(/\s+/g, " ")
    .trim();
}
