/**
 * The `qwen2` model layout shared by the test-model writers: metadata, block
 * tensor names and dims, tensor helpers, and the tokenizer metadata (synthetic,
 * or the real Qwen2 tokenizer).
 *
 * @module
 */

import {
  f16Bits,
  GgmlType,
  type GgufKv,
  type GgufTensor,
  kvOf,
  putF32,
  putRow,
} from "./gguf_file.ts";
import { type Bpe, bpeOf, bpeTokenize, syntheticVocab, type Vocab } from "./vocab_bpe.ts";
import { loadQwen2Vocab } from "./vocab_qwen2.ts";

/** Which tokenizer a test model carries. */
export type TokenizerKind = "synthetic" | "qwen2";

/** Vocabs this large get quantized embedding/output matrices to keep files small. */
export const LARGE_VOCAB = 10_000;
/** Type of those matrices. */
const LARGE_TYPE = GgmlType.Q4_0;
/** Context length written into scripted and random models. */
export const CONTEXT_LENGTH = 32768;
/** The standard ChatML template (Qwen2's, minus its default system message). */
const CHATML_TEMPLATE = "{% for message in messages %}" +
  "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}" +
  "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** The tokenizer part of a model: its metadata pairs and a BPE over its vocab. */
export interface Tokenizer {
  kvs: GgufKv[];
  bpe: Bpe;
}

/** The synthetic tokenizer's metadata for a vocab (no merges; ChatML template unless `none`). */
export function syntheticTokenizer(vocab: Vocab, template: "chatml" | "none"): Tokenizer {
  const eos = vocab.ids.get("<|endoftext|>")!;
  const kvs = [
    kvOf.str("tokenizer.ggml.model", "gpt2"),
    kvOf.str("tokenizer.ggml.pre", "qwen2"),
    kvOf.strs("tokenizer.ggml.tokens", vocab.tokens),
    kvOf.i32s("tokenizer.ggml.token_type", vocab.types),
    // No merges: prompts tokenize to byte tokens only, never to a reply's pieces.
    kvOf.strs("tokenizer.ggml.merges", []),
    kvOf.u32("tokenizer.ggml.eos_token_id", eos),
    kvOf.u32("tokenizer.ggml.padding_token_id", eos),
    kvOf.u32("tokenizer.ggml.bos_token_id", eos),
    kvOf.bool("tokenizer.ggml.add_bos_token", false),
    ...(template === "chatml" ? [kvOf.str("tokenizer.chat_template", CHATML_TEMPLATE)] : []),
  ];
  return { kvs, bpe: bpeOf(vocab, []) };
}

/** The real Qwen2 tokenizer's metadata, copied byte for byte (its template unless `none`). */
export async function qwen2Tokenizer(template: "chatml" | "none"): Promise<Tokenizer> {
  const q = await loadQwen2Vocab();
  const kvs = q.kvs.filter((k) => template === "chatml" || k.key !== "tokenizer.chat_template");
  return { kvs, bpe: q.bpe };
}

/** Token ids of text that may hold ChatML control tokens. */
export function tokenizeChatML(bpe: Bpe, text: string): number[] {
  return text.split(/(<\|im_start\|>|<\|im_end\|>)/).filter((s) => s).flatMap((s) =>
    s.startsWith("<|")
      ? [bpe.vocab.ids.get(s)!]
      : bpeTokenize(bpe, s).map((t) => bpe.vocab.ids.get(t)!)
  );
}

/** The tokenizer of a kind, for models that script nothing. */
export async function tokenizerFor(
  kind: TokenizerKind,
  template: "chatml" | "none",
): Promise<Tokenizer> {
  return kind === "qwen2"
    ? await qwen2Tokenizer(template)
    : syntheticTokenizer(syntheticVocab(), template);
}

/** An F32 tensor; without values it stays zero. */
export const f32 = (name: string, dims: number[], values?: ArrayLike<number>): GgufTensor => ({
  name,
  dims,
  type: GgmlType.F32,
  fill: values && ((out) => putF32(out, values)),
});

/**
 * A `[cols, rows]` matrix, F32 or F16, zero but for `set(r, c, v)` calls made by `build` (the
 * last call for a cell wins).
 */
export function matrix(
  name: string,
  cols: number,
  rows: number,
  build: (set: (r: number, c: number, v: number) => void) => void,
  type: typeof GgmlType.F32 | typeof GgmlType.F16 = GgmlType.F32,
): GgufTensor {
  const cells: number[] = [], values: number[] = [];
  build((r, c, v) => {
    cells.push(r * cols + c);
    values.push(v);
  });
  return {
    name,
    dims: [cols, rows],
    type,
    fill: (out) => {
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      cells.forEach((cell, i) =>
        type === GgmlType.F16
          ? view.setUint16(cell * 2, f16Bits(values[i]), true)
          : view.setFloat32(cell * 4, values[i], true)
      );
    },
  };
}

/** A `[cols, nVocab]` matrix whose row v is `rowOf(v)` (undefined: zero), typed by vocab size. */
export function vocabMatrix(
  name: string,
  cols: number,
  nVocab: number,
  rowOf: (v: number) => Float32Array | undefined,
): GgufTensor {
  const type = nVocab >= LARGE_VOCAB ? LARGE_TYPE : GgmlType.F32;
  return {
    name,
    dims: [cols, nVocab],
    type,
    fill: (out) => {
      const rowBytes = out.length / nVocab;
      let last: Float32Array | undefined;
      let lastAt = 0;
      for (let v = 0; v < nVocab; v++) {
        const row = rowOf(v);
        if (!row) continue;
        // Most rows are the same object: copy the bytes instead of re-encoding.
        if (row === last) out.copyWithin(v * rowBytes, lastAt * rowBytes, (lastAt + 1) * rowBytes);
        else putRow(out, type, v, row);
        [last, lastAt] = [row, v];
      }
    },
  };
}

/** Shape of a model's transformer. */
export interface Shape {
  embd: number;
  layers: number;
  heads: number;
  kvHeads: number;
  ff: number;
  context: number;
  ropeBase: number;
}

/** The `general.*` and `qwen2.*` metadata of a model of this shape. */
export function qwen2Kvs(name: string, s: Shape): GgufKv[] {
  return [
    kvOf.str("general.architecture", "qwen2"),
    kvOf.str("general.name", name),
    kvOf.u32("qwen2.context_length", s.context),
    kvOf.u32("qwen2.embedding_length", s.embd),
    kvOf.u32("qwen2.block_count", s.layers),
    kvOf.u32("qwen2.feed_forward_length", s.ff),
    kvOf.u32("qwen2.attention.head_count", s.heads),
    kvOf.u32("qwen2.attention.head_count_kv", s.kvHeads),
    kvOf.f32("qwen2.attention.layer_norm_rms_epsilon", 1e-6),
    kvOf.f32("qwen2.rope.freq_base", s.ropeBase),
  ];
}

/** The names and dims of one `qwen2` block's tensors. */
export function blockLayout(
  s: Shape,
  i: number,
): Array<[string, number[], "norm" | "bias" | "matrix"]> {
  const kv = (s.embd / s.heads) * s.kvHeads;
  const p = `blk.${i}.`;
  return [
    [`${p}attn_norm.weight`, [s.embd], "norm"],
    [`${p}attn_q.weight`, [s.embd, s.embd], "matrix"],
    [`${p}attn_q.bias`, [s.embd], "bias"],
    [`${p}attn_k.weight`, [s.embd, kv], "matrix"],
    [`${p}attn_k.bias`, [kv], "bias"],
    [`${p}attn_v.weight`, [s.embd, kv], "matrix"],
    [`${p}attn_v.bias`, [kv], "bias"],
    [`${p}attn_output.weight`, [s.embd, s.embd], "matrix"],
    [`${p}ffn_norm.weight`, [s.embd], "norm"],
    [`${p}ffn_gate.weight`, [s.embd, s.ff], "matrix"],
    [`${p}ffn_up.weight`, [s.embd, s.ff], "matrix"],
    [`${p}ffn_down.weight`, [s.ff, s.embd], "matrix"],
  ];
}
