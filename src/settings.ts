/**
 * Every setting, once: its key in the config file, its `CMDAI_*` variable, its
 * flag, what it allows (its kind) and its typed default; and the one reader,
 * {@link setting}, that every part of cmdai reads a setting with.
 *
 * Where a value comes from (a flag, the variable, the config file) is
 * `config.ts`'s business: it layers them into one {@link Env}, so a reader
 * sees text whatever its source. An empty value counts as unset everywhere.
 *
 * @module
 */

import type { Env } from "./env.ts";
import { CmdaiError, ExitCode, oneLine } from "./errors.ts";

/** What a setting's value may be, and how its text reads. */
export type Kind =
  | { type: "seconds" }
  | { type: "whole"; min: number; max: number }
  | { type: "oneOf"; values: readonly string[] }
  | { type: "switch" }
  | { type: "text" }
  | { type: "url" }
  | { type: "variable" }
  | { type: "layers" };

/** A setting's typed value, by its kind. */
export type ValueOf<K extends Kind> = K extends { type: "seconds" | "whole" } ? number
  : K extends { type: "oneOf"; values: readonly (infer V)[] } ? V
  : K extends { type: "switch" } ? boolean
  : K extends { type: "layers" } ? "auto" | "max" | number
  : string;

/** One setting. */
export interface Setting<K extends Kind = Kind> {
  /** The key in the config file; `shell.key` is `key` under `[shell]`. */
  key: string;
  /** The variable it stands for. */
  env: string;
  /** The flag that sets it, for the commands that answer (`--backend`). */
  flag?: string;
  /** What it is, in a few words (the flag's completion menu). */
  about?: string;
  kind: K;
  /** The value when none is set; undefined when it is worked out (the CPU count) or none. */
  fallback?: ValueOf<K>;
  /** The default in words, when {@link Setting.fallback} does not say it. */
  shown?: string;
  /** What the value may be, in words, when the kind alone does not say it. */
  allowed?: string;
}

const seconds = { type: "seconds" } as const;
const onOff = { type: "switch" } as const;
const text = { type: "text" } as const;

/** The backends, by name. */
export const BACKENDS = ["embedded", "ollama", "openai"] as const;
/** How cautious cmdai is with risky commands. */
export const POLICIES = ["strict", "moderate", "permissive"] as const;

/** Every setting, in the order `cmdai config` lists them. */
export const SETTINGS = {
  backend: {
    key: "backend",
    env: "CMDAI_BACKEND",
    flag: "backend",
    about: "what answers",
    kind: { type: "oneOf", values: BACKENDS },
    fallback: "embedded",
  },
  url: {
    key: "url",
    env: "CMDAI_URL",
    flag: "url",
    about: "the ollama or openai server's address",
    kind: { type: "url" },
    shown: "ollama: http://127.0.0.1:11434, openai: http://127.0.0.1:8000/v1",
  },
  remoteModel: {
    key: "remote_model",
    env: "CMDAI_REMOTE_MODEL",
    flag: "remote-model",
    about: "the model's name on that server",
    kind: text,
    allowed: "the model's name on the server",
    shown: "none (required for ollama and openai)",
  },
  apiKeyEnv: {
    key: "api_key_env",
    env: "CMDAI_API_KEY_ENV",
    kind: { type: "variable" },
    fallback: "CMDAI_API_KEY",
  },
  model: {
    key: "model",
    env: "CMDAI_MODEL",
    flag: "model",
    about: "the GGUF model for the embedded backend",
    kind: text,
    allowed: "a GGUF path or hf:owner/repo/file.gguf",
    shown: "Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
  },
  policy: {
    key: "policy",
    env: "CMDAI_POLICY",
    kind: { type: "oneOf", values: POLICIES },
    fallback: "moderate",
  },
  timeout: { key: "timeout", env: "CMDAI_TIMEOUT", kind: seconds, fallback: 30 },
  threads: {
    key: "threads",
    env: "CMDAI_THREADS",
    kind: { type: "whole", min: 1, max: 1024 },
    shown: "the CPUs this process may use",
  },
  gpuLayers: {
    key: "gpu_layers",
    env: "CMDAI_GPU_LAYERS",
    kind: { type: "layers" },
    fallback: "auto",
  },
  maxTokens: {
    key: "max_tokens",
    env: "CMDAI_MAX_TOKENS",
    kind: { type: "whole", min: 1, max: 1024 },
    fallback: 256,
  },
  explain: { key: "explain", env: "CMDAI_EXPLAIN", kind: onOff, fallback: true },
  history: {
    key: "history",
    env: "CMDAI_HISTORY",
    kind: { type: "whole", min: 0, max: 10 },
    allowed: "how many recent commands the model is told, 0 to 10 (0: none)",
    fallback: 3,
  },
  historyRemote: {
    key: "history_remote",
    env: "CMDAI_HISTORY_REMOTE",
    kind: onOff,
    allowed: "true or false (true: recent commands go to a backend on another machine too)",
    fallback: false,
  },
  ground: {
    key: "ground",
    env: "CMDAI_GROUND",
    kind: onOff,
    allowed: "true or false (false: no examples from the tldr pages in the prompt)",
    fallback: true,
  },
  server: { key: "server", env: "CMDAI_SERVER", kind: onOff, fallback: true },
  idle: { key: "idle", env: "CMDAI_IDLE", kind: seconds, fallback: 900 },
  key: {
    key: "shell.key",
    env: "CMDAI_KEY",
    kind: text,
    allowed: "a key in caret or Alt notation (^G, ^X^G, \\eg)",
    fallback: "^G",
  },
  explainKey: {
    key: "shell.explain_key",
    env: "CMDAI_EXPLAIN_KEY",
    kind: text,
    allowed: 'a key in caret or Alt notation, or "none"',
    fallback: "\\eg",
    shown: "\\eg (Alt-G)",
  },
  commentEnter: {
    key: "shell.comment_enter",
    env: "CMDAI_COMMENT_ENTER",
    kind: onOff,
    fallback: true,
  },
} as const satisfies Record<string, Setting>;

/** A setting's name in {@link SETTINGS}. */
export type SettingName = keyof typeof SETTINGS;

/** What {@link setting} reads for `N`: its kind's type, or undefined too when it has no default. */
export type Value<N extends SettingName> = (typeof SETTINGS)[N] extends
  { kind: infer K extends Kind; fallback: unknown } ? ValueOf<K>
  : (typeof SETTINGS)[N] extends { kind: infer K extends Kind } ? ValueOf<K> | undefined
  : never;

/** The settings as a list, in order. */
export const SETTING_LIST: readonly Setting[] = Object.values(SETTINGS);

/** What a kind allows, in words (errors, `cmdai config`, the README). */
export function allowed(s: Setting): string {
  if (s.allowed) return s.allowed;
  const k = s.kind;
  switch (k.type) {
    case "seconds":
      return "seconds, more than 0";
    case "whole":
      return `a whole number from ${k.min} to ${k.max}`;
    case "oneOf":
      return `${k.values.slice(0, -1).join(", ")} or ${k.values.at(-1)}`;
    case "switch":
      return "true or false";
    case "url":
      return "an http:// or https:// URL";
    case "variable":
      return "the name of the variable holding the API key";
    case "layers":
      return '"auto", "max" or a whole number of layers (0: CPU only)';
    case "text":
      return "text";
  }
}

/** The default in words. */
export function shownDefault(s: Setting): string {
  return s.shown ?? String(s.fallback ?? "none");
}

/** Whether `url` is an http:// or https:// URL (the one rule, for flags, variables and the file). */
export function isHttpUrl(url: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

const SWITCH_TEXT: Readonly<Record<string, boolean>> = {
  "1": true,
  true: true,
  yes: true,
  on: true,
  "0": false,
  false: false,
  no: false,
  off: false,
};

/** Reads a variable's text as `kind`; undefined when it is not allowed. */
export function parseValue(kind: Kind, raw: string): unknown {
  const t = raw.trim();
  switch (kind.type) {
    case "seconds": {
      const n = Number(t);
      return Number.isFinite(n) && n > 0 ? n : undefined;
    }
    case "whole": {
      const n = Number(t);
      return Number.isInteger(n) && n >= kind.min && n <= kind.max && t !== "" ? n : undefined;
    }
    case "oneOf": {
      const v = t.toLowerCase();
      return kind.values.includes(v) ? v : undefined;
    }
    case "switch":
      return SWITCH_TEXT[t.toLowerCase()];
    case "url":
      return isHttpUrl(t) ? t : undefined;
    case "variable":
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(t) ? t : undefined;
    case "layers": {
      if (t === "auto" || t === "max") return t;
      const n = Number(t);
      return Number.isInteger(n) && n >= 0 && t !== "" ? n : undefined;
    }
    case "text":
      return t === "" ? undefined : t;
  }
}

/** An {@link Env} that can say where a value comes from (see `config.ts`). */
interface Sourced extends Env {
  source?(name: string): string;
}

/**
 * The value of setting `name`: its text from `env` (an empty one counts as
 * unset) read as its kind, else its default. A value its kind does not allow
 * is a usage error naming the flag or the variable it came from.
 */
export function setting<N extends SettingName>(env: Env, name: N): Value<N> {
  const s: Setting = SETTINGS[name];
  const raw = env.get(s.env);
  if (raw === undefined || raw === "") return s.fallback as never;
  const value = parseValue(s.kind, raw);
  if (value === undefined) {
    const from = (env as Sourced).source?.(s.env);
    const who = from?.startsWith("flag ") ? from.slice(5) : s.env;
    throw new CmdaiError(
      ExitCode.usage,
      `${who} must be ${allowed(s)}, not "${oneLine(raw).slice(0, 80)}"`,
    );
  }
  return value as never;
}

/** The error for a request that ran past `CMDAI_TIMEOUT`. */
export function timedOut(timeoutS: number): CmdaiError {
  return new CmdaiError(
    ExitCode.inference,
    `no reply within ${timeoutS} s (CMDAI_TIMEOUT sets the limit)`,
  );
}
