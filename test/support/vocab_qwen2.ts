/**
 * The real Qwen2 tokenizer, for test models with realistic token counts.
 *
 * It is not shipped here: node-llama-cpp's npm package carries
 * `llama/gitRelease.bundle`, a git bundle of llama.cpp, and llama.cpp keeps a
 * vocab-only GGUF of Qwen2's tokenizer at `models/ggml-vocab-qwen2.gguf` (ChatML
 * template included). It is extracted with git once (~2 s) into `.test-cache/`.
 *
 * @module
 */

import { join } from "node:path";
import { type GgufKvRead, readGgufMeta } from "./gguf_file.ts";
import { cachedFile, REPO_ROOT, shortHash, TEST_CACHE } from "./gguf_cache.ts";
import { type Bpe, bpeOf, type Vocab } from "./vocab_bpe.ts";

/** node-llama-cpp's bundle of llama.cpp's sources. */
export const LLAMA_BUNDLE: string = join(
  REPO_ROOT,
  "node_modules/node-llama-cpp/llama/gitRelease.bundle",
);

const VOCAB_IN_BUNDLE = "models/ggml-vocab-qwen2.gguf";

async function git(args: string[]): Promise<Uint8Array> {
  const out = await new Deno.Command("git", { args, stdout: "piped", stderr: "piped" }).output()
    .catch((e) => {
      throw new Error(`vocab: cannot run git: ${e.message}`);
    });
  if (!out.success) {
    const why = new TextDecoder().decode(out.stderr).trim().split("\n").pop();
    throw new Error(`vocab: git ${args[1] ?? args[0]} failed: ${why}`);
  }
  return out.stdout;
}

/** Extracts the vocab GGUF from the bundle into `dest`. */
async function extract(dest: string): Promise<void> {
  const repo = await Deno.makeTempDir({ dir: TEST_CACHE, prefix: "bundle-" });
  try {
    await git(["init", "-q", "--bare", repo]);
    await git([`--git-dir=${repo}`, "fetch", "-q", LLAMA_BUNDLE, "HEAD"]);
    await Deno.writeFile(
      dest,
      await git([`--git-dir=${repo}`, "show", `FETCH_HEAD:${VOCAB_IN_BUNDLE}`]),
    );
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
}

/**
 * Path of the cached Qwen2 vocab GGUF, extracting it first if needed. Keyed by the
 * bundle's size and modification time, so a reinstalled node-llama-cpp re-extracts.
 */
export async function qwen2VocabFile(): Promise<string> {
  const info = await Deno.stat(LLAMA_BUNDLE).catch(() => {
    throw new Error(`vocab: ${LLAMA_BUNDLE} not found; run ./bin/deno install`);
  });
  const key = await shortHash(String(info.size), String(info.mtime?.getTime()));
  await Deno.mkdir(TEST_CACHE, { recursive: true });
  return cachedFile(join(TEST_CACHE, `vocab/ggml-vocab-qwen2-${key}.gguf`), extract);
}

/** The Qwen2 tokenizer: its `tokenizer.*` metadata as raw pairs, and a BPE over it. */
export interface Qwen2Vocab {
  /** The vocab file's `tokenizer.*` pairs, byte for byte, in file order. */
  kvs: GgufKvRead[];
  bpe: Bpe;
}

let loaded: Promise<Qwen2Vocab> | undefined;

/** Loads (once per process) the Qwen2 tokenizer from the cached vocab GGUF. */
export function loadQwen2Vocab(): Promise<Qwen2Vocab> {
  loaded ??= (async () => {
    const meta = readGgufMeta(await Deno.readFile(await qwen2VocabFile()));
    const kvs = meta.kvs.filter((k) => k.key.startsWith("tokenizer."));
    const get = (key: string) => {
      const v = kvs.find((k) => k.key === key)?.value;
      if (!Array.isArray(v)) throw new Error(`vocab: ${key} missing in the Qwen2 vocab`);
      return v;
    };
    const tokens = get("tokenizer.ggml.tokens") as string[];
    const types = get("tokenizer.ggml.token_type") as number[];
    const ids = new Map<string, number>();
    tokens.forEach((t, i) => ids.set(t, i));
    const vocab: Vocab = { tokens, types, ids };
    return { kvs, bpe: bpeOf(vocab, get("tokenizer.ggml.merges") as string[]) };
  })();
  loaded.catch(() => (loaded = undefined));
  return loaded;
}
