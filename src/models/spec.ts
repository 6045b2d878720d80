/**
 * Which GGUF model a request uses, where downloaded models live, and whether a
 * model file is usable.
 *
 * Precedence: `--model` > `CMDAI_MODEL` (read at every request) > the default.
 * A spec is either a file path or `hf:owner/repo/file.gguf`; hub models live in
 * the cache under `owner/repo/file`. Nothing here downloads or falls back to
 * another model: a missing file is an error that says how to get it.
 *
 * @module
 */

import { isAbsolute, join, resolve } from "node:path";
import type { Env } from "../env.ts";
import { CmdaiError, ExitCode, oneLine } from "../errors.ts";

/** A model on the Hugging Face hub: repository and file path inside it. */
export interface HubModel {
  repo: string;
  file: string;
}

/** The model used when neither `--model` nor `CMDAI_MODEL` is set. */
export const DEFAULT_MODEL: Readonly<HubModel> = Object.freeze({
  repo: "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
  file: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
});

/** A parsed model spec: a local path (made absolute) or a hub file. */
export type ModelSpec =
  | { kind: "path"; path: string }
  | { kind: "hf"; repo: string; file: string };

/** Where the selected model came from. */
export type ModelSource = "flag" | "env" | "file" | "default";

/** The model a request will use, with its location on disk. */
export type ResolvedModel =
  | { kind: "path"; path: string; source: ModelSource }
  | { kind: "hf"; repo: string; file: string; cachedPath: string; source: ModelSource };

/** The four bytes every GGUF file starts with. */
const GGUF_MAGIC = [0x47, 0x47, 0x55, 0x46]; // "GGUF"

/**
 * The directory downloaded models are kept in: `$XDG_CACHE_HOME/cmdai/models`
 * when that is set (and absolute, as the XDG spec requires), otherwise the
 * platform's cache directory (`~/.cache`, `~/Library/Caches` on macOS,
 * `%LOCALAPPDATA%` on Windows) + `cmdai/models`.
 */
export function modelCacheDir(env: Env = Deno.env, os: string = Deno.build.os): string {
  const xdg = env.get("XDG_CACHE_HOME");
  if (xdg && isAbsolute(xdg)) return join(xdg, "cmdai", "models");
  if (os === "windows") {
    const local = env.get("LOCALAPPDATA");
    if (local) return join(local, "cmdai", "models");
  }
  const home = env.get("HOME") || (os === "windows" ? env.get("USERPROFILE") : undefined);
  if (!home) {
    throw new CmdaiError(
      ExitCode.runtime,
      "cannot find a cache directory for models: set HOME or XDG_CACHE_HOME",
    );
  }
  if (os === "darwin") return join(home, "Library", "Caches", "cmdai", "models");
  return join(home, ".cache", "cmdai", "models");
}

/** Hub owner and repository names: letters, digits, `-`, `_`, `.`, not starting with `.`/`-`. */
const HUB_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/;

/**
 * Parses a model spec: `hf:owner/repo/file.gguf` (the file may sit in
 * subfolders) or anything else as a file path, made absolute against the
 * current directory. Throws a usage error for an empty or malformed spec.
 */
export function parseModelSpec(
  spec: string,
  cwd: string = Deno.cwd(),
  home: string | undefined = Deno.env.get("HOME"),
): ModelSpec {
  if (spec.trim() === "") {
    throw new CmdaiError(ExitCode.usage, "the model spec is empty: give a .gguf path or hf:…");
  }
  // `~/` as a shell would read it: the value may come from a variable set in quotes.
  if (home && (spec === "~" || spec.startsWith("~/"))) spec = home + spec.slice(1);
  if (!spec.startsWith("hf:")) return { kind: "path", path: resolve(cwd, spec) };
  const usage = (why: string) =>
    new CmdaiError(
      ExitCode.usage,
      `bad model spec "${oneLine(spec)}": ${why} (expected hf:owner/repo/file.gguf)`,
    );
  const parts = spec.slice(3).split("/");
  if (parts.length < 3) throw usage("too few parts");
  const [owner, name, ...fileParts] = parts;
  if (
    !HUB_NAME.test(owner) || !HUB_NAME.test(name) || owner.includes("..") || name.includes("..")
  ) {
    throw usage("invalid owner or repository name");
  }
  // The file path is joined onto the cache directory: keep it inside.
  for (const part of fileParts) {
    // deno-lint-ignore no-control-regex
    if (part === "" || part === "." || part === ".." || /[\\\u0000-\u001f\u007f]/.test(part)) {
      throw usage("invalid file path");
    }
  }
  const file = fileParts.join("/");
  if (!file.toLowerCase().endsWith(".gguf")) throw usage("the file must end in .gguf");
  return { kind: "hf", repo: `${owner}/${name}`, file };
}

/** The `hf:` spec naming a hub model. */
export function hubSpec(model: HubModel): string {
  return `hf:${model.repo}/${model.file}`;
}

/** Where a hub model is kept in the cache: `<cache>/<owner>/<repo>/<file>`. */
export function cachedModelPath(model: HubModel, cacheDir: string): string {
  return join(cacheDir, ...model.repo.split("/"), ...model.file.split("/"));
}

/**
 * Selects the model for a request: `flag` (a subcommand's own `--model`),
 * else the model setting (`--model`, `CMDAI_MODEL` or the config file, as the
 * settings layer them; an empty value counts as unset), else
 * {@link DEFAULT_MODEL}. Reads the settings on every call, so a changed
 * `CMDAI_MODEL` takes effect at once.
 */
export function resolveModel(
  opts: { flag?: string; env?: Env; os?: string; cwd?: string } = {},
): ResolvedModel {
  const env = opts.env ?? Deno.env;
  const fromEnv = env.get("CMDAI_MODEL");
  const home = env.get("HOME");
  let spec: ModelSpec;
  let source: ModelSource;
  if (opts.flag !== undefined) {
    spec = parseModelSpec(opts.flag, opts.cwd, home);
    source = "flag";
  } else if (fromEnv !== undefined && fromEnv !== "") {
    // Layered settings say where the value came from; a plain environment is the variable.
    const from = (env as { source?(name: string): string }).source?.("CMDAI_MODEL") ?? "env";
    source = from.startsWith("flag") ? "flag" : from.startsWith("env") ? "env" : "file";
    try {
      spec = parseModelSpec(fromEnv, opts.cwd, home);
    } catch (e) {
      const who = source === "flag" ? "--model" : source === "env" ? "CMDAI_MODEL" : "model";
      if (e instanceof CmdaiError) throw new CmdaiError(e.code, `${who}: ${e.message}`);
      throw e;
    }
  } else {
    spec = { kind: "hf", ...DEFAULT_MODEL };
    source = "default";
  }
  if (spec.kind === "path") return { ...spec, source };
  const cachedPath = cachedModelPath(spec, modelCacheDir(env, opts.os));
  return { kind: "hf", repo: spec.repo, file: spec.file, cachedPath, source };
}

/** The file a resolved model is read from. */
export function modelPath(model: ResolvedModel): string {
  return model.kind === "path" ? model.path : model.cachedPath;
}

/** What to tell a user whose selected model is missing or broken. */
export function modelHint(model: ResolvedModel): string {
  if (model.kind === "hf") {
    const isDefault = model.repo === DEFAULT_MODEL.repo && model.file === DEFAULT_MODEL.file;
    return `run \`cmdai model pull${isDefault ? "" : " " + hubSpec(model)}\``;
  }
  return model.source === "env"
    ? "fix CMDAI_MODEL or unset it to use the default model"
    : model.source === "file"
    ? "fix model in the config file (cmdai config path) or remove it"
    : "pass a GGUF file to --model";
}

/**
 * Checks that `path` is a readable file starting with the GGUF magic. Throws a
 * one-line {@link CmdaiError} with {@link ExitCode.model} otherwise, ending
 * with `hint` (what to do about it).
 */
export async function checkModelFile(
  path: string,
  hint = "run `cmdai model pull`",
): Promise<void> {
  const fail = (what: string) =>
    new CmdaiError(ExitCode.model, `${what}: ${oneLine(path)}; ${hint}`);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw fail("model file not found");
    if (e instanceof Deno.errors.PermissionDenied) throw fail("model file not readable");
    throw fail(`cannot open the model file (${e instanceof Error ? e.message : e})`);
  }
  try {
    if (!(await file.stat()).isFile) throw fail("model path is not a file");
    const head = new Uint8Array(4);
    let got = 0;
    try {
      while (got < 4) {
        const n = await file.read(head.subarray(got));
        if (n === null) break;
        got += n;
      }
    } catch (e) {
      throw fail(`cannot read the model file (${e instanceof Error ? e.message : e})`);
    }
    if (got < 4 || GGUF_MAGIC.some((b, i) => head[i] !== b)) {
      throw fail("not a GGUF model file");
    }
  } finally {
    file.close();
  }
}

/** Checks a resolved model's file (see {@link checkModelFile}) and returns its path. */
export async function requireModelFile(model: ResolvedModel): Promise<string> {
  const path = modelPath(model);
  await checkModelFile(path, modelHint(model));
  return path;
}
