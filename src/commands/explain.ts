/**
 * `cmdai explain [flags] COMMAND…`: what a command does, part by part, from
 * the configured model, with the safety engine's findings beside it. The
 * shells' explain key (Alt-G) runs it with `--widget` to show the result below
 * the line without touching the line.
 *
 * @module
 */

import type { ExplainArgs } from "../answer/args.ts";
import { detectShell, parseShell } from "../answer/context.ts";
import { runExplain } from "../answer/run.ts";
import { checkSettings } from "../backends/open.ts";
import { SETTING_FLAGS, type Settings, settingsFromFlags } from "../config.ts";
import type { Env } from "../env.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import { joinWords, parseLeadingFlags } from "../flags.ts";
import type { IO } from "../io.ts";
import { requestViaServer } from "../server/client.ts";
import { refuseModelFlag } from "./request.ts";

const USAGE =
  "usage: cmdai explain [--json] [--shell zsh|fish|bash] [--model M | --backend B --url U --remote-model M] [--] COMMAND…";

/** `cmdai explain --help`. */
export const EXPLAIN_HELP = `${USAGE}

Says what a command does, part by part (from the model), and rates its risk (from
cmdai's safety rules, without a model). Nothing is run. Quotes are optional:
cmdai explain find . -name '*.log' -delete
  --json      one line of JSON: command, summary, parts [{part, meaning}], risk, rules
  --shell     the shell the command is for (default: from $SHELL)
When the model cannot say (no model, a broken reply), the risk is still shown and the
exit code says why.
`;

/** Parses what follows `cmdai explain`; undefined for `--help`. */
export function parseExplainArgs(
  args: string[],
  env: Env,
): { args: ExplainArgs; settings: Record<string, string> } | undefined {
  const { values, rest } = parseLeadingFlags(args, {
    json: { type: "boolean" },
    widget: { type: "boolean" },
    shell: { type: "string" },
    help: { type: "boolean", short: "h" },
    ...SETTING_FLAGS,
  }, USAGE);
  if (values.help) return undefined;
  const command = joinWords(rest);
  if (!command.trim()) throw new CmdaiError(ExitCode.usage, `no command to explain; ${USAGE}`);
  return {
    args: {
      kind: "explain",
      command,
      shell: values.shell === undefined ? detectShell(env) : parseShell(values.shell as string),
      json: values.json === true,
      widget: values.widget === true,
    },
    settings: settingsFromFlags(values),
  };
}

/** Runs `cmdai explain ARGS`: through the server when it can, else here; returns the exit code. */
export async function runExplainCommand(args: string[], io: IO, env: Settings): Promise<number> {
  const parsed = parseExplainArgs(args, env);
  if (!parsed) {
    io.stdout(EXPLAIN_HELP);
    return ExitCode.ok;
  }
  const settings = env.withFlags(parsed.settings);
  const { kind, remote } = await checkSettings(settings);
  if (remote) refuseModelFlag(settings, kind);
  const code = await requestViaServer(parsed.args, io, settings);
  if (code !== undefined) return code;
  return await runExplain(parsed.args, io, settings);
}
