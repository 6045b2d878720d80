/**
 * `cmdai model list|path|pull`: see and fetch the models cmdai runs.
 *
 * The download code is imported only by `pull` (and {@link pullWithProgress}),
 * so `list` and `path` stay quick.
 *
 * @module
 */

import { basename, join, relative, sep } from "node:path";
import type { Env } from "../env.ts";
import type { IO } from "../io.ts";
import { parseFlags } from "../flags.ts";
import { COMMANDS } from "../cli.ts";
import { CmdaiError, ExitCode, oneLine } from "../errors.ts";
import {
  cachedModelPath,
  checkModelFile,
  DEFAULT_MODEL,
  type HubModel,
  hubSpec,
  modelCacheDir,
  modelHint,
  modelPath,
  parseModelSpec,
  resolveModel,
} from "../models/spec.ts";
import { createProgress, formatBytes } from "../models/progress.ts";
import type { PullResult } from "../models/download.ts";

/** `cmdai model --help`. */
export const MODEL_HELP = `Usage: cmdai model <command> [options]

Manage the GGUF model cmdai runs.

Commands:
  list                           Models in the cache with their sizes; marks the
                                 default, the one in use, and partial downloads
  path                           Print the path of the model in use; exit 3 when
                                 it is missing or not a GGUF file
  pull [hf:owner/repo/file.gguf] Download a model from the Hugging Face hub
                                 (default: the model in use if it is an hf: one,
                                 else ${hubSpec(DEFAULT_MODEL)})

Options:
  --model PATH|hf:owner/repo/file.gguf   The model to use (list, path, pull)
  -h, --help                             Show this help

The model in use: --model, else $CMDAI_MODEL, else the default. Downloads go to
$XDG_CACHE_HOME/cmdai/models (default ~/.cache/cmdai/models; on macOS
~/Library/Caches/cmdai/models) and resume from <file>.part when interrupted.
Environment: HF_ENDPOINT (hub URL, default https://huggingface.co), HF_TOKEN
(access token for gated or private repositories).
`;

function usage(message: string): CmdaiError {
  return new CmdaiError(ExitCode.usage, `${message} (see \`cmdai model --help\`)`);
}

/**
 * Downloads a hub model into the cache (or `dest`) with a progress display on
 * stderr, honouring `HF_ENDPOINT` and `HF_TOKEN`. Ctrl-C aborts it and keeps
 * the `.part` for the next pull. Throws {@link CmdaiError}s (see `pullModel`).
 */
export async function pullWithProgress(
  model: HubModel,
  opts: { env: Env; io: IO; dest?: string },
): Promise<PullResult> {
  const { env, io } = opts;
  const dest = opts.dest ?? cachedModelPath(model, modelCacheDir(env));
  const { pullModel } = await import("../models/download.ts");
  const endpoint = env.get("HF_ENDPOINT") || undefined;
  const progress = createProgress({
    label: basename(model.file),
    write: io.stderr,
    isTerminal: io.stderrIsTerminal,
    columns: io.columns,
  });
  const signal = io.signal;
  let announced = false;
  try {
    return await pullModel({
      repo: model.repo,
      file: model.file,
      dest,
      endpoint,
      token: env.get("HF_TOKEN") || undefined,
      signal,
      onProgress(received, total) {
        if (!announced) {
          announced = true;
          const from = endpoint ? ` from ${endpoint}` : "";
          const resume = received > 0 ? `, resuming at ${formatBytes(received)}` : "";
          io.stderr(`cmdai: downloading ${hubSpec(model)}${from}${resume}\n`);
        }
        progress.update(received, total);
      },
    });
  } finally {
    progress.finish();
  }
}

/** One model file found in the cache. */
interface CachedFile {
  /** Path relative to the cache directory, with `/` separators, `.part` removed. */
  name: string;
  path: string;
  size: number;
  partial: boolean;
}

async function listCache(dir: string): Promise<CachedFile[]> {
  const found: CachedFile[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(d));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw new CmdaiError(ExitCode.runtime, `cannot read ${d}: ${oneLine(String(e))}`);
    }
    for (const entry of entries) {
      const path = join(d, entry.name);
      if (entry.isDirectory) {
        await walk(path);
        continue;
      }
      const partial = /\.gguf\.part$/i.test(entry.name);
      if (!partial && !/\.gguf$/i.test(entry.name)) continue;
      const size = (await Deno.stat(path).catch(() => undefined))?.size ?? 0;
      const rel = relative(dir, path).split(sep).join("/");
      found.push({ name: partial ? rel.slice(0, -5) : rel, path, size, partial });
    }
  };
  await walk(dir);
  return found.sort((a, b) =>
    a.name.localeCompare(b.name) || Number(a.partial) - Number(b.partial)
  );
}

/** A cache entry's display name: an `hf:` spec when it sits at owner/repo/file. */
function displayName(name: string): string {
  return name.split("/").length >= 3 ? `hf:${name}` : name;
}

async function listModels(env: Env, io: IO, flag: string | undefined): Promise<void> {
  const dir = modelCacheDir(env);
  const selected = resolveModel({ flag, env });
  const selectedPath = modelPath(selected);
  const defaultPath = cachedModelPath(DEFAULT_MODEL, dir);
  // Each row: whether it is the model in use, its name, and its state in words.
  const rows: [boolean, string, string][] = [];
  const row = (path: string, name: string, state: string) =>
    rows.push([path === selectedPath, path === defaultPath ? `${name} (default)` : name, state]);
  const files = await listCache(dir);
  for (const f of files) {
    row(
      f.partial ? f.path.slice(0, -5) : f.path,
      displayName(f.name),
      f.partial
        ? `partial download, ${formatBytes(f.size)} (cmdai model pull resumes it)`
        : formatBytes(f.size),
    );
  }
  // The default and the model in use are always listed, even when absent.
  const listed = new Set(files.map((f) => f.partial ? f.path.slice(0, -5) : f.path));
  const absent = "not downloaded (cmdai model pull fetches it)";
  if (!listed.has(defaultPath)) row(defaultPath, hubSpec(DEFAULT_MODEL), absent);
  if (selectedPath !== defaultPath && !listed.has(selectedPath)) {
    if (selected.kind === "hf") row(selectedPath, hubSpec(selected), absent);
    else {
      const st = await Deno.stat(selectedPath).catch(() => undefined);
      row(
        selectedPath,
        selectedPath,
        st ? `${formatBytes(st.size)}, outside the cache` : "missing",
      );
    }
  }
  io.stdout(`Models in ${dir} (* in use):\n`);
  const width = Math.max(...rows.map((r) => r[1].length), 0);
  for (const [inUse, name, state] of rows) {
    io.stdout(`${inUse ? "*" : " "} ${name.padEnd(width)}  ${state}\n`);
  }
  const by = selected.source === "flag"
    ? "--model"
    : selected.source === "env"
    ? "CMDAI_MODEL"
    : "";
  if (by) io.stdout(`The model in use is set by ${by}.\n`);
}

/**
 * Runs `cmdai model …` with the arguments after `model`. Returns the exit
 * code; throws {@link CmdaiError} for usage errors, a missing model
 * (`path`: exit 3) and download failures, for `main` to print as one line.
 */
export async function runModelCommand(
  args: string[],
  env: Env,
  io: IO,
): Promise<number> {
  const parsed = parseFlags(args, COMMANDS.model.flags, "see `cmdai model --help`");
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(MODEL_HELP);
    return ExitCode.ok;
  }
  const [command, ...rest] = positionals;
  if (command === undefined) throw usage("missing command: list, path or pull");
  const flag = values.model;

  switch (command) {
    case "list": {
      if (rest.length > 0) throw usage(`unexpected argument: ${rest[0]}`);
      await listModels(env, io, flag);
      return ExitCode.ok;
    }
    case "path": {
      if (rest.length > 0) throw usage(`unexpected argument: ${rest[0]}`);
      const model = resolveModel({ flag, env });
      const path = modelPath(model);
      io.stdout(`${path}\n`);
      await checkModelFile(path, modelHint(model));
      return ExitCode.ok;
    }
    case "pull": {
      if (rest.length > 1) throw usage(`unexpected argument: ${rest[1]}`);
      if (rest.length === 1 && flag !== undefined) throw usage("give the model once");
      const spec = rest[0] ?? flag;
      let model: HubModel;
      if (spec !== undefined) {
        const parsedSpec = parseModelSpec(spec);
        if (parsedSpec.kind !== "hf") {
          throw usage(`pull takes hf:owner/repo/file.gguf, not a path: ${spec}`);
        }
        model = parsedSpec;
      } else {
        const selected = resolveModel({ env });
        model = selected.kind === "hf" ? selected : DEFAULT_MODEL;
      }
      const result = await pullWithProgress(model, { env, io });
      if (result.alreadyPresent) {
        io.stderr(`cmdai: ${hubSpec(model)} is already downloaded\n`);
      } else {
        io.stderr(
          `cmdai: saved ${hubSpec(model)} (${formatBytes(result.size ?? 0)}${
            result.sha256 ? ", sha256 verified" : ", checksum verified"
          })\n`,
        );
      }
      io.stdout(`${result.path}\n`);
      return ExitCode.ok;
    }
    default:
      throw usage(`unknown command: ${command} (expected list, path or pull)`);
  }
}
