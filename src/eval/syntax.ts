/**
 * Does a command parse in the target shell? bash and zsh are checked with the tree-sitter-bash
 * grammar the safety engine already loads (an ERROR or MISSING node means no; zsh-only syntax
 * such as `${(j:,:)a}` is reported as not parsing). fish is checked by fish itself:
 * `fish --no-execute` reads the command on stdin and only parses it. That costs one process per
 * command: ~13 ms each, measured with fish 3.6 on a 2-core Linux VM (tree-sitter: well under
 * 1 ms), nothing beside a model's seconds per request. Without fish the share is unavailable,
 * never guessed.
 *
 * @module
 */

import type { Shell } from "../answer/context.ts";
import type { BashParser } from "../safety/parser.ts";

/** Checks commands against one shell's grammar. */
export interface SyntaxChecker {
  /** The shell whose grammar is checked. */
  shell: Shell;
  /** How: `tree-sitter-bash` or `fish --no-execute`. */
  method: string;
  /** Why no check is possible (fish not installed); undefined when the check works. */
  unavailable?: string;
  /** Whether `command` parses; undefined when {@link SyntaxChecker.unavailable}. */
  parses(command: string): Promise<boolean | undefined>;
}

/** True when tree-sitter-bash reads `command` without an ERROR or MISSING node. */
export function bashParses(parser: BashParser, command: string): boolean {
  const tree = parser.parse(command);
  if (!tree) return false;
  try {
    // hasError covers both ERROR nodes and MISSING tokens the parser inserted.
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}

/**
 * True when `fish --no-execute` accepts `command` (exit 0); fish reports a syntax error with
 * exit 127. Throws `Deno.errors.NotFound` when `fish` cannot be run.
 */
export async function fishParses(command: string, fish = "fish"): Promise<boolean> {
  const child = new Deno.Command(fish, {
    // --no-config: the user's config.fish is neither read nor run, and costs nothing.
    args: ["--no-config", "--no-execute"],
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  try {
    await writer.write(new TextEncoder().encode(command + "\n"));
    await writer.close();
  } catch {
    // fish may exit before reading all of its input; the exit status still says it all.
  }
  const { code } = await child.status;
  return code === 0;
}

/** Whether `fish` can be run here; the reason when it cannot. */
async function fishMissing(fish: string): Promise<string | undefined> {
  try {
    const { success } = await new Deno.Command(fish, {
      args: ["--version"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return success ? undefined : `${fish} --version failed`;
  } catch (e) {
    return e instanceof Deno.errors.NotFound ? "fish is not installed" : `cannot run ${fish}`;
  }
}

/** A checker for `shell`; for fish, `fish` is the program to run (default: from `PATH`). */
export async function createSyntaxChecker(
  shell: Shell,
  parser: BashParser,
  fish = "fish",
): Promise<SyntaxChecker> {
  if (shell !== "fish") {
    return {
      shell,
      method: "tree-sitter-bash",
      parses: (command) => Promise.resolve(bashParses(parser, command)),
    };
  }
  const unavailable = await fishMissing(fish);
  return {
    shell,
    method: "fish --no-execute",
    unavailable,
    parses: (command) => unavailable ? Promise.resolve(undefined) : fishParses(command, fish),
  };
}
