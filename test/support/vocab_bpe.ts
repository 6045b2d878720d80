/**
 * Byte-level BPE vocabularies for test models: GPT-2's byte↔character mapping,
 * a synthetic vocab, a Qwen2-style tokenizer (pre-tokenizer regex + merges), and
 * the search that splits a scripted reply into tokens that are all distinct.
 *
 * Token texts in a byte-level BPE vocab are not UTF-8 text: every byte is shown
 * as one printable character (space is `Ġ`, newline `Ċ`). llama.cpp maps a
 * generated token's text back through this table, so a token's piece is exactly
 * the bytes it stands for.
 *
 * @module
 */

/** llama.cpp token types (`tokenizer.ggml.token_type`). */
export const TokenType = { normal: 1, control: 3 } as const;

/** GPT-2's table: byte value → the character that stands for it in token texts. */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const table: string[] = new Array(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    // Printable Latin-1 bytes stand for themselves; the rest move up to U+0100 and on.
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || b >= 0xae;
    table[b] = String.fromCodePoint(printable ? b : next++);
  }
  return table;
})();

/** The reverse of {@link BYTE_TO_CHAR}. */
const CHAR_TO_BYTE = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

const utf8 = new TextEncoder();

/** A text as a byte-level token string: one table character per UTF-8 byte. */
export function toByteChars(text: string): string {
  let out = "";
  for (const b of utf8.encode(text)) out += BYTE_TO_CHAR[b];
  return out;
}

/** The three control tokens a ChatML model needs, in the order they get ids. */
export const CHATML_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"] as const;

/** A vocabulary: token texts (byte-level), their types, and text → id. */
export interface Vocab {
  tokens: string[];
  types: number[];
  ids: Map<string, number>;
}

function vocabOf(tokens: string[], types: number[]): Vocab {
  const ids = new Map<string, number>();
  tokens.forEach((t, i) => ids.set(t, i));
  if (ids.size !== tokens.length) throw new Error("vocab: duplicate token text"); // llama.cpp asserts
  return { tokens, types, ids };
}

/**
 * A synthetic vocab: the 256 byte tokens, the ChatML control tokens, then `extra`
 * multi-byte tokens. With no merges the tokenizer only ever produces byte and
 * control tokens, so `extra` tokens appear only when a model generates them.
 */
export function syntheticVocab(extra: readonly string[] = []): Vocab {
  const tokens = [...BYTE_TO_CHAR, ...CHATML_SPECIALS, ...extra];
  const types = tokens.map((_, i) =>
    i >= 256 && i < 256 + CHATML_SPECIALS.length ? TokenType.control : TokenType.normal
  );
  return vocabOf(tokens, types);
}

// --- Qwen2 tokenization ----------------------------------------------------------------------

/** Qwen2's pre-tokenizer split (as llama.cpp spells it for `tokenizer.ggml.pre = "qwen2"`). */
const QWEN2_SPLIT =
  /(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

/** A BPE tokenizer over a vocab and its merges (lower rank merges first). */
export interface Bpe {
  vocab: Vocab;
  ranks: Map<string, number>;
}

/** Builds merge ranks from `tokenizer.ggml.merges` entries (`"left right"`). */
export function bpeOf(vocab: Vocab, merges: readonly string[]): Bpe {
  const ranks = new Map<string, number>();
  merges.forEach((m, i) => ranks.set(m, i));
  return { vocab, ranks };
}

function bpeWord(bpe: Bpe, word: string): string[] {
  const parts = Array.from(word);
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < parts.length; i++) {
      const rank = bpe.ranks.get(`${parts[i]} ${parts[i + 1]}`);
      if (rank !== undefined && rank < bestRank) [best, bestRank] = [i, rank];
    }
    if (best < 0) return parts;
    parts.splice(best, 2, parts[best] + parts[best + 1]);
  }
}

/**
 * Tokenizes plain text (no special tokens) the way llama.cpp's Qwen2 BPE does:
 * regex pre-split, byte-level mapping, then merges by rank. Returns token texts.
 */
export function bpeTokenize(bpe: Bpe, text: string): string[] {
  const out: string[] = [];
  for (const [word] of text.matchAll(QWEN2_SPLIT)) {
    for (const piece of bpeWord(bpe, toByteChars(word))) {
      if (bpe.vocab.ids.has(piece)) out.push(piece);
      else out.push(...Array.from(piece)); // byte fallback; every byte char is a token
    }
  }
  return out;
}

// --- distinct segmentation -------------------------------------------------------------------

/** A candidate token at some position of the byte-level reply: its length in byte chars. */
export interface Candidate {
  length: number;
  text: string;
}

/**
 * Splits a byte-level string into tokens that are all different, trying each
 * position's candidates in order and backtracking. `cuts` are positions no token
 * may span. Returns undefined when no split exists within the search budget.
 */
export function distinctSplit(
  chars: string,
  candidates: (at: number) => Iterable<Candidate>,
  cuts: ReadonlySet<number> = new Set(),
  budget = 100_000,
): string[] | undefined {
  const used = new Set<string>();
  const out: string[] = [];
  const spans = (from: number, to: number) => {
    for (const c of cuts) if (c > from && c < to) return true;
    return false;
  };
  const search = (at: number): boolean => {
    if (at === chars.length) return true;
    if (--budget < 0) return false;
    for (const c of candidates(at)) {
      const end = at + c.length;
      if (end > chars.length || used.has(c.text) || spans(at, end)) continue;
      used.add(c.text);
      out.push(c.text);
      if (search(end)) return true;
      used.delete(c.text);
      out.pop();
      if (budget < 0) return false;
    }
    return false;
  };
  return search(0) ? out : undefined;
}

/** Whether a byte char starts a UTF-8 character (is not a continuation byte). */
function startsChar(chars: string, at: number): boolean {
  if (at >= chars.length) return true;
  return ((CHAR_TO_BYTE.get(chars[at]) ?? 0) & 0xc0) !== 0x80;
}

/**
 * Candidates for a synthetic vocab: any run of 2 to 24 bytes on character
 * boundaries, shortest first. Single bytes are never used, since byte tokens are
 * what prompts are made of.
 */
export function syntheticCandidates(chars: string): (at: number) => Candidate[] {
  return (at) => {
    const list: Candidate[] = [];
    for (let n = 2; n <= 24 && at + n <= chars.length; n++) {
      if (startsChar(chars, at + n)) list.push({ length: n, text: chars.slice(at, at + n) });
    }
    return list;
  };
}
