/**
 * Command-line parsing for a request (`cmdai [flags] [--] request…`) and the
 * help text. Subcommands (`init`, `model`, `check`) parse their own flags.
 *
 * @module
 */

import { detectShell, parseShell, SHELLS } from "./answer/context.ts";
import { CmdaiError, ExitCode } from "./errors.ts";
import type { Env } from "./env.ts";
import { parseFlags } from "./flags.ts";
import { settingsFromFlags } from "./config.ts";
import { SETTING_LIST } from "./settings.ts";
import type { RequestArgs } from "./answer/args.ts";

/** A flag, as the parser reads it and the shells complete it. */
export interface Flag {
  type: "string" | "boolean";
  short?: string;
  /** Given more than once, each value kept. */
  multiple?: true;
  /** What it does, in a few words (completion menus). */
  about: string;
  /** What its value can be: a fixed list, any file, or a GGUF file. */
  values?: readonly string[] | "file" | "gguf";
  /** The shell widget's own: not offered to people. */
  hidden?: true;
}

/** A command: what it does, its flags, and what the words after it can be. */
export interface CommandSpec {
  about: string;
  flags: Readonly<Record<string, Flag>>;
  /** The words after the subcommand: a fixed list (the first), a file, a command; none if unset. */
  words?: readonly string[] | "file" | "command";
}

const help = { help: { type: "boolean", short: "h", about: "show help" } } as const;
const json = { json: { type: "boolean", about: "one line of JSON" } } as const;
const shell = (about: string) => ({ shell: { type: "string", about, values: SHELLS } }) as const;
const widget = {
  widget: { type: "boolean", about: "the shell widget's frame", hidden: true },
} as const;

/** The flags that set a setting (`--backend` …), from the settings table. */
const settingFlags: Readonly<Record<string, Flag>> = Object.fromEntries(
  SETTING_LIST.filter((s) => s.flag !== undefined).map((s) => [s.flag!, {
    type: "string",
    about: s.about ?? s.env,
    values: s.kind.type === "oneOf" ? s.kind.values : s.flag === "model" ? "gguf" : undefined,
  }]),
);

/**
 * Every command's flags, once: what each command's parser reads, and what
 * `cmdai init` turns into each shell's completions. `request` is cmdai with
 * no subcommand.
 */
export const COMMANDS = {
  request: {
    about: "a command for a request",
    flags: {
      ...shell("shell to write for"),
      ...json,
      ...widget,
      enter: { type: "boolean", about: "the widget's Enter key", hidden: true },
      session: { type: "string", about: "the widget's shell session", hidden: true },
      recent: {
        type: "string",
        multiple: true,
        about: "a recent command of the widget's shell",
        hidden: true,
      },
      known: { type: "string", about: "the widget's aliases and functions", hidden: true },
      "print-prompt": { type: "boolean", about: "print what the model would be sent" },
      ...help,
      version: { type: "boolean", short: "V", about: "show the version" },
      ...settingFlags,
    },
  },
  init: {
    about: "print the shell integration",
    flags: {
      key: { type: "string", about: "key to bind" },
      "explain-key": { type: "string", about: "key that explains the line" },
      "no-bind": { type: "boolean", about: "bind no keys" },
      ...help,
    },
    words: ["zsh", "fish", "bash"],
  },
  model: {
    about: "list, locate or download models",
    flags: { model: { type: "string", about: "the model to use", values: "gguf" }, ...help },
    words: ["list", "path", "pull"],
  },
  check: {
    about: "rate a command for safety",
    flags: {
      ...json,
      jsonl: { type: "boolean", about: "JSON lines from stdin" },
      ...shell("shell the command is for"),
      ...help,
    },
    words: "command",
  },
  explain: {
    about: "explain what a command does",
    flags: { ...json, ...widget, ...shell("shell the command is for"), ...help, ...settingFlags },
    words: "command",
  },
  config: {
    about: "show the settings or the config file",
    flags: { ...json, ...help },
    words: ["path"],
  },
  doctor: { about: "check why cmdai does or does not work", flags: { ...json, ...help } },
  eval: {
    about: "score the model on a file of requests",
    flags: {
      limit: { type: "string", about: "only the first N requests" },
      jobs: { type: "string", about: "requests at a time" },
      ...shell("target shell"),
      timeout: { type: "string", about: "seconds per request" },
      out: { type: "string", about: "JSON lines per request", values: "file" },
      ...json,
      ...help,
      ...settingFlags,
    },
    words: "file",
  },
  serve: {
    about: "the resident server",
    flags: {
      status: { type: "boolean", about: "state of the server" },
      stop: { type: "boolean", about: "stop the server" },
      ...json,
      ...help,
    },
  },
} as const satisfies Record<string, CommandSpec>;

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
/** History entries a widget sends at most; `CMDAI_HISTORY` picks how many the model is told. */
export const MAX_RECENT = 10;
/** Alias and function names a widget sends at most (a large zsh set-up has a few thousand). */
export const MAX_KNOWN = 20_000;

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
  const parsed = parseFlags(args, COMMANDS.request.flags, "see cmdai --help");
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
  const shellContext = values.recent !== undefined || values.known !== undefined;
  if (shellContext && !values.widget && !values["print-prompt"]) {
    throw new CmdaiError(
      ExitCode.usage,
      "--recent and --known are for the shell widget (--widget) and --print-prompt",
    );
  }
  if (values["print-prompt"] && values.widget) {
    throw new CmdaiError(ExitCode.usage, "--print-prompt is not for the shell widget (--widget)");
  }
  const asked: RequestArgs = {
    kind: "request",
    request,
    shell: values.shell === undefined ? detectShell(env) : parseShell(values.shell),
    json: values.json ?? false,
    widget: values.widget ?? false,
    enter: values.enter ?? false,
  };
  if (values.session !== undefined) asked.session = parseSession(values.session as string);
  if (values.recent !== undefined) asked.recent = (values.recent as string[]).slice(-MAX_RECENT);
  if (values.known !== undefined) {
    asked.known = (values.known as string).split("\n").filter(Boolean).slice(0, MAX_KNOWN);
  }
  if (values["print-prompt"]) asked.printPrompt = true;
  return { kind: "request", args: asked, settings: settingsFromFlags(values) };
}

/** `cmdai --help`. */
export const HELP = `cmdai — turn what you type into a shell command, offline

Usage:
  cmdai [flags] [--] <request…>     print a command for the request
  cmdai explain [--json] <command…> what a command does, part by part, and its risk
  cmdai check [--json|--jsonl] <command…>
                                    rate a command's risk (no model)
  cmdai init zsh|fish|bash          print the shell integration (Ctrl-G, Alt-G)
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
