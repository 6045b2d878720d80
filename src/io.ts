/**
 * One IO shape for every command: where it writes, what it may read, what it
 * knows of the terminal, and the signal that interrupts it. `main` builds it
 * from the process; tests and the resident server build their own.
 *
 * @module
 */

/** Streams, terminal facts and the interrupt signal a command runs with. */
export interface IO {
  /** Writes to stdout (no newline added). */
  stdout(text: string): void;
  /** Writes to stderr (no newline added). */
  stderr(text: string): void;
  /** Input, for the commands that read it (`check --jsonl`). */
  stdin: ReadableStream<Uint8Array>;
  /** stdin and stderr are a terminal: a person is there (to watch a download, say). */
  interactive: boolean;
  /** stderr is a terminal: a progress bar redraws one line. */
  stderrIsTerminal: boolean;
  /** stdout takes colour: a terminal, and no `NO_COLOR`. */
  colour: boolean;
  /** The terminal's width, when stderr is one. */
  columns?: number;
  /** Aborted by Ctrl-C (SIGINT): what the command is doing stops. */
  signal: AbortSignal;
}

const encoder = new TextEncoder();

/** Writes all of `text`: a write to a pipe may take only part of it. */
export function writeAllSync(out: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = encoder.encode(text);
  for (let off = 0; off < bytes.length;) off += out.writeSync(bytes.subarray(off));
}

function terminalColumns(): number | undefined {
  try {
    return Deno.consoleSize().columns;
  } catch {
    return undefined;
  }
}

/**
 * Writes to this process's stdout or stderr; a reader that went away (`cmdai
 * doctor | head -1`) ends the process quietly, as Unix tools end on SIGPIPE.
 */
export function writeProcess(out: typeof Deno.stdout | typeof Deno.stderr, text: string): void {
  try {
    writeAllSync(out, text);
  } catch (e) {
    if (e instanceof Deno.errors.BrokenPipe) Deno.exit(141);
    throw e;
  }
}

/** The real process: its streams and terminal, interrupted by `signal`. */
export function processIO(signal: AbortSignal): IO {
  const stderrIsTerminal = Deno.stderr.isTerminal();
  return {
    stdout: (t) => writeProcess(Deno.stdout, t),
    stderr: (t) => writeProcess(Deno.stderr, t),
    stdin: Deno.stdin.readable,
    interactive: Deno.stdin.isTerminal() && stderrIsTerminal,
    stderrIsTerminal,
    colour: Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR"),
    columns: stderrIsTerminal ? terminalColumns() : undefined,
    signal,
  };
}

/**
 * No terminal, no input, nothing written and never interrupted, unless
 * `parts` says otherwise: for tests, and for the server answering a client.
 */
export function detachedIO(parts: Partial<IO> = {}): IO {
  return {
    stdout: () => {},
    stderr: () => {},
    stdin: new ReadableStream({ start: (c) => c.close() }),
    interactive: false,
    stderrIsTerminal: false,
    colour: false,
    signal: new AbortController().signal,
    ...parts,
  };
}
