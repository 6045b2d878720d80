/**
 * Random-weight `qwen2` models: small ones that load and babble, and one in
 * Qwen2.5-1.5B's shape for benchmarks.
 *
 * @module
 */

import { f16Bits, GgmlType, type GgufTensor, writeGguf } from "./gguf_file.ts";
import {
  blockLayout,
  CONTEXT_LENGTH,
  f32,
  LARGE_VOCAB,
  qwen2Kvs,
  type Shape,
  tokenizerFor,
  type TokenizerKind,
} from "./gguf_qwen2.ts";

/** Options of {@link writeRandomModel}. */
export interface RandomModelOptions {
  tokenizer?: TokenizerKind;
  template?: "chatml" | "none";
  /** PRNG seed for the weights (default 1). */
  seed?: number;
}

/** A small, fast PRNG (xorshift32) so weights are reproducible from a seed. */
function xorshift(seed: number): () => number {
  let x = (seed | 0) || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Uniform random F32 values in ±scale. */
function randomF32(next: () => number, scale: number): (out: Uint8Array) => void {
  return (out) => {
    const f = new Float32Array(out.buffer, out.byteOffset, out.length / 4);
    for (let i = 0; i < f.length; i++) f[i] = (next() / 2 ** 31 - 1) * scale;
  };
}

/** Random Q8_0 blocks: uniform int8 values, every block scaled by `d`. */
function randomQ8_0(next: () => number, d: number): (out: Uint8Array) => void {
  const scale = f16Bits(d);
  return (out) => {
    const words = new Uint32Array(out.buffer, out.byteOffset, out.length >> 2);
    for (let i = 0; i < words.length; i++) words[i] = next();
    for (let b = 0; b < out.length; b += 34) {
      out[b] = scale & 0xff;
      out[b + 1] = scale >> 8;
    }
  };
}

/**
 * Writes a small `qwen2` model with random weights (tied embeddings, 2 layers,
 * n_embd 64, 4 query / 2 KV heads) and a ChatML template: it loads and generates
 * (nonsense), for tests that need any valid chat model.
 */
export async function writeRandomModel(path: string, opts: RandomModelOptions = {}): Promise<void> {
  const { kvs, bpe } = await tokenizerFor(opts.tokenizer ?? "synthetic", opts.template ?? "chatml");
  const shape: Shape = {
    embd: 64,
    layers: 2,
    heads: 4,
    kvHeads: 2,
    ff: 128,
    context: CONTEXT_LENGTH,
    ropeBase: 1e6,
  };
  const next = xorshift(opts.seed ?? 1);
  const nVocab = bpe.vocab.tokens.length;
  const q8 = nVocab >= LARGE_VOCAB;
  const tensors: GgufTensor[] = [
    {
      name: "token_embd.weight",
      dims: [shape.embd, nVocab],
      type: q8 ? GgmlType.Q8_0 : GgmlType.F32,
      fill: q8 ? randomQ8_0(next, 1 / 127) : randomF32(next, 1),
    },
    f32("output_norm.weight", [shape.embd], new Float32Array(shape.embd).fill(1)),
  ];
  for (let l = 0; l < shape.layers; l++) {
    for (const [name, dims, kind] of blockLayout(shape, l)) {
      tensors.push(
        kind === "norm"
          ? f32(name, dims, new Float32Array(dims[0]).fill(1))
          : { name, dims, type: GgmlType.F32, fill: randomF32(next, kind === "bias" ? 0.1 : 0.3) },
      );
    }
  }
  await writeGguf(path, [...qwen2Kvs("cmdai-random", shape), ...kvs], tensors);
}

/**
 * Writes random Q8_0 weights in Qwen2.5-1.5B's shape (n_embd 1536, 28 layers,
 * 12 query / 2 KV heads, ff 8960, tied embeddings) with the real Qwen2 tokenizer:
 * a ~1.65 GB file that loads and runs at a real model's speed. For benchmarks
 * only; cache it with {@link cachedModel}.
 */
export async function writeShapedModel(path: string): Promise<void> {
  const { kvs, bpe } = await tokenizerFor("qwen2", "chatml");
  const shape: Shape = {
    embd: 1536,
    layers: 28,
    heads: 12,
    kvHeads: 2,
    ff: 8960,
    context: 32768,
    ropeBase: 1e6,
  };
  const next = xorshift(7);
  const tensors: GgufTensor[] = [
    {
      name: "token_embd.weight",
      dims: [shape.embd, bpe.vocab.tokens.length],
      type: GgmlType.Q8_0,
      fill: randomQ8_0(next, 1 / 127),
    },
    f32("output_norm.weight", [shape.embd], new Float32Array(shape.embd).fill(1)),
  ];
  for (let l = 0; l < shape.layers; l++) {
    for (const [name, dims, kind] of blockLayout(shape, l)) {
      tensors.push(
        kind === "norm"
          ? f32(name, dims, new Float32Array(dims[0]).fill(1))
          : kind === "bias"
          ? f32(name, dims)
          : { name, dims, type: GgmlType.Q8_0, fill: randomQ8_0(next, 0.02 / 64) },
      );
    }
  }
  await writeGguf(path, [...qwen2Kvs("cmdai-shaped", shape), ...kvs], tensors);
}
