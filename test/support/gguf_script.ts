/**
 * The plan of a scripted head: which token the model must emit after which
 * context, reduced to a small set of pattern → next-token rules.
 *
 * A reply is a token sequence t0…tm-1 that may repeat tokens. The model sees
 * the current token and (through attention heads that look exactly d tokens
 * back) the tokens before it. For every position we pick the shortest window of
 * recent tokens that tells it apart from every other position that needs a
 * different next token; each (window, next token) pair becomes one rule, which
 * the model implements as one feed-forward unit. The known end of a ChatML
 * prompt (`<|im_end|>\n<|im_start|>assistant\n`) is context too; anything before
 * it is unknown and matches every pattern.
 *
 * @module
 */

/** Stands for a token the plan cannot know (the user's prompt; the loop's wrap-around). */
const UNKNOWN = -1;

/** One rule: if the last `pattern.length` tokens have these classes (newest first), emit `next`. */
export interface Rule {
  pattern: number[];
  next: number;
}

/** What the model must implement. */
export interface ScriptPlan {
  /** Token id → class (1…); every other token is class 0. */
  classOf: Map<number, number>;
  /** Number of classes, class 0 ("any other token") included. */
  classes: number;
  /** Distinct tokens that rules emit (in first-use order). */
  targets: number[];
  rules: Rule[];
  /** The longest look-back any rule needs (window length − 1). */
  lookBack: number;
}

/** Inputs of {@link planScript}. */
export interface ScriptSpec {
  /** The reply's token ids, in order. */
  script: number[];
  /** Token ids that end every prompt, oldest first. */
  promptEnd: number[];
  /** Emitted after the last reply token when not looping. */
  end: number;
  /** Index in `script` the reply goes back to after its last token; undefined: no loop. */
  loopFrom?: number;
  /** Longest look-back the model can offer. */
  maxLookBack: number;
}

/** Plans the rules for a script; throws when some position needs too long a context. */
export function planScript(spec: ScriptSpec): ScriptPlan {
  const { script, promptEnd, end, loopFrom, maxLookBack } = spec;
  const classOf = new Map<number, number>();
  for (const id of script) if (!classOf.has(id)) classOf.set(id, classOf.size + 1);
  const cls = (id: number) => classOf.get(id) ?? 0;

  // Context of position p (p = -1: the prompt's end), newest first, then UNKNOWN forever.
  const context = (p: number): number[] => {
    const out: number[] = [];
    let j = p;
    for (; j >= 0; j--) {
      out.push(cls(script[j]));
      // Inside a loop, what precedes the loop start differs between rounds.
      if (loopFrom !== undefined && p >= loopFrom && j === loopFrom) return [...out, UNKNOWN];
    }
    for (let k = promptEnd.length - 1; k >= 0; k--) out.push(cls(promptEnd[k]));
    return [...out, UNKNOWN];
  };
  const nextOf = (p: number) =>
    p + 1 < script.length ? script[p + 1] : loopFrom === undefined ? end : script[loopFrom];
  const at = (ctx: number[], i: number) => (i < ctx.length ? ctx[i] : UNKNOWN);

  const positions = Array.from({ length: script.length + 1 }, (_, i) => i - 1);
  const contexts = positions.map(context);
  const rules = new Map<string, Rule>();
  let lookBack = 0;
  positions.forEach((p, pi) => {
    const next = nextOf(p);
    const mine = contexts[pi];
    for (let w = 1;; w++) {
      if (w > maxLookBack + 1 || at(mine, w - 1) === UNKNOWN) {
        const where = p < 0 ? "the reply's first token" : `token ${p + 1} of ${script.length}`;
        throw new Error(
          `needs more than ${maxLookBack + 1} tokens of context to find ${where} (too repetitive)`,
        );
      }
      const clash = positions.some((q, qi) =>
        q !== p && nextOf(q) !== next &&
        mine.slice(0, w).every((c, i) =>
          at(contexts[qi], i) === UNKNOWN || at(contexts[qi], i) === c
        )
      );
      if (!clash) {
        const pattern = mine.slice(0, w);
        rules.set(`${pattern.join(",")}>${next}`, { pattern, next });
        lookBack = Math.max(lookBack, w - 1);
        break;
      }
    }
  });
  const targets = [...new Set([...rules.values()].map((r) => r.next))];
  return { classOf, classes: classOf.size + 1, targets, rules: [...rules.values()], lookBack };
}
