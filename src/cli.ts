/**
 * Command-line parsing for a request (`cmdai [flags] [--] request…`) and the
 * help text. Subcommands (`init`, `model`, `check`) parse their own flags.
 *
 * @module
 */

import { detectShell, parseShell } from "./answer/context.ts";
import { CmdaiError, ExitCode } from "./errors.ts";
import type { Env } from "./env.ts";
import { parseFlags } from "./flags.ts";
import { SETTING_FLAGS, settingsFromFlags } from "./config.ts";
import type { RequestArgs } from "./answer/args.ts";

/** The subcommands; a first argument naming one is never read as a request. */
export const SUBCOMMANDS = [
  "init",
  "model",
  "check",
  "explain",
  "config",
  "doctor",
  "eval",
  "serve",
] as const;

/** A shell session's id as the widget passes it (`--session`); it names a file. */
export const SESSION_ID = /^[A-Za-z0-9_.-]{1,64}$/;

function parseSession(value: string): string {
  if (!SESSION_ID.test(value)) {
    throw new CmdaiError(
      ExitCode.usage,
      "--session takes letters, digits, '.', '_' and '-' (at most 64)",
    );
  }
  return value;
}

/** What the command line asks for. */
export type Invocation =
  | {
    kind: "request";
    args: RequestArgs;
    /** Settings the flags give (`--backend` …), by the variable each stands for. */
    settings: Record<string, string>;
  }
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "subcommand"; name: typeof SUBCOMMANDS[number]; args: string[] };

/**
 * Parses `args`. Everything after `--` is the request, so a line such as
 * `check disk space` or `-rf` passed by the widget is never a subcommand or a flag.
 */
export function parseInvocation(
  args: string[],
  env: Env = Deno.env,
): Invocation {
  const first = args[0];
  // `cmdai help` is --help, and `cmdai help check` is `cmdai check --help`.
  if (first === "help") {
    const [topic, ...rest] = args.slice(1);
    if (topic === undefined) return { kind: "help" };
    if (rest.length === 0 && (SUBCOMMANDS as readonly string[]).includes(topic)) {
      return { kind: "subcommand", name: topic as typeof SUBCOMMANDS[number], args: ["--help"] };
    }
    throw new CmdaiError(
      ExitCode.usage,
      `no help for "${args.slice(1).join(" ")}" (see cmdai --help)`,
    );
  }
  if ((SUBCOMMANDS as readonly string[]).includes(first)) {
    return { kind: "subcommand", name: first as typeof SUBCOMMANDS[number], args: args.slice(1) };
  }
  const parsed = parseFlags(args, {
    shell: { type: "string" },
    json: { type: "boolean" },
    widget: { type: "boolean" },
    enter: { type: "boolean" },
    session: { type: "string" },
    help: { type: "boolean", short: "h" },
    version: { type: "boolean", short: "V" },
    ...SETTING_FLAGS,
  }, "see cmdai --help");
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const request = positionals.join(" ").trim();
  if (!request) {
    throw new CmdaiError(ExitCode.usage, "no request given (see cmdai --help)");
  }
  if ((values.enter || values.session !== undefined) && !values.widget) {
    throw new CmdaiError(
      ExitCode.usage,
      "--enter and --session are for the shell widget (--widget)",
    );
  }
  const asked: RequestArgs = {
    kind: "request",
    request,
    shell: values.shell === undefined ? detectShell(env) : parseShell(values.shell),
    json: values.json ?? false,
    widget: values.widget ?? false,
    enter: values.enter ?? false,
  };
  if (values.session !== undefined) asked.session = parseSession(values.session);
  return { kind: "request", args: asked, settings: settingsFromFlags(values) };
}

/** `cmdai --help`. */
export const HELP = `cmdai — turn what you type into a shell command, offline

Usage:
  cmdai [flags] [--] <request…>     print a command for the request
  cmdai explain [--json] <command…> what a command does, part by part, and its risk
  cmdai check [--json|--jsonl] <command…>
                                    rate a command's risk (no model)
  cmdai init zsh|fish               print the shell integration (Ctrl-G, Alt-G)
  cmdai model list|path|pull        manage the local model
  cmdai config [path]               the settings in effect and where each comes from
  cmdai doctor                      check the setup, one line a check, with fixes
  cmdai eval FILE                   score the backend on a TSV of requests
  cmdai serve [--status|--stop]     the resident server (started by requests)
  cmdai help [subcommand]           this help, or a subcommand's

Flags:
  --shell zsh|fish|bash   shell to write for (default: from $SHELL)
  --json                  one line of JSON on stdout (errors too)
  --model PATH|hf:owner/repo/file.gguf
                          GGUF model for the embedded backend (default:
                          Qwen2.5-Coder-1.5B-Instruct Q4_K_M)
  --backend embedded|ollama|openai
                          what answers (default: embedded, llama.cpp here)
  --url URL               the ollama or openai server's address
  --remote-model NAME     the model's name on that server
  -h, --help              show this help
  -V, --version           show the version
  --                      end of flags: the rest is the request

Settings come from flags, then CMDAI_* variables, then the config file
(~/.config/cmdai/config.toml; cmdai config lists every key), then defaults:
  CMDAI_MODEL     model path or hf: spec      CMDAI_THREADS  CPU threads
  CMDAI_TIMEOUT   seconds per request (30)    CMDAI_POLICY   strict|moderate|permissive
  CMDAI_BACKEND   embedded|ollama|openai      CMDAI_URL      remote server's address
  CMDAI_REMOTE_MODEL  model name on it        CMDAI_API_KEY  its API key
  CMDAI_SERVER=0  answer in this process      CMDAI_IDLE     server idle exit (900 s)
  HF_ENDPOINT     hub address for downloads   HF_TOKEN       hub access token
  NO_COLOR        plain output

A trailing comment revises a command: cmdai 'git log --oneline  # only mine'.

Exit codes: 0 done (at any risk), 1 runtime error, 2 usage, 3 model missing or
corrupt, 4 inference failed or timed out, 5 not placed on the line (widget),
6 the line asks nothing (widget Enter), 130 interrupted.
`;
