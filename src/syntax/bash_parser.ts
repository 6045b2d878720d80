/**
 * Loads tree-sitter-bash (WebAssembly) once and parses command lines with it.
 *
 * The two `.wasm` files are found through the module resolver, so the same code works from a
 * checkout (`node_modules/`) and offline under `deno run --cached-only`. A `deno compile` build
 * must embed them: `--include node_modules/web-tree-sitter/tree-sitter.wasm --include
 * node_modules/tree-sitter-bash/tree-sitter-bash.wasm`.
 *
 * @module
 */

import { Language, Parser, type Tree } from "web-tree-sitter";
import { CmdaiError, ExitCode, oneLine } from "../errors.ts";

/** A ready parser for bash syntax. */
export interface BashParser {
  /** Parse one command line (never throws; the tree may contain ERROR nodes). */
  parse(text: string): Tree | null;
}

let loading: Promise<BashParser> | undefined;
let runtime: Promise<void> | undefined;

/** Where a package file lives, from the import map / node_modules. */
function packageFile(specifier: string): URL {
  return new URL(import.meta.resolve(specifier));
}

/** Load (once per process) the tree-sitter runtime and the bash grammar. */
export function loadBashParser(): Promise<BashParser> {
  loading ??= createBashParser().catch((e) => {
    loading = undefined; // let a later call try again
    throw new CmdaiError(
      ExitCode.runtime,
      `cannot load the shell parser (tree-sitter-bash): ${
        oneLine(String((e as Error)?.message ?? e))
      }`,
      { cause: e },
    );
  });
  return loading;
}

/**
 * A new parser: reads and compiles the grammar each time (the WebAssembly runtime itself is
 * set up once per process). {@link loadBashParser} shares one; benchmarks time this.
 */
export async function createBashParser(): Promise<BashParser> {
  // Handing the runtime its bytes avoids its own file lookup, which guesses paths.
  runtime ??= Deno.readFile(packageFile("web-tree-sitter/tree-sitter.wasm")).then((core) =>
    Parser.init({ wasmBinary: core } as unknown as Parameters<typeof Parser.init>[0])
  );
  const [grammar] = await Promise.all([
    Deno.readFile(packageFile("tree-sitter-bash/tree-sitter-bash.wasm")),
    runtime,
  ]);
  const language = await Language.load(grammar);
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    parse(text: string): Tree | null {
      // A parse left unfinished (it should not happen) must not leak into the next one.
      parser.reset();
      return parser.parse(text);
    },
  };
}
