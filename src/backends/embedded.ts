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
 * Prompt tokens evaluated between two looks at the abort signal: on a 2-core CPU a model of
 * the default's shape evaluates ~60 tokens/s, so Ctrl-C and the timeout wait for under ~0.5 s.
 */
const PREFILL_CHUNK = 16;

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
   * already in the sequence (the prefix of an earlier prompt) are kept; generation then finds
   * the whole prompt evaluated.
   */
  async function prefill(
    prompt: Prompt,
    signal?: AbortSignal,
  ): Promise<{ sequence: LlamaContextSequence; last: Token; evaluated: number }> {
    const chatHistory: ChatHistoryItem[] = [
      ...history(prompt),
      { type: "user", text: prompt.request },
      { type: "model", response: [] },
    ];
    const render = (items: ChatHistoryItem[]) =>
      chatWrapper.generateContextState({ chatHistory: items }).contextText
        .tokenize(model.tokenizer);
    const tokens = render(chatHistory);
    const { sequence, common } = sequenceFor(tokens, render(history(prompt)).length);
    // The last token stays for generation, which evaluates it to sample the first reply token:
    // from a sequence that holds the whole prompt already (the same request again), it goes too.
    const kept = Math.min(common, tokens.length - 1);
    if (kept < sequence.nextTokenIndex) {
      await sequence.eraseContextTokenRanges([{ start: kept, end: sequence.nextTokenIndex }]);
    }
    for (let i = kept; i < tokens.length - 1; i += PREFILL_CHUNK) {
      signal?.throwIfAborted();
      await sequence.evaluateWithoutGeneratingNewTokens(
        tokens.slice(i, Math.min(i + PREFILL_CHUNK, tokens.length - 1)),
      );
    }
    return { sequence, last: tokens[tokens.length - 1], evaluated: tokens.length - kept };
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
      const { sequence, last, evaluated } = await prefill(prompt, signal);
      const steps = sequence.evaluate([last], {
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

/** The system message and the example turns, as the chat wrapper renders history. */
function history(prompt: Prompt): ChatHistoryItem[] {
  const items: ChatHistoryItem[] = [{ type: "system", text: prompt.system }];
  for (const turn of prompt.turns) {
    items.push({ type: "user", text: turn.user }, { type: "model", response: [turn.reply] });
  }
  return items;
}
