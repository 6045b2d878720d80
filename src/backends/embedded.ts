/**
 * Inference through llama.cpp (node-llama-cpp): loading a model is kept apart
 * from answering a request, so a resident process can load once and answer
 * many times.
 *
 * node-llama-cpp is imported lazily: importing it costs over a second, and
 * `--help`, `init` or `check` must not pay for it.
 *
 * @module
 */

import type {
  ChatHistoryItem,
  Llama,
  LlamaContext,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
  Token,
  Tokenizer,
} from "node-llama-cpp";
import { CmdaiError, ExitCode, oneLine } from "../errors.ts";
import type { Backend, LoadOptions, Prompt } from "./backend.ts";

/** Context window: the prompt (≤ ~1,000 tokens) plus the reply (≤ 256). */
const CONTEXT_SIZE = 2048;

/**
 * Prompt prefixes kept evaluated at once, one per sequence: zsh's and fish's
 * requests and the explain key's each have their own system message and
 * examples, and a user with two shells open should not pay for a whole prefix
 * at each switch. Each sequence holds its own KV cache (~58 MB at 2,048 tokens
 * for the default model).
 */
const SEQUENCES = 4;

/**
 * Prompt tokens are evaluated in chunks, with a look at the abort signal between two: a chunk
 * should take about this long, so that Ctrl-C and the timeout wait for under ~0.5 s.
 */
const CHUNK_MS = 250;

/**
 * Chunk sizes: the first, before the model's speed is known (on a 2-core CPU a model of the
 * default's shape evaluates ~60 tokens/s), and the largest (a whole request's turn). Every decode
 * call costs a fixed time besides its tokens' (a graph to build, a round trip to the native side),
 * so a model that evaluates fast is given its prompt in fewer, larger chunks.
 */
const MIN_CHUNK = 16;
const MAX_CHUNK = 512;

/**
 * Starts llama.cpp's prebuilt binary, never building from source, never
 * downloading; its log lines go to `logs`, off the terminal. A binary that
 * cannot load is a one-line runtime error.
 */
export async function startLlama(logs: string[] = [], threads?: number): Promise<Llama> {
  const lib = await import("node-llama-cpp");
  try {
    return await lib.getLlama({
      build: "never",
      skipDownload: true,
      progressLogs: false,
      gpu: "auto",
      maxThreads: threads,
      logLevel: lib.LlamaLogLevel.warn,
      logger: (_level, message) => void logs.push(message),
    });
  } catch (e) {
    // node-llama-cpp checks its binary in a child process, which cannot start in a deleted
    // directory: its own message ("NoBinaryFoundError") would hide that.
    const cwdGone = (() => {
      try {
        Deno.statSync(Deno.cwd());
        return false;
      } catch {
        return true;
      }
    })();
    const why = cwdGone
      ? "this process's working directory was deleted"
      : oneLine(String((e as Error).message ?? e));
    throw new CmdaiError(ExitCode.runtime, `cannot start llama.cpp on this machine: ${why}`);
  }
}

/** Loads the model at `modelPath` on llama.cpp (see {@link startLlama}). */
export async function loadModel(modelPath: string, options: LoadOptions): Promise<Backend> {
  const lib = await import("node-llama-cpp");
  // The last lines explain a failed load.
  const logs: string[] = [];
  const llama = await startLlama(logs, options.threads);
  let model: LlamaModel;
  try {
    model = await llama.loadModel({
      modelPath,
      gpuLayers: options.gpuLayers ?? "auto",
      loadSignal: options.signal,
    });
  } catch (e) {
    options.signal?.throwIfAborted();
    await llama.dispose();
    const why = logs.filter((l) => l.trim()).at(-1) ?? (e as Error).message ?? String(e);
    throw new CmdaiError(
      ExitCode.model,
      `cannot load model ${modelPath} (corrupt, truncated or unsupported): ${oneLine(why)}`,
    );
  }
  let context: LlamaContext;
  try {
    context = await model.createContext({
      contextSize: CONTEXT_SIZE,
      threads: options.threads,
      sequences: SEQUENCES,
      // Requests are answered one at a time: each decode goes at once, not a turn of the event
      // loop later in the hope of batching another sequence's tokens with it.
      batching: { dispatchSchedule: (dispatch) => queueMicrotask(dispatch) },
      createSignal: options.signal,
    });
  } catch (e) {
    options.signal?.throwIfAborted();
    await model.dispose();
    await llama.dispose();
    throw new CmdaiError(
      ExitCode.model,
      `cannot create a context for ${modelPath}: ${oneLine(String((e as Error).message ?? e))}`,
    );
  }
  const template = model.fileInfo.metadata?.tokenizer?.chat_template;
  // An explicit wrapper for ChatML (Qwen and most small code models): letting
  // node-llama-cpp detect it measured 0.4–0.8 s per session.
  const chatWrapper = typeof template === "string" && template.includes("<|im_start|>")
    ? new lib.ChatMLChatWrapper()
    : lib.resolveChatWrapper(model);
  const sequences = Array.from({ length: SEQUENCES }, () => context.getSequence());
  /** When each sequence last answered: the least recent one is reused for a new prefix. */
  const used = sequences.map(() => 0);
  let clock = 0;
  // Each grammar is compiled once, on first use.
  const grammars = new Map<string, Promise<LlamaGrammar>>();
  const grammarFor = (text: string) => {
    let grammar = grammars.get(text);
    if (!grammar) {
      grammar = llama.createGrammar({ grammar: text });
      grammars.set(text, grammar);
    }
    return grammar;
  };
  /** Milliseconds per prompt token, as measured on the chunks evaluated so far. */
  let msPerToken: number | undefined;
  /** Prompt tokens per chunk: as many as take {@link CHUNK_MS} at the measured speed. */
  const chunkSize = () =>
    msPerToken === undefined
      ? MIN_CHUNK
      : Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.floor(CHUNK_MS / msPerToken)));
  const tokenizer = rememberingTokenizer(model.tokenizer);

  /** A fresh state of `text`'s grammar, for one stretch of a reply. */
  const stateOf = async (text: string) =>
    new lib.LlamaGrammarEvaluationState({ model, grammar: await grammarFor(text) });

  /**
   * The sequence for `tokens`, whose first `prefix` are the system message and examples: one
   * that holds that whole prefix already (the longest match), else the least recently used one,
   * so that another prompt's prefix is given up only when it is the stalest.
   */
  function sequenceFor(
    tokens: readonly Token[],
    prefix: number,
  ): { sequence: LlamaContextSequence; common: number } {
    const commons = sequences.map((sequence) => {
      const cached = sequence.contextTokens;
      let common = 0;
      while (
        common < cached.length && common < tokens.length && cached[common] === tokens[common]
      ) common++;
      return common;
    });
    let best = commons.indexOf(Math.max(...commons));
    if (commons[best] < prefix) best = used.indexOf(Math.min(...used));
    used[best] = ++clock;
    return { sequence: sequences[best], common: commons[best] };
  }

  /**
   * Picks a sequence for the prompt and evaluates the prompt on it ahead of generation, in
   * chunks, checking `signal` between them: llama.cpp evaluates a batch without looking at it,
   * so one batch of a long prompt would keep a timeout or Ctrl-C waiting for seconds. Tokens
   * already in the sequence (the prefix of an earlier prompt) are kept. The last chunk is left
   * for generation to evaluate in its first batch, where the first reply token is sampled.
   */
  async function prefill(
    prompt: Prompt,
    signal?: AbortSignal,
  ): Promise<{ sequence: LlamaContextSequence; rest: Token[]; evaluated: number }> {
    const render = (items: ChatHistoryItem[]) =>
      chatWrapper.generateContextState({ chatHistory: items }).contextText.tokenize(tokenizer);
    const tokens = render([
      ...history(prompt),
      { type: "user", text: prompt.request },
      { type: "model", response: [] },
    ]);
    const { sequence, common } = sequenceFor(tokens, render(history(prompt)).length);
    // At least the last token is left, for generation: from a sequence that holds the whole
    // prompt already (the same request again), it goes too.
    let at = Math.min(common, tokens.length - 1);
    if (at < sequence.nextTokenIndex) {
      await sequence.eraseContextTokenRanges([{ start: at, end: sequence.nextTokenIndex }]);
    }
    const evaluated = tokens.length - at;
    for (let size = chunkSize(); tokens.length - at > size; size = chunkSize()) {
      signal?.throwIfAborted();
      const started = performance.now();
      await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(at, at + size));
      msPerToken = (performance.now() - started) / size;
      at += size;
    }
    return { sequence, rest: tokens.slice(at), evaluated };
  }

  return {
    kind: "embedded",
    model: modelPath,
    gpu: String(llama.gpu || "cpu"),
    /**
     * Samples the reply a token at a time under the contract's grammar. A reply in lines is
     * generated in steps: the first line under its grammar; then, unless the caller stops there,
     * the forced text is evaluated in the same batch as the line's last token (no decode step of
     * its own) and the rest is sampled under its grammar.
     */
    async generate(prompt, { maxTokens, temperature = 0, contract, signal, onFirstLine }) {
      const lines = contract.lines;
      let state = await stateOf(lines?.first ?? contract.grammar);
      const { sequence, rest, evaluated } = await prefill(prompt, signal);
      const steps = sequence.evaluate(rest, {
        temperature,
        // Read at each sample: the grammar changes between the stretches of a reply.
        grammarEvaluationState: () => state,
      });
      const reply: Token[] = [];
      let sampled = 0, decodeSteps = 0, cutOff = false, onFirst = lines !== undefined;
      let feed: Token[] | undefined;
      try {
        while (true) {
          signal?.throwIfAborted();
          const step = await steps.next(feed);
          decodeSteps++;
          feed = undefined;
          if (step.done) break;
          const token = step.value;
          reply.push(token);
          sampled++;
          if (onFirst && model.detokenize([token]).includes("\n")) {
            onFirst = false;
            // The text as it will read: the forced text follows unless the caller stops here.
            const verdict = await onFirstLine?.(
              model.detokenize(reply) + (lines?.then?.forced ?? ""),
            );
            if (!lines?.then || verdict === "stop") break;
            state = await stateOf(lines.then.grammar);
            const forced = model.tokenize(lines.then.forced);
            reply.push(...forced);
            feed = [token, ...forced];
          }
          if (sampled >= maxTokens) {
            cutOff = true;
            break;
          }
        }
      } finally {
        await steps.return();
      }
      return {
        text: model.detokenize(reply),
        cutOff,
        promptTokens: evaluated,
        outputTokens: sampled,
        decodeSteps,
      };
    },
    async dispose() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}

/**
 * The model's tokenizer, remembering what it tokenized (a bounded number of texts): the system
 * message and examples are the same at every request in a shell, and the Qwen2 tokenizer takes
 * ~3 µs a token.
 */
function rememberingTokenizer(tokenizer: Tokenizer): Tokenizer {
  const known = new Map<string, Token[]>();
  const tokenize = (text: string, special?: boolean | "builtin", options?: "trimLeadingSpace") => {
    const key = `${special}\0${options}\0${text}`;
    let tokens = known.get(key);
    if (!tokens) {
      tokens = (tokenizer as (...args: unknown[]) => Token[])(text, special, options);
      if (known.size >= 256) known.clear();
      known.set(key, tokens);
    }
    return tokens;
  };
  const { detokenize, isSpecialToken, isEogToken } = tokenizer;
  return Object.assign(tokenize, { detokenize, isSpecialToken, isEogToken }) as Tokenizer;
}

/** The system message and the example turns, as the chat wrapper renders history. */
function history(prompt: Prompt): ChatHistoryItem[] {
  const items: ChatHistoryItem[] = [{ type: "system", text: prompt.system }];
  for (const turn of prompt.turns) {
    items.push({ type: "user", text: turn.user }, { type: "model", response: [turn.reply] });
  }
  return items;
}
