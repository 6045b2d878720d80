/**
 * Scripted models: a tiny `qwen2` model whose greedy output for any ChatML prompt
 * is an exact reply, through llama.cpp's real inference path.
 *
 * How it works. `gguf_script.ts` turns the reply's tokens into rules "if the last
 * few tokens are these, emit that". The residual stream holds, as ±1 codes, the
 * current token's class (one class per distinct reply token, class 0 for all the
 * others), then one block per look-back distance d, then a constant 1, then a
 * one-hot "next token" state. Attention heads with constant queries and keys
 * (biases only) use RoPE to attend exactly d tokens back and copy that token's
 * code into block d. Each feed-forward unit of the last layer matches one rule's
 * codes and writes its next token into the state; `output.weight` turns the state
 * into a logit of 32 for that token, every other logit being 0 plus
 * `output.bias`'s small fallbacks for `"`, `}` and `<|im_end|>`, so that when a
 * grammar forbids the scripted token the JSON still closes cleanly. RMS norm
 * weights undo the norms (the number of filled dimensions is known). With the
 * synthetic tokenizer the reply is split into tokens that are all distinct, so
 * only the current token matters and no head is used.
 *
 * @module
 */

import { REPLY_CONTRACT } from "../../src/answer/reply.ts";
import { GgmlType, type GgufTensor, writeGguf } from "./gguf_file.ts";
import { planScript, type ScriptPlan } from "./gguf_script.ts";
import {
  blockLayout,
  CONTEXT_LENGTH,
  f32,
  matrix,
  qwen2Kvs,
  qwen2Tokenizer,
  type Shape,
  syntheticTokenizer,
  tokenizeChatML,
  type Tokenizer,
  type TokenizerKind,
  vocabMatrix,
} from "./gguf_qwen2.ts";
import {
  bpeTokenize,
  distinctSplit,
  syntheticCandidates,
  syntheticVocab,
  toByteChars,
} from "./vocab_bpe.ts";

/** Options of {@link writeScriptedModel}. */
export interface ScriptedModelOptions {
  /**
   * `synthetic` (default): 256 byte tokens, the ChatML control tokens and the
   * reply's pieces (all distinct) as extra tokens; the file is ~0.1–0.5 MB.
   * `qwen2`: the real Qwen2 tokenizer (151,936 tokens); the reply is its real
   * tokenization, repeats included; the file is ~17–30 MB.
   */
  tokenizer?: TokenizerKind;
  /** After the reply's last token, go on from `loopFrom` instead of ending: generation never stops. */
  loop?: boolean;
  /**
   * With `loop`, the index in `reply` (UTF-16 units) the loop goes back to
   * (default 0). Point it inside a JSON string to keep a grammar from ending it.
   */
  loopFrom?: number;
  /** `chatml` (default): write a ChatML `tokenizer.chat_template`; `none`: no template. */
  template?: "chatml" | "none";
  /** How big the model is (see {@link ModelSize}); default `tiny`. */
  size?: ModelSize;
}

/**
 * `tiny`: as few dimensions and layers as the script needs, for tests. `default`: the compute
 * per token of cmdai's default model (Qwen2.5-Coder-1.5B, Q4_K_M): n_embd 1536, 28 layers,
 * queries 1536 wide, keys and values 256 wide, feed-forward 8960; the script's layer, then
 * layers of zeros that leave the residual stream as it is but cost a real layer's time; the
 * weights Q4_0 (about the bytes per weight of Q4_K_M) but the script's own, F16. ~1.1 GB, for
 * benchmarks: cache it.
 */
export type ModelSize = "tiny" | "default";

/** Logit of the scripted next token; all others are 0 plus the fallbacks. */
const STEP_LOGIT = 32;
/** Fallback logits (via `output.bias`) so a grammar can still close the JSON. */
const FALLBACK: ReadonlyArray<[string, number]> = [['"', 3], ["}", 2], ["<|im_end|>", 1]];
/** Head size; the model has n_embd / HEAD_DIM heads per layer. */
const HEAD_DIM = 64;
/** Longest look-back a scripted model may need (tokens before the current one). */
const MAX_LOOK_BACK = 8;
/**
 * RoPE base of scripted models: below 1, so the 32 rotation frequencies spread over
 * 1…6.3 rad per position, and Σ cos((Δ − d)·θ) peaks sharply at Δ = d: the worst
 * other Δ below 32,768 sums to 16.2 of 32 (checked in gguf_test.ts).
 */
export const SCRIPT_ROPE_BASE = 0.15;
/** |q|·|k| per rotation pair: attention logits are 32·32/8 = 128 at the target, ≤ 65 elsewhere. */
const Q_MAG = 8;
const K_MAG = 4;
/** Gate gain of a feed-forward unit: matched → silu(12) ≈ 12, any mismatch → silu(≤ −12) ≈ 0. */
const GATE = 12;

/** A scripted reply's tokenizer and token ids. */
interface Script extends Tokenizer {
  script: number[];
  /** Index in `script` of the token at `loopFrom`. */
  loopIndex: number;
}

/**
 * A reply in cmdai's line form, `command\n# explanation`, split where the embedded backend
 * splits its generation: the first line (with its `\n`), the text it forces without a decode
 * step (`#`, tokenized on its own), and the rest. Any other reply is one part.
 */
export function replyParts(reply: string): { first: string; forced: string; rest: string } {
  const forced = REPLY_CONTRACT.lines!.then!.forced;
  const at = reply.indexOf("\n" + forced);
  if (at < 0) return { first: reply, forced: "", rest: "" };
  return {
    first: reply.slice(0, at + 1),
    forced,
    rest: reply.slice(at + 1 + forced.length),
  };
}

async function scriptTokens(reply: string, opts: ScriptedModelOptions): Promise<Script> {
  const template = opts.template ?? "chatml";
  const loopFrom = opts.loopFrom ?? 0;
  if (loopFrom < 0 || loopFrom >= reply.length) {
    throw new Error(`gguf: loopFrom ${loopFrom} is outside the reply`);
  }
  const { first, forced, rest } = replyParts(reply);
  if (forced && loopFrom > first.length && loopFrom < first.length + forced.length) {
    throw new Error("gguf: loopFrom cannot fall inside the forced text");
  }
  if (opts.tokenizer === "qwen2") {
    const tok = await qwen2Tokenizer(template);
    const ids = (s: string) => bpeTokenize(tok.bpe, s).map((t) => tok.bpe.vocab.ids.get(t)!);
    // Each part tokenized on its own, as the backend evaluates them; the loop start too.
    const script: number[] = [];
    let loopIndex = 0;
    let offset = 0;
    for (const part of [first, forced, rest]) {
      const cut = loopFrom - offset;
      if (cut > 0 && cut < part.length) {
        const front = ids(part.slice(0, cut));
        loopIndex = script.length + front.length;
        script.push(...front, ...ids(part.slice(cut)));
      } else {
        if (cut === 0) loopIndex = script.length;
        script.push(...ids(part));
      }
      offset += part.length;
    }
    return { ...tok, script, loopIndex };
  }
  const chars = toByteChars(first + rest);
  if (chars.length < 2) throw new Error("gguf: a scripted reply needs at least 2 bytes");
  // Pieces may not span the loop start, so that the loop can go back to a token boundary, nor
  // the forced text's place, which is filled by its own byte token.
  const at = toByteChars(first).length;
  const loopAt = loopFrom <= first.length
    ? toByteChars(reply.slice(0, loopFrom)).length
    : toByteChars(first + rest.slice(0, loopFrom - first.length - forced.length)).length;
  const pieces = distinctSplit(chars, syntheticCandidates(chars), new Set([loopAt, at]));
  if (!pieces) {
    throw new Error("gguf: the reply has no split into distinct pieces (too repetitive)");
  }
  const tok = syntheticTokenizer(syntheticVocab(pieces), template);
  const ids = pieces.map((p) => tok.bpe.vocab.ids.get(p)!);
  let end = 0;
  const split = pieces.findIndex((p) => (end += p.length) > at);
  const firstCount = split < 0 ? pieces.length : split;
  const forcedIds = [...toByteChars(forced)].map((c) => tok.bpe.vocab.ids.get(c)!);
  const script = [...ids.slice(0, firstCount), ...forcedIds, ...ids.slice(firstCount)];
  end = 0;
  let loopIndex = pieces.findIndex((p) => (end += p.length) > loopAt);
  if (loopIndex >= firstCount && forced) loopIndex += forcedIds.length;
  return { ...tok, script, loopIndex };
}

/**
 * The token ids a scripted model generates for `reply` (before `<|im_end|>`),
 * e.g. to count output tokens in benchmarks.
 */
export async function scriptedTokenIds(
  reply: string,
  opts: ScriptedModelOptions = {},
): Promise<number[]> {
  return (await scriptTokens(reply, opts)).script;
}

/** RoPE angles per position of the 32 pairs of a head, as llama.cpp computes them (float32). */
export function ropeThetas(base: number, headDim = HEAD_DIM): number[] {
  const scale = Math.fround(Math.pow(Math.fround(base), -2 / headDim));
  const out: number[] = [];
  for (let t = 0, th = 1; t < headDim / 2; t++, th = Math.fround(th * scale)) out.push(th);
  return out;
}

/**
 * The dimensions that set the compute per token of cmdai's default model (Qwen2.5-Coder-1.5B):
 * n_embd, layers, the keys' and values' width (2 KV heads of 128) and the feed-forward width.
 */
const DEFAULT_SIZE = { embd: 1536, layers: 28, kvDim: 256, ff: 8960 } as const;

/** The scripted model's tensors for a plan (layout in the module comment). */
function scriptedTensors(
  plan: ScriptPlan,
  nVocab: number,
  fallback: Map<number, number>,
  size: ModelSize,
): { shape: Shape; tensors: GgufTensor[] } {
  const code = Math.max(1, Math.ceil(Math.log2(plan.classes))); // ±1 bits per class
  const copies = plan.lookBack;
  const constDim = code * (1 + copies);
  const stateDim = constDim + 1;
  const needed = {
    embd: Math.max(HEAD_DIM, Math.ceil((stateDim + plan.targets.length) / HEAD_DIM) * HEAD_DIM),
    ff: Math.max(32, Math.ceil(plan.rules.length / 32) * 32),
  };
  const big = size === "default";
  if (big && (needed.embd > DEFAULT_SIZE.embd || needed.ff > DEFAULT_SIZE.ff)) {
    throw new Error("gguf: the script does not fit the default model's size");
  }
  const embd = big ? DEFAULT_SIZE.embd : needed.embd;
  const heads = embd / HEAD_DIM;
  const kvHeads = big ? DEFAULT_SIZE.kvDim / HEAD_DIM : heads;
  // The script's layers; a model of the default's size adds layers that change nothing.
  const scripted = Math.max(1, Math.ceil(copies / heads));
  const layers = big ? DEFAULT_SIZE.layers : scripted;
  const ff = big ? DEFAULT_SIZE.ff : needed.ff;
  // The script's exact weights in F16 (integers, 1/12) where they are big; the rest Q4_0, as
  // the default's Q4_K_M has about as many bytes per weight.
  const exact = big ? GgmlType.F16 : GgmlType.F32;
  const shape: Shape = {
    embd,
    layers,
    heads,
    kvHeads,
    ff,
    context: CONTEXT_LENGTH,
    ropeBase: SCRIPT_ROPE_BASE,
  };

  const bits = (cls: number) => Array.from({ length: code }, (_, j) => ((cls >> j) & 1 ? 1 : -1));
  // RMS norm divides by √(Σx²/embd); entries are ±1 or 1, so Σx² counts the filled dims.
  const rms = (filled: number) => Math.sqrt(filled / embd);
  const thetas = ropeThetas(SCRIPT_ROPE_BASE);

  const embRow = (cls: number) => {
    const row = new Float32Array(embd);
    bits(cls).forEach((b, j) => (row[j] = b));
    row[constDim] = 1;
    return row;
  };
  const other = embRow(0);
  const classRows = new Map([...plan.classOf].map(([id, cls]) => [id, embRow(cls)]));

  const tensors: GgufTensor[] = [
    vocabMatrix("token_embd.weight", embd, nVocab, (v) => classRows.get(v) ?? other),
  ];
  const targetIndex = new Map(plan.targets.map((t, i) => [t, i]));
  const outNorm = new Float32Array(embd);
  outNorm.fill(1, stateDim, stateDim + plan.targets.length);
  // At a reply position the state holds one 1, the rest is codes and the constant.
  const step = STEP_LOGIT * rms(constDim + 2);
  const outRows = new Map(plan.targets.map((t, i) => {
    const row = new Float32Array(embd);
    row[stateDim + i] = step;
    return [t, row];
  }));
  const bias = new Float32Array(nVocab);
  for (const [id, logit] of fallback) bias[id] = logit;
  tensors.push(
    f32("output_norm.weight", [embd], outNorm),
    vocabMatrix("output.weight", embd, nVocab, (v) => outRows.get(v)),
    f32("output.bias", [nVocab], bias),
  );

  for (let l = 0; l < layers; l++) {
    if (l >= scripted) {
      // All zero: attention and feed-forward add nothing to the residual stream, at full cost.
      for (const [name, dims, kind] of blockLayout(shape, l)) {
        tensors.push(kind === "matrix" ? { name, dims, type: GgmlType.Q4_0 } : f32(name, dims));
      }
      continue;
    }
    // Head h of layer l looks back d = l·heads + h + 1 tokens (if that look-back is needed).
    const distance = (h: number) => (l * heads + h + 1 <= copies ? l * heads + h + 1 : 0);
    // Query heads share key/value heads in groups; each KV head carries the code it is given.
    const kvOf = (h: number) => Math.floor(h / (heads / kvHeads));
    const before = Math.min(copies, l * heads);
    const after = Math.min(copies, (l + 1) * heads);
    const last = l === scripted - 1;
    const qBias = new Float32Array(embd);
    const kBias = new Float32Array(kvHeads * HEAD_DIM);
    for (let h = 0; h < heads; h++) {
      const d = distance(h);
      if (!d) continue;
      // NEOX RoPE rotates pairs (t, t+32); q·k = |q||k|·cos((Δ − d)·θ_t) when q is pre-rotated
      // by −d·θ_t and k is not: the distance is the query's, so heads may share keys.
      thetas.forEach((th, t) => {
        qBias[h * HEAD_DIM + t] = Q_MAG * Math.cos(d * th);
        qBias[h * HEAD_DIM + HEAD_DIM / 2 + t] = -Q_MAG * Math.sin(d * th);
        kBias[kvOf(h) * HEAD_DIM + t] = K_MAG;
      });
    }
    const byName: Record<string, GgufTensor> = {
      attn_norm: f32("", [embd], new Float32Array(embd).fill(rms(code * (1 + before) + 1))),
      "attn_q.bias": f32("", [embd], qBias),
      "attn_k.bias": f32("", [kBias.length], kBias),
      attn_v: matrix("", embd, kvHeads * HEAD_DIM, (set) => {
        for (let h = 0; h < heads; h++) {
          if (distance(h)) { for (let j = 0; j < code; j++) set(kvOf(h) * HEAD_DIM + j, j, 1); }
        }
      }, exact),
      attn_output: matrix("", embd, embd, (set) => {
        for (let h = 0; h < heads; h++) {
          const d = distance(h);
          if (d) { for (let j = 0; j < code; j++) set(d * code + j, h * HEAD_DIM + j, 1); }
        }
      }, exact),
      ffn_norm: f32("", [embd], new Float32Array(embd).fill(rms(code * (1 + after) + 1))),
    };
    if (last) {
      // Unit u fires (gate ≈ GATE) only when every code bit of its pattern matches:
      // a match scores pattern·code, one wrong bit scores 2 less, and the threshold sits 1 below.
      byName.ffn_gate = matrix("", embd, ff, (set) =>
        plan.rules.forEach((rule, u) => {
          rule.pattern.forEach((cls, back) =>
            bits(cls).forEach((b, j) => set(u, back * code + j, GATE * b))
          );
          set(u, constDim, -GATE * (rule.pattern.length * code - 1));
        }), exact);
      byName.ffn_up = matrix(
        "",
        embd,
        ff,
        (set) => plan.rules.forEach((_, u) => set(u, constDim, 1)),
        exact,
      );
      byName.ffn_down = matrix(
        "",
        ff,
        embd,
        (set) =>
          plan.rules.forEach((rule, u) => set(stateDim + targetIndex.get(rule.next)!, u, 1 / GATE)),
        exact,
      );
    }
    for (const [name, dims, kind] of blockLayout(shape, l)) {
      const key = name.replace(/^blk\.\d+\./, "").replace(/\.weight$/, "");
      const t = byName[key];
      tensors.push(
        t
          ? { ...t, name, dims }
          : kind === "matrix"
          ? matrix(name, dims[0], dims[1], () => {}, exact)
          : f32(name, dims),
      );
    }
  }
  return { shape, tensors };
}

/** The tokens and rules of a scripted reply; throws a clear error when it cannot be scripted. */
async function scriptFor(reply: string, opts: ScriptedModelOptions) {
  const tok = await scriptTokens(reply, opts);
  try {
    const plan = planScript({
      script: tok.script,
      promptEnd: tokenizeChatML(tok.bpe, "<|im_end|>\n<|im_start|>assistant\n"),
      end: tok.bpe.vocab.ids.get("<|im_end|>")!,
      loopFrom: opts.loop ? tok.loopIndex : undefined,
      maxLookBack: MAX_LOOK_BACK,
    });
    return { tok, plan };
  } catch (e) {
    const what = JSON.stringify(reply.length > 40 ? reply.slice(0, 40) + "…" : reply);
    throw new Error(`gguf: cannot script ${what}: ${(e as Error).message}`);
  }
}

/** The rules a scripted model implements for `reply` (for tests and diagnostics). */
export async function scriptedPlan(
  reply: string,
  opts: ScriptedModelOptions = {},
): Promise<ScriptPlan> {
  return (await scriptFor(reply, opts)).plan;
}

/**
 * Writes a tiny `qwen2` model whose greedy output for any ChatML prompt is exactly
 * `reply` followed by `<|im_end|>`; with `loop`, the reply repeats without end.
 *
 * The reply comes out of the real path (tokenizer, sampling, grammar,
 * detokenization), so it also passes any grammar that accepts it. Throws when
 * the reply is too repetitive to script (a token sequence that recurs with a
 * different continuation after more than 8 identical tokens) or is 1 byte long.
 */
export async function writeScriptedModel(
  path: string,
  reply: string,
  opts: ScriptedModelOptions = {},
): Promise<void> {
  const { tok, plan } = await scriptFor(reply, opts);
  const ids = tok.bpe.vocab.ids;
  const fallback = new Map(
    FALLBACK.map((
      [text, logit],
    ) => [ids.get(text.startsWith("<|") ? text : toByteChars(text))!, logit]),
  );
  const { shape, tensors } = scriptedTensors(
    plan,
    tok.bpe.vocab.tokens.length,
    fallback,
    opts.size ?? "tiny",
  );
  await writeGguf(path, [...qwen2Kvs("cmdai-scripted", shape), ...tok.kvs], tensors);
}
