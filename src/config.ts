/**
 * The config file, `$XDG_CONFIG_HOME/cmdai/config.toml`, and where every
 * setting comes from: flags over `CMDAI_*` variables over the file over the
 * defaults. Each key of the file stands for one variable, so the rest of
 * cmdai reads settings one way (an {@link Env}) whatever their source.
 *
 * The TOML parser and zod are imported only when the file exists: most users
 * have none, and every key press pays for what is imported here.
 *
 * @module
 */

import { dirname, isAbsolute, join, resolve } from "node:path";
import type { Env, FullEnv } from "./env.ts";
import { CmdaiError, ExitCode, oneLine } from "./errors.ts";
import { allowed, SETTING_LIST, SETTINGS } from "./settings.ts";

/** The config file's path: `$XDG_CONFIG_HOME/cmdai/config.toml`, else `~/.config/cmdai/config.toml`. */
export function configPath(env: Env): string {
  const xdg = env.get("XDG_CONFIG_HOME");
  // The XDG spec ignores a relative XDG_CONFIG_HOME; so does cmdai, on macOS too.
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.get("HOME") ?? "/", ".config");
  return join(base, "cmdai", "config.toml");
}

/** A value the file sets: the variable's text and the line it came from. */
export interface FileValue {
  value: string;
  line?: number;
}

/** The file as read: its path and the variables it sets (none when there is no file). */
export interface ConfigFile {
  path: string;
  exists: boolean;
  values: ReadonlyMap<string, FileValue>;
}

/** The file's path for messages: `~/…` under the home directory. */
export function displayPath(path: string, env: Env): string {
  const home = env.get("HOME");
  return home && home !== "/" && path.startsWith(home + "/") ? "~" + path.slice(home.length) : path;
}

/**
 * Reads and validates the config file at {@link configPath}. A missing file is
 * no error; anything else wrong with it is a usage error naming the file, the
 * key, its line and what the key allows.
 */
export async function loadConfig(env: Env): Promise<ConfigFile> {
  const path = configPath(env);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { path, exists: false, values: new Map() };
    throw new CmdaiError(
      ExitCode.usage,
      `cannot read ${displayPath(path, env)}: ${oneLine((e as Error).message)}`,
    );
  }
  const [{ parse }, { fileSchema }] = await Promise.all([
    import("smol-toml"),
    import("./config_schema.ts"),
  ]);
  const where = displayPath(path, env);
  const fail = (line: number | undefined, what: string): never => {
    throw new CmdaiError(ExitCode.usage, `${where}${line ? ` line ${line}` : ""}: ${what}`);
  };
  let doc: Record<string, unknown>;
  try {
    doc = parse(text);
  } catch (e) {
    const err = e as Error & { line?: number };
    // smol-toml's message is "Invalid TOML document: why", then a code frame.
    const why = err.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
    return fail(err.line, `not valid TOML: ${why}`);
  }
  const values = new Map<string, FileValue>();
  const lines = text.split("\n");
  const known = SETTING_LIST.map((s) => s.key);
  for (const [key, value] of flatten(doc)) {
    const line = lineOf(lines, key);
    const setting = SETTING_LIST.find((s) => s.key === key);
    if (!setting) {
      return fail(line, `unknown key "${key}" (keys: ${known.join(", ")})`);
    }
    const parsed = fileSchema(setting.kind).safeParse(value);
    if (!parsed.success) {
      return fail(line, `${key} must be ${allowed(setting)}, not ${shown(value)}`);
    }
    let text = parsed.data;
    if (setting === SETTINGS.model) text = modelFromFile(text, path, env);
    values.set(setting.env, { value: text, line });
  }
  return { path, exists: true, values };
}

/** A path in the file is read from the file's directory; `~/` is the home directory. */
function modelFromFile(value: string, file: string, env: Env): string {
  if (value.startsWith("hf:")) return value;
  if (value.startsWith("~/")) return join(env.get("HOME") ?? "/", value.slice(2));
  return resolve(dirname(file), value);
}

/** The document's leaves as dotted keys; a table is a level, anything else a value. */
function flatten(doc: Record<string, unknown>, prefix = ""): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(doc)) {
    const key = prefix + k;
    const table = typeof v === "object" && v !== null && !Array.isArray(v) &&
      !(v instanceof Date) && Object.getPrototypeOf(v) === null;
    if (table && SETTING_LIST.some((s) => s.key.startsWith(key + "."))) {
      out.push(...flatten(v as Record<string, unknown>, key + "."));
    } else out.push([key, v]);
  }
  return out;
}

/**
 * The line a dotted key is set on, found in the text (the parser keeps no
 * positions): `a.b` is `b = …` under `[a]`, or `a.b = …` at the top.
 */
function lineOf(lines: string[], key: string): number | undefined {
  const dot = key.lastIndexOf(".");
  const table = dot < 0 ? "" : key.slice(0, dot);
  const leaf = key.slice(dot + 1);
  let current = "";
  const quoted = (k: string) => `(?:${esc(k)}|"${esc(k)}"|'${esc(k)}')`;
  const bare = new RegExp(`^\\s*${quoted(leaf)}\\s*=`);
  const dotted = new RegExp(`^\\s*${key.split(".").map(quoted).join("\\s*\\.\\s*")}\\s*=`);
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i].match(/^\s*\[\s*([^\]]+?)\s*\]/);
    if (header) current = header[1].replace(/["'\s]/g, "");
    else if (current === table && bare.test(lines[i])) return i + 1;
    else if (current === "" && dotted.test(lines[i])) return i + 1;
  }
  // A table where a value belongs: its header.
  const index = lines.findIndex((l) => l.match(/^\s*\[\s*([^\]]+?)\s*\]/)?.[1] === key);
  return index < 0 ? undefined : index + 1;
}

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function shown(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object" && value !== null) {
    return Array.isArray(value) ? "a list" : "a table";
  }
  return JSON.stringify(value);
}

/** An {@link Env} with every source of settings in order, and a listing like `Deno.env`'s. */
export interface Settings extends FullEnv {
  /** The same with `flags` (variable → value) over it. */
  withFlags(flags: Readonly<Record<string, string>>): Settings;
  /** Where the value of `name` comes from: a flag, the variable, the file (line), or the default. */
  source(name: string): string;
}

/**
 * Layers the sources: `flags` (variable → value) over `env` over `file`.
 * An empty variable counts as unset, as everywhere in cmdai, so the file's
 * value shows through it.
 */
export function layer(
  flags: Readonly<Record<string, string>>,
  env: FullEnv,
  file: ConfigFile,
): Settings {
  const get = (name: string) => {
    if (flags[name] !== undefined) return flags[name];
    const own = env.get(name);
    if (own !== undefined && (own !== "" || !file.values.has(name))) return own;
    return file.values.get(name)?.value ?? own;
  };
  return {
    get,
    withFlags: (more) => layer({ ...flags, ...more }, env, file),
    toObject() {
      const out: Record<string, string> = {};
      for (const [k, v] of file.values) out[k] = v.value;
      for (const [k, v] of Object.entries(env.toObject())) if (v !== "" || !(k in out)) out[k] = v;
      return { ...out, ...flags };
    },
    source(name) {
      const flag = FLAGGED.find((s) => s.env === name)?.flag;
      if (flags[name] !== undefined) return `flag --${flag ?? name}`;
      const own = env.get(name);
      if (own !== undefined && own !== "") return `env ${name}`;
      const fromFile = file.values.get(name);
      if (fromFile) {
        return `${displayPath(file.path, env)}${fromFile.line ? ` line ${fromFile.line}` : ""}`;
      }
      return "default";
    },
  };
}

/** The settings that have a flag, by flag name: every command that answers takes them. */
const FLAGGED = SETTING_LIST.filter((s) => s.flag !== undefined);

/** The setting flags as `parseFlags` options. */
export const SETTING_FLAGS: Readonly<Record<string, { type: "string" }>> = Object.fromEntries(
  FLAGGED.map((s) => [s.flag!, { type: "string" as const }]),
);

/** The variables that parsed flag values set; an empty value is a usage error. */
export function settingsFromFlags(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of FLAGGED) {
    const value = values[s.flag!];
    if (value === undefined) continue;
    if (typeof value !== "string" || value.trim() === "") {
      throw new CmdaiError(ExitCode.usage, `--${s.flag} needs a value`);
    }
    out[s.env] = value;
  }
  return out;
}
