/**
 * Does a command parse in the shell it lands in? A reply in bash syntax for fish, or with an
 * unclosed quote, would fail when run: it is flagged with the parser's own message.
 *
 * - bash: the tree-sitter-bash grammar the rater already loads (an ERROR or MISSING node means
 *   no), well under 1 ms.
 * - zsh: the same grammar first; only what it rejects is asked of `zsh -f -n` (zsh-only syntax
 *   such as `${(j:,:)a}` is valid zsh), so the usual command costs no process.
 * - fish: `fish --no-config --no-execute` reads the command on stdin and only parses it. One
 *   process per command: ~13 ms measured with fish 3.6 on a 2-core Linux VM, beside a model's
 *   seconds per request.
 *
 * Without the shell's own program the check says so (`unavailable`) and never guesses.
 *
 * @module
 */

import type { BashParser } from "./bash_parser.ts";

/** The shells a command can be checked for. */
export type SyntaxShell = "bash" | "zsh" | "fish";

/** Checks commands against one shell's grammar. */
export interface SyntaxChecker {
  shell: SyntaxShell;
  /** How: `tree-sitter-bash`, `tree-sitter-bash, then zsh -n`, or `fish --no-execute`. */
  method: string;
  /** Why no check is possible (fish not installed); undefined when the check works. */
  unavailable?: string;
  /** Undefined when `command` parses (or cannot be checked); else the parser's message. */
  problem(command: string): Promise<string | undefined>;
  /** Whether `command` parses; undefined when {@link SyntaxChecker.unavailable}. */
  parses(command: string): Promise<boolean | undefined>;
}

/** The first thing tree-sitter-bash could not read in `command`, or undefined when it parses. */
export function bashProblem(parser: BashParser, command: string): string | undefined {
  return bashError(parser, command)?.message;
}

/**
 * What tree-sitter-bash could not read: a token it had to assume (`missing`: the command is
 * incomplete) or text it could not place, with where.
 */
function bashError(
  parser: BashParser,
  command: string,
): { missing: boolean; message: string } | undefined {
  const tree = parser.parse(command);
  if (!tree) return { missing: false, message: "the parser gave up" };
  try {
    // hasError covers both ERROR nodes and MISSING tokens the parser inserted.
    if (!tree.rootNode.hasError) return undefined;
    let error: string | undefined;
    const todo = [tree.rootNode];
    while (todo.length > 0) {
      const node = todo.shift()!;
      const at = `at column ${node.startPosition.column + 1}`;
      if (node.isMissing) return { missing: true, message: `missing "${node.type}" ${at}` };
      if (node.type === "ERROR" && !error) {
        error = `cannot read "${node.text.split("\n")[0].slice(0, 24)}" ${at}`;
      }
      for (const child of node.children) if (child?.hasError || child?.isMissing) todo.push(child);
    }
    return { missing: false, message: error ?? "syntax error" };
  } finally {
    tree.delete();
  }
}

/** True when tree-sitter-bash reads `command` without an ERROR or MISSING node. */
export function bashParses(parser: BashParser, command: string): boolean {
  return bashProblem(parser, command) === undefined;
}

/**
 * Runs a shell's parse-only mode on `command` (on stdin); undefined when it exits 0, else the
 * first line of what it printed. Throws `Deno.errors.NotFound` when the program is missing.
 */
async function shellProblem(program: string, args: string[], command: string) {
  const child = new Deno.Command(program, {
    args,
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  try {
    await writer.write(new TextEncoder().encode(command + "\n"));
    await writer.close();
  } catch {
    // The shell may exit before reading all of its input; the exit status still says it all.
  }
  const { code, stderr } = await child.output();
  if (code === 0) return undefined;
  const first = new TextDecoder().decode(stderr).split("\n").find((l) => l.trim()) ?? "";
  // "fish: Missing end…" / "zsh: parse error near `)'": the shell's name is known already.
  return first.replace(/^(fish|zsh|zsh:\d+):\s*/, "").trim() || `exit status ${code}`;
}

/** `fish --no-execute` on `command`: undefined when it parses, else fish's message. */
export function fishProblem(command: string, fish = "fish"): Promise<string | undefined> {
  // --no-config: the user's config.fish is neither read nor run, and costs nothing.
  return shellProblem(fish, ["--no-config", "--no-execute"], command);
}

/** True when `fish --no-execute` accepts `command`. */
export async function fishParses(command: string, fish = "fish"): Promise<boolean> {
  return (await fishProblem(command, fish)) === undefined;
}

/** Whether `program` can be run here; the reason when it cannot. */
async function missing(program: string): Promise<string | undefined> {
  try {
    const { success } = await new Deno.Command(program, {
      args: ["--version"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return success ? undefined : `${program} --version failed`;
  } catch (e) {
    const name = program.split("/").at(-1);
    return e instanceof Deno.errors.NotFound ? `${name} is not installed` : `cannot run ${program}`;
  }
}

/** A checker for `shell`; `program` is the shell to run for fish and zsh (default: from PATH). */
export async function createSyntaxChecker(
  shell: SyntaxShell,
  parser: BashParser,
  program: string = shell,
): Promise<SyntaxChecker> {
  const make = (
    method: string,
    problem: (c: string) => Promise<string | undefined>,
    unavailable?: string,
  ): SyntaxChecker => ({
    shell,
    method,
    unavailable,
    problem: (c) => unavailable ? Promise.resolve(undefined) : problem(c),
    parses: async (c) => unavailable ? undefined : (await problem(c)) === undefined,
  });
  if (shell === "bash") {
    return make("tree-sitter-bash", (c) => Promise.resolve(bashProblem(parser, c)));
  }
  const unavailable = await missing(program);
  if (shell === "fish") {
    return make("fish --no-execute", (c) => fishProblem(c, program), unavailable);
  }
  // zsh without zsh: the bash grammar alone (zsh-only syntax then reads as an error).
  if (unavailable) return make("tree-sitter-bash", (c) => Promise.resolve(bashProblem(parser, c)));
  return make("tree-sitter-bash, then zsh -n", async (c) => {
    const bash = bashError(parser, c);
    // `zsh -n` accepts input that merely stops early (`ls &&`): an incomplete command is the
    // grammar's call; text it cannot read may be zsh's own syntax, which zsh judges.
    if (!bash || bash.missing) return bash?.message;
    return await shellProblem(program, ["-f", "-n"], c);
  });
}

/** One checker per shell for this process, created on first use. */
const checkers = new Map<SyntaxShell, Promise<SyntaxChecker>>();

/** The shared checker for `shell` (the rater's parser; the shell's program from PATH). */
export function syntaxChecker(shell: SyntaxShell, parser: BashParser): Promise<SyntaxChecker> {
  let checker = checkers.get(shell);
  if (!checker) {
    checker = createSyntaxChecker(shell, parser);
    checkers.set(shell, checker);
  }
  return checker;
}
