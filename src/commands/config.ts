/**
 * `cmdai config [--json]`: every setting's effective value and where it comes
 * from (flag, variable, config file line, default); `cmdai config path`: where
 * the config file is.
 *
 * @module
 */

import { configPath, displayPath, layer, loadConfig } from "../config.ts";
import { parseValue, SETTING_LIST, shownDefault } from "../settings.ts";
import type { FullEnv } from "../env.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import { parseFlags } from "../flags.ts";
import type { IO } from "../io.ts";

const USAGE = "usage: cmdai config [--json] | cmdai config path";

/** `cmdai config --help`. */
export const CONFIG_HELP = `${USAGE}

Lists every setting, its value and where it comes from: a flag, a CMDAI_* variable,
the config file (with its line) or the default. \`cmdai config path\` prints the file's
path: $XDG_CONFIG_HOME/cmdai/config.toml, else ~/.config/cmdai/config.toml.
  --json   one line of JSON
`;

/** Runs `cmdai config ARGS`; returns the exit code. */
export async function runConfig(
  args: string[],
  io: IO,
  env: FullEnv,
): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  }, USAGE);
  if (values.help) {
    io.stdout(CONFIG_HELP);
    return ExitCode.ok;
  }
  const [what, ...rest] = positionals;
  if (rest.length > 0 || (what !== undefined && what !== "path")) {
    throw new CmdaiError(ExitCode.usage, USAGE);
  }
  if (what === "path") {
    const path = configPath(env);
    io.stdout(values.json ? JSON.stringify({ path }) + "\n" : path + "\n");
    return ExitCode.ok;
  }
  const file = await loadConfig(env);
  const settings = layer({}, env, file);
  const rows = SETTING_LIST.map((s) => {
    const source = settings.source(s.env);
    const raw = settings.get(s.env);
    // A switch reads as the file spells it.
    const value = s.kind.type === "switch" && raw !== undefined
      ? String(parseValue(s.kind, raw) ?? raw)
      : raw;
    return {
      key: s.key,
      env: s.env,
      value: source === "default" || value === undefined ? null : value,
      source,
      default: shownDefault(s),
    };
  });
  if (values.json) {
    io.stdout(JSON.stringify({ file: file.path, exists: file.exists, settings: rows }) + "\n");
    return ExitCode.ok;
  }
  const where = displayPath(file.path, env);
  const out = [`config file: ${where}${file.exists ? "" : " (none; every key is optional)"}`, ""];
  const keyWidth = Math.max(...rows.map((r) => r.key.length));
  const valueWidth = Math.min(40, Math.max(...rows.map((r) => (r.value ?? r.default).length)));
  for (const r of rows) {
    const value = r.value ?? r.default;
    out.push(`${r.key.padEnd(keyWidth)}  ${value.padEnd(valueWidth)}  ${r.source}`);
  }
  io.stdout(out.join("\n") + "\n");
  return ExitCode.ok;
}
