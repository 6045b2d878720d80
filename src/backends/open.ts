/**
 * Which backend answers, from the settings (`--backend`, `CMDAI_BACKEND`,
 * `backend` in the config file): the embedded llama.cpp model, or a server
 * speaking Ollama's or OpenAI's protocol. Never a silent fallback from one to
 * another: a backend that fails says so.
 *
 * @module
 */

import type { Env } from "../env.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import { type BACKENDS, setting, timedOut } from "../settings.ts";
import type { Backend, LoadOptions } from "./backend.ts";
import { baseUrl, type RemoteOptions } from "./remote.ts";

/** A backend's name. */
export type BackendKind = typeof BACKENDS[number];

/** Where each remote protocol's server listens unless `CMDAI_URL` says otherwise. */
export const DEFAULT_URLS: Readonly<Record<Exclude<BackendKind, "embedded">, string>> = {
  ollama: "http://127.0.0.1:11434",
  openai: "http://127.0.0.1:8000/v1",
};

/** `CMDAI_BACKEND` (unset or empty: embedded). */
export function backendKind(env: Env): BackendKind {
  return setting(env, "backend");
}

/** The server, model and key a remote backend uses, each checked. */
export function remoteOptions(env: Env, kind: Exclude<BackendKind, "embedded">): RemoteOptions {
  const url = baseUrl(setting(env, "url") ?? DEFAULT_URLS[kind]);
  const model = setting(env, "remoteModel");
  if (!model) {
    throw new CmdaiError(
      ExitCode.usage,
      `the ${kind} backend needs the model's name: --remote-model NAME, CMDAI_REMOTE_MODEL, ` +
        "or remote_model in the config file",
    );
  }
  const apiKeyEnv = setting(env, "apiKeyEnv");
  const apiKey = env.get(apiKeyEnv) || undefined;
  return { url, model, apiKey, apiKeyEnv };
}

/** A remote backend of `kind`, ready to answer (no request is made until one is asked). */
export async function openRemote(
  kind: Exclude<BackendKind, "embedded">,
  options: RemoteOptions,
): Promise<Backend> {
  if (kind === "ollama") return (await import("./ollama.ts")).ollamaBackend(options);
  return (await import("./openai.ts")).openaiBackend(options);
}

/** Checks that a remote backend's server answers and has the model; resolves to a description. */
export async function checkRemote(
  kind: Exclude<BackendKind, "embedded">,
  options: RemoteOptions,
  signal?: AbortSignal,
): Promise<string> {
  if (kind === "ollama") return await (await import("./ollama.ts")).checkOllama(options, signal);
  return await (await import("./openai.ts")).checkOpenai(options, signal);
}

/**
 * Checks every setting a backend reads (`CMDAI_BACKEND`, the remote server's,
 * threads, GPU layers, timeout), so that a bad one is a usage error before any
 * work; returns the backend's kind and, for a remote one, its options.
 */
export async function checkSettings(
  env: Env,
): Promise<{ kind: BackendKind; remote?: RemoteOptions }> {
  setting(env, "timeout");
  const kind = backendKind(env);
  if (kind !== "embedded") return { kind, remote: remoteOptions(env, kind) };
  (await import("./cpus.ts")).inferenceThreads(env);
  gpuLayers(env);
  return { kind };
}

/** How {@link openBackend} finds and loads an embedded model. */
export interface OpenOptions {
  signal?: AbortSignal;
  /** The GGUF file, already found (default: the configured model, which must be on disk). */
  modelPath?: string;
  /** Loads the model (default: `loadModel`; the resident server passes its warm one). */
  load?: (path: string, options: LoadOptions) => Promise<Backend>;
}

/**
 * The configured backend, ready to answer: a remote one, or the embedded
 * model loaded (`cmdai model pull` downloads it; nothing is fetched here).
 */
export async function openBackend(env: Env, options: OpenOptions = {}): Promise<Backend> {
  const kind = backendKind(env);
  if (kind !== "embedded") return await openRemote(kind, remoteOptions(env, kind));
  const [{ loadModel }, { requireModelFile, resolveModel }, { inferenceThreads }] = await Promise
    .all([import("./embedded.ts"), import("../models/spec.ts"), import("./cpus.ts")]);
  const path = options.modelPath ?? await requireModelFile(resolveModel({ env }));
  return await (options.load ?? loadModel)(path, {
    threads: inferenceThreads(env),
    gpuLayers: gpuLayers(env),
    signal: options.signal,
  });
}

/**
 * Runs `work` on the configured backend under the request's deadline: Ctrl-C
 * (`interrupt`) and `CMDAI_TIMEOUT`, which covers loading too. `alongside` is
 * awaited while the backend opens (the safety rater) and handed to `work`. A
 * remote backend is closed after; an embedded one stays loaded (the server
 * keeps it) or goes with the process.
 */
export async function withBackend<R, T>(
  env: Env,
  interrupt: AbortSignal,
  options: Omit<OpenOptions, "signal">,
  alongside: Promise<R>,
  work: (backend: Backend, extra: R, signal: AbortSignal, loadMs: number) => Promise<T>,
): Promise<T> {
  const timeoutS = setting(env, "timeout");
  const timeout = AbortSignal.timeout(timeoutS * 1000);
  const signal = AbortSignal.any([interrupt, timeout]);
  let backend: Backend | undefined;
  try {
    const started = performance.now();
    const [opened, extra] = await Promise.all([
      openBackend(env, { ...options, signal }),
      alongside,
    ]);
    backend = opened;
    return await work(backend, extra, signal, performance.now() - started);
  } catch (e) {
    if (interrupt.aborted) throw new CmdaiError(ExitCode.interrupted, "interrupted");
    if (timeout.aborted) {
      throw timedOut(timeoutS);
    }
    throw e;
  } finally {
    if (backend && backend.kind !== "embedded") await backend.dispose();
  }
}

/** `CMDAI_GPU_LAYERS`: `auto` (default), `max`, or how many layers go to the GPU. */
export function gpuLayers(env: Env): "auto" | "max" | number {
  return setting(env, "gpuLayers");
}
