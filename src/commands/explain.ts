/**
 * `cmdai explain [flags] COMMAND…`: what a command does, part by part, from
 * the configured model, with the safety engine's findings beside it. The
 * shells' explain key (Alt-G) runs it with `--widget` to show the result below
 * the line without touching the line.
 *
 * @module
 */

import { detectShell, parseShell, type Shell } from "../answer/context.ts";
import { describeCommand, type Explained } from "../answer/describe.ts";
import { makeStyle, type Style } from "../answer/output.ts";
import { withBackend } from "../backends/open.ts";
import { SETTING_FLAGS, type Settings, settingsFromFlags } from "../config.ts";
import type { Env } from "../env.ts";
import { CmdaiError, ExitCode, oneLine } from "../errors.ts";
import { parseLeadingFlags } from "../flags.ts";
import type { IO } from "../io.ts";
import type { RequestRuntime } from "./request.ts";
import { ratingFields, riskLine } from "../safety/report.ts";

const USAGE =
  "usage: cmdai explain [--json] [--shell zsh|fish|bash] [--backend B --url U --remote-model M] [--] COMMAND…";

/** `cmdai explain --help`. */
export const EXPLAIN_HELP = `${USAGE}

Says what a command does, part by part (from the model), and rates its risk (from
cmdai's safety rules, without a model). Nothing is run. Quotes are optional:
cmdai explain find . -name '*.log' -delete
  --json      one line of JSON: command, summary, parts [{part, meaning}], risk, rules
  --shell     the shell the command is for (default: from $SHELL)
`;

/** A parsed `cmdai explain`. */
export interface ExplainArgs {
  kind: "explain";
  command: string;
  shell: Shell;
  json: boolean;
  /** `--widget`: plain text for the shells' explain key, to show below the line. */
  widget: boolean;
  /** Settings the flags give (`--backend` …), by the variable each stands for. */
  settings?: Record<string, string>;
}

/** Parses what follows `cmdai explain`; undefined for `--help`. */
export function parseExplainArgs(args: string[], env: Env): ExplainArgs | undefined {
  const { values, rest } = parseLeadingFlags(args, {
    json: { type: "boolean" },
    widget: { type: "boolean" },
    shell: { type: "string" },
    help: { type: "boolean", short: "h" },
    ...SETTING_FLAGS,
  }, USAGE);
  if (values.help) return undefined;
  const command = rest.join(" ").trim();
  if (!command) throw new CmdaiError(ExitCode.usage, `no command to explain; ${USAGE}`);
  return {
    kind: "explain",
    command,
    shell: values.shell === undefined ? detectShell(env) : parseShell(values.shell),
    json: values.json ?? false,
    widget: values.widget ?? false,
    settings: settingsFromFlags(values),
  };
}

/** Runs `cmdai explain ARGS` in this process; returns the exit code. */
export async function runExplainCommand(args: string[], io: IO, env: Settings): Promise<number> {
  const parsed = parseExplainArgs(args, env);
  if (!parsed) {
    io.stdout(EXPLAIN_HELP);
    return ExitCode.ok;
  }
  const settings = env.withFlags(parsed.settings ?? {});
  // The warm server answers when it can; otherwise this process does, the same way.
  const { requestViaServer } = await import("../server/client.ts");
  const code = await requestViaServer(parsed, io, settings);
  if (code !== undefined) return code;
  return await runExplain(parsed, io, settings);
}

/** Explains one command; returns the exit code. */
export async function runExplain(
  args: ExplainArgs,
  io: IO,
  env: Env,
  runtime: RequestRuntime = {},
): Promise<number> {
  const started = performance.now();
  const { createRater } = await import("../safety/mod.ts");
  return await withBackend(
    env,
    io.signal,
    { load: runtime.backend },
    createRater(),
    async (backend, rater, signal, loadMs) => {
      const explained = await describeCommand(
        args.command,
        args.shell,
        backend,
        rater,
        signal,
        runtime.cwd,
      );
      if (!args.json) {
        const style = makeStyle(io.colour && !args.widget);
        io.stdout(formatExplained(explained, style, !args.widget));
        return ExitCode.ok;
      }
      io.stdout(
        JSON.stringify({
          command: explained.command,
          summary: explained.description.summary,
          parts: explained.description.parts,
          ...ratingFields(explained.rating),
          shell: args.shell,
          backend: backend.kind,
          model: backend.model,
          ...(backend.url ? { url: backend.url } : {}),
          timings: {
            load_ms: Math.round(loadMs),
            generate_ms: Math.round(explained.generateMs),
            total_ms: Math.round(performance.now() - started),
          },
          tokens: explained.tokens,
        }) + "\n",
      );
      return ExitCode.ok;
    },
  );
}

/**
 * The explanation as text: the command (unless the line already shows it),
 * the summary, the parts in two columns, and the risk with its reasons.
 */
export function formatExplained(e: Explained, style: Style, withCommand = true): string {
  const lines: string[] = [];
  const indent = withCommand ? "  " : "";
  if (withCommand) lines.push(style.bold(oneLine(e.command)));
  lines.push(indent + e.description.summary);
  const width = Math.min(32, Math.max(0, ...e.description.parts.map((p) => p.part.length)));
  for (const p of e.description.parts) {
    const part = oneLine(p.part);
    lines.push(
      part.length > width
        ? `${indent}  ${style.dim(part)}\n${indent}  ${" ".repeat(width)}  ${p.meaning}`
        : `${indent}  ${style.dim(part.padEnd(width))}  ${p.meaning}`,
    );
  }
  lines.push(indent + riskLine(e.rating, { paint: style.risk }));
  return lines.join("\n") + "\n";
}
