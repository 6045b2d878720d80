/**
 * The one interface every model backend implements: load once, answer many
 * prompts, each constrained to the reply grammar. Types only, so the answer
 * pipeline and the backends can both import it without importing each other.
 *
 * @module
 */

import type { Prompt } from "../answer/prompt.ts";

/** Options for loading a model (the embedded backend's `loadModel`). */
export interface LoadOptions {
  /** CPU threads for llama.cpp (see `cpus.ts`). */
  threads: number;
  /** Aborts a load in progress (Ctrl-C, timeout). */
  signal?: AbortSignal;
}

/** Options for {@link Backend.generate}. */
export interface GenerateOptions {
  /** The reply is cut off after this many tokens. */
  maxTokens: number;
  /** Sampling temperature; 0 (the default) is greedy and repeatable. */
  temperature?: number;
  /** Whether the reply may explain the command (default true); false ends it after the command. */
  explain?: boolean;
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
  /** The GGUF file this backend answers with. */
  readonly modelPath: string;
  /** Which compute backend llama.cpp chose: `cpu`, `metal`, `cuda` or `vulkan`. */
  readonly gpu: string;
  /** Generates a reply to `prompt`, constrained to the reply grammar. */
  generate(prompt: Prompt, options: GenerateOptions): Promise<Generation>;
  /** Frees the model and llama.cpp's memory. */
  dispose(): Promise<void>;
}
