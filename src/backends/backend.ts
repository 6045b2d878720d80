/**
 * The one interface every model backend implements: load once, answer many
 * prompts, each constrained to the reply grammar. It owns the types it takes
 * (the prompt, the reply contract), so no backend imports the answer pipeline.
 *
 * @module
 */

/** A worked example as the chat takes it: the user's turn and the reply, in the contract's form. */
export interface Turn {
  user: string;
  reply: string;
}

/** The prompt, as every backend's chat takes it: system message, example turns, the request. */
export interface Prompt {
  system: string;
  turns: Turn[];
  /** The user's turn: the request, with what the model needs to know about it. */
  request: string;
}

/** Options for loading a model (the embedded backend's `loadModel`). */
export interface LoadOptions {
  /** CPU threads for llama.cpp (see `cpus.ts`). */
  threads: number;
  /** Layers offloaded to the GPU: `auto` (llama.cpp decides; the default), `max`, or a count. */
  gpuLayers?: "auto" | "max" | number;
  /** Aborts a load in progress (Ctrl-C, timeout). */
  signal?: AbortSignal;
}

/**
 * The shape a reply must take, twice over: a GBNF grammar for llama.cpp, and
 * the same shape as JSON Schema for servers (Ollama's `format`, OpenAI's
 * `response_format`). The reply is validated with zod afterwards either way.
 */
export interface Contract {
  /** Names the contract; the embedded backend compiles each grammar once under it. */
  name: string;
  grammar: string;
  schema: Record<string, unknown>;
}

/** Options for {@link Backend.generate}. */
export interface GenerateOptions {
  /** The reply is cut off after this many tokens. */
  maxTokens: number;
  /** Sampling temperature; 0 (the default) is greedy and repeatable. */
  temperature?: number;
  /** The reply's shape. */
  contract: Contract;
  /** Aborts generation (Ctrl-C, timeout); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The raw text the model produced and whether the token limit cut it off. */
export interface Generation {
  text: string;
  cutOff: boolean;
  /** Prompt tokens evaluated for this reply: fewer when a cached prefix was reused. */
  promptTokens: number;
  /** Tokens generated. */
  outputTokens: number;
}

/** A loaded model, ready to answer prompts. */
export interface Backend {
  /** Which backend this is: `embedded`, `ollama` or `openai`. */
  readonly kind: string;
  /** What answers: the GGUF file (embedded), or the model's name on the server. */
  readonly model: string;
  /** The server's base URL (remote backends only). */
  readonly url?: string;
  /** Where the model runs: `cpu`, `metal`, `cuda` or `vulkan` (embedded), `remote` otherwise. */
  readonly gpu: string;
  /** Generates a reply to `prompt`, constrained to the reply grammar. */
  generate(prompt: Prompt, options: GenerateOptions): Promise<Generation>;
  /** Frees the model and llama.cpp's memory. */
  dispose(): Promise<void>;
}
