/**
 * `cmdai doctor [--json]`: why cmdai does or does not work here, one line a
 * check — ok, warn or fail, with the fix — and a non-zero exit on a failure.
 * It reports a broken config file rather than stopping at it, and reads the
 * rest of the settings without it.
 *
 * @module
 */

import { join } from "node:path";
import { type ConfigFile, displayPath, layer, loadConfig, type Settings } from "../config.ts";
import type { Env, FullEnv } from "../env.ts";
import { CmdaiError, ExitCode, failure } from "../errors.ts";
import { parseFlags } from "../flags.ts";
import { COMMANDS } from "../cli.ts";
import type { IO } from "../io.ts";
import { installedPath } from "../self.ts";
import { VERSION } from "../version.ts";

/** How a check came out. */
export type Verdict = "ok" | "warn" | "fail";

/** One line of the report. */
export interface Finding {
  check: string;
  verdict: Verdict;
  /** What was found. */
  detail: string;
  /** What to do about it (warn and fail only). */
  fix?: string;
}

const USAGE = "usage: cmdai doctor [--json]";

/** `cmdai doctor --help`. */
export const DOCTOR_HELP = `${USAGE}

Checks the system, llama.cpp, the config file, the model or remote server, the
shell integration and the resident server, one line each, and says how to fix
what is wrong. Exits 1 when a check fails.
  --json   one JSON line per check
`;

/** Runs `cmdai doctor ARGS`; returns 1 when a check failed, else 0. */
export async function runDoctor(
  args: string[],
  io: IO,
  env: FullEnv,
): Promise<number> {
  const { values, positionals } = parseFlags(args, COMMANDS.doctor.flags, USAGE);
  if (values.help) {
    io.stdout(DOCTOR_HELP);
    return ExitCode.ok;
  }
  if (positionals.length > 0) throw new CmdaiError(ExitCode.usage, USAGE);
  const findings: Finding[] = [];
  const report = (f: Finding) => {
    findings.push(f);
    io.stdout(values.json ? JSON.stringify(f) + "\n" : formatFinding(f, io.colour) + "\n");
  };
  for await (const f of diagnose(env, io.signal)) report(f);
  return findings.some((f) => f.verdict === "fail") ? ExitCode.runtime : ExitCode.ok;
}

/** Every check, in order; each yields as soon as it is done. */
export async function* diagnose(
  env: FullEnv,
  signal: AbortSignal,
): AsyncGenerator<Finding> {
  yield system();
  yield runtime(env);
  const config = await configFinding(env);
  yield config.finding;
  const settings = layer({}, env, config.file);
  const { backendKind } = await import("../backends/open.ts");
  let kind: string;
  try {
    kind = backendKind(settings);
  } catch (e) {
    yield { check: "backend", verdict: "fail", detail: failure(e).line.replace(/^cmdai: /, "") };
    kind = "embedded";
  }
  yield await llamaCpp(kind === "embedded");
  yield* kind === "embedded" ? modelFindings(settings) : [await remote(settings, signal)];
  yield await keys(settings);
  yield* await shellIntegration(env);
  yield await server(settings);
}

function system(): Finding {
  const { os, arch } = Deno.build;
  const cpus = navigator.hardwareConcurrency;
  return { check: "system", verdict: "ok", detail: `${os} ${arch}, ${cpus} CPUs` };
}

function runtime(env: Env): Finding {
  const self = installedPath(env);
  const compiled = self !== "" && self === Deno.execPath();
  const how = compiled ? "compiled executable" : `Deno ${Deno.version.deno}`;
  const where = self ? ` at ${self}` : "";
  const onPath = which(env, "cmdai");
  if (!onPath) {
    return {
      check: "cmdai",
      verdict: "warn",
      detail: `cmdai ${VERSION}, ${how}${where}; no cmdai on PATH`,
      fix: "add ~/.local/bin (or where install.sh put cmdai) to PATH",
    };
  }
  return { check: "cmdai", verdict: "ok", detail: `cmdai ${VERSION}, ${how}${where}` };
}

/** The first executable `command` on PATH, if any. */
function which(env: Env, command: string): string | undefined {
  for (const dir of (env.get("PATH") ?? "").split(":")) {
    if (!dir) continue;
    const path = join(dir, command);
    try {
      const st = Deno.statSync(path);
      if (st.isFile && ((st.mode ?? 0o111) & 0o111)) return path;
    } catch { /* not here */ }
  }
  return undefined;
}

async function configFinding(env: Env): Promise<{ finding: Finding; file: ConfigFile }> {
  const { configPath } = await import("../config.ts");
  const empty: ConfigFile = { path: configPath(env), exists: false, values: new Map() };
  try {
    const file = await loadConfig(env);
    const where = displayPath(file.path, env);
    const detail = file.exists
      ? `${where}: ${file.values.size} setting${file.values.size === 1 ? "" : "s"}`
      : `${where}: none (defaults apply)`;
    return { finding: { check: "config", verdict: "ok", detail }, file };
  } catch (e) {
    return {
      finding: {
        check: "config",
        verdict: "fail",
        detail: failure(e).line.replace(/^cmdai: /, ""),
        fix: "fix that line (cmdai config lists every key); checks below ignore the file",
      },
      file: empty,
    };
  }
}

async function llamaCpp(needed: boolean): Promise<Finding> {
  try {
    const llama = await (await import("../backends/embedded.ts")).startLlama();
    const gpu = llama.gpu || "cpu";
    const devices = gpu === "cpu" ? [] : await llama.getGpuDeviceNames().catch(() => []);
    await llama.dispose();
    const on = gpu === "cpu"
      ? "CPU only (no Metal, CUDA or Vulkan found)"
      : `${gpu}${devices.length ? ` (${devices.join(", ")})` : ""}`;
    return { check: "llama.cpp", verdict: "ok", detail: `loads; runs on ${on}` };
  } catch (e) {
    return {
      check: "llama.cpp",
      verdict: needed ? "fail" : "warn",
      detail: failure(e).line.replace(/^cmdai: /, ""),
      fix: needed
        ? "run ./install.sh again; or use a remote backend (--backend ollama|openai)"
        : "only the embedded backend needs it",
    };
  }
}

async function* modelFindings(env: Settings): AsyncGenerator<Finding> {
  const { resolveModel, modelPath, checkModelFile, modelHint } = await import(
    "../models/spec.ts"
  );
  let path: string;
  try {
    const model = resolveModel({ env });
    path = modelPath(model);
    await checkModelFile(path, modelHint(model));
  } catch (e) {
    yield {
      check: "model",
      verdict: "fail",
      detail: failure(e).line.replace(/^cmdai: /, "").replace(/; [^;]*$/, ""),
      fix: failure(e).line.match(/; ([^;]*)$/)?.[1] ?? "run `cmdai model pull`",
    };
    return;
  }
  const { verifyChecksum } = await import("../models/download.ts");
  const size = (await Deno.stat(path)).size;
  const { formatBytes } = await import("../models/progress.ts");
  const check = await verifyChecksum(path);
  const what = `${path} (${formatBytes(size)})`;
  if (check.status === "match") {
    yield { check: "model", verdict: "ok", detail: `${what}, sha256 matches its download` };
  } else if (check.status === "mismatch") {
    yield {
      check: "model",
      verdict: "fail",
      detail: `${what}: sha256 ${check.sha256} differs from its download's ${check.expected}`,
      fix: "delete it and run `cmdai model pull`",
    };
  } else {
    yield {
      check: "model",
      verdict: "ok",
      detail: `${what}, sha256 ${
        check.sha256.slice(0, 16)
      }… (not downloaded by cmdai: no checksum to compare)`,
    };
  }
}

async function remote(env: Settings, signal: AbortSignal): Promise<Finding> {
  const { backendKind, checkRemote, remoteOptions } = await import("../backends/open.ts");
  try {
    const kind = backendKind(env);
    if (kind === "embedded") throw new Error("unreachable");
    const options = remoteOptions(env, kind);
    const timeout = AbortSignal.any([signal, AbortSignal.timeout(10_000)]);
    const detail = await checkRemote(kind, options, timeout);
    const key = options.apiKey ? `, API key from $${options.apiKeyEnv}` : "";
    return { check: "backend", verdict: "ok", detail: `${detail}${key}` };
  } catch (e) {
    const line = failure(e).line.replace(/^cmdai: /, "");
    return { check: "backend", verdict: "fail", detail: line };
  }
}

/**
 * Whether zsh, fish and bash load the integration: install.sh's block, or a line of the
 * user's. bash is on nearly every system: no integration is worth a warning only where it is
 * the login shell, which must then be 4.0 or newer.
 */
async function shellIntegration(env: Env): Promise<Finding[]> {
  const home = env.get("HOME") ?? "/";
  const xdg = env.get("XDG_CONFIG_HOME") || join(home, ".config");
  const read = (path: string) => Deno.readTextFile(path).catch(() => "");
  const has = (command: string) => which(env, command) !== undefined;
  const out: Finding[] = [];
  const zshrc = join(env.get("ZDOTDIR") || home, ".zshrc");
  const fishFiles = [join(xdg, "fish", "conf.d", "cmdai.fish"), join(xdg, "fish", "config.fish")];
  const bashFiles = [join(home, ".bashrc"), join(home, ".bash_profile")];
  const shells: [string, string[], RegExp, string][] = [
    [
      "zsh",
      [zshrc],
      /cmdai['"]?\s+init\s+zsh/,
      `add eval "$(cmdai init zsh)" to ${displayPath(zshrc, env)}`,
    ],
    [
      "fish",
      fishFiles,
      /cmdai['"]?\s+init\s+fish/,
      "add cmdai init fish | source to ~/.config/fish/config.fish",
    ],
    ["bash", bashFiles, /cmdai['"]?\s+init\s+bash/, 'add eval "$(cmdai init bash)" to ~/.bashrc'],
  ];
  const login = (env.get("SHELL") ?? "").split("/").pop();
  for (const [shell, files, line, fix] of shells) {
    let found: string | undefined;
    for (const f of files) if (!found && line.test(await read(f))) found = f;
    const old = shell === "bash" && login === "bash" ? await oldBash(env) : undefined;
    if (old) {
      out.push({
        check: shell,
        verdict: "warn",
        detail: `your login shell is bash ${old}: cmdai's keys need bash 4.0 or newer`,
        fix: "install a newer bash (macOS: brew install bash) and make it your shell",
      });
    } else if (found) {
      out.push({
        check: shell,
        verdict: "ok",
        detail: `integration loaded from ${displayPath(found, env)}`,
      });
    } else if (!has(shell)) {
      out.push({ check: shell, verdict: "ok", detail: "not installed" });
    } else if (shell === "bash" && login !== "bash") {
      out.push({ check: shell, verdict: "ok", detail: "no cmdai integration (not your shell)" });
    } else {
      out.push({ check: shell, verdict: "warn", detail: "no cmdai integration found", fix });
    }
  }
  return out;
}

/** The version of the login shell `$SHELL`, a bash, when it is older than 4.0. */
async function oldBash(env: Env): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(env.get("SHELL")!, {
      args: ["-c", 'echo "$BASH_VERSION"'],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    const version = new TextDecoder().decode(out.stdout).trim();
    return /^[0-3]\./.test(version) ? version : undefined;
  } catch {
    return undefined;
  }
}

/** The keys the integration binds, as `cmdai init` reads them. */
async function keys(env: Settings): Promise<Finding> {
  const { shellKeys } = await import("./init.ts");
  try {
    const { key, explainKey } = shellKeys(env);
    const explain = explainKey ? `${explainKey.name} explains the line` : "no explain key";
    return { check: "keys", verdict: "ok", detail: `${key.name} asks for a command, ${explain}` };
  } catch (e) {
    return {
      check: "keys",
      verdict: "fail",
      detail: failure(e).line.replace(/^cmdai: /, ""),
      fix:
        "set CMDAI_KEY / CMDAI_EXPLAIN_KEY (or shell.key / shell.explain_key) to a key in caret notation",
    };
  }
}

async function server(env: Settings): Promise<Finding> {
  const { serverEnabled, serverStatus } = await import("../server/client.ts");
  if (!serverEnabled(env)) {
    return {
      check: "server",
      verdict: "ok",
      detail: "off (CMDAI_SERVER=0): each request loads the model",
    };
  }
  try {
    const status = await serverStatus(env);
    if (!status) {
      return { check: "server", verdict: "ok", detail: "not running (the next request starts it)" };
    }
    const model = status.model ? `, ${status.model} loaded` : "";
    return {
      check: "server",
      verdict: "ok",
      detail:
        `running, pid ${status.pid} (cmdai ${status.version})${model}, ${status.requests} requests`,
    };
  } catch (e) {
    return {
      check: "server",
      verdict: "warn",
      detail: failure(e).line.replace(/^cmdai: /, ""),
      fix: "requests are answered without a server until this is fixed",
    };
  }
}

const MARKS: Record<Verdict, [string, string]> = {
  ok: ["ok  ", "32"],
  warn: ["warn", "33"],
  fail: ["FAIL", "1;31"],
};

/** One report line: the verdict, the check, what was found, and the fix. */
export function formatFinding(f: Finding, colour: boolean): string {
  const [mark, code] = MARKS[f.verdict];
  const shown = colour ? `\x1b[${code}m${mark}\x1b[0m` : mark;
  return `${shown}  ${f.check.padEnd(9)}  ${f.detail}${f.fix ? ` — ${f.fix}` : ""}`;
}
