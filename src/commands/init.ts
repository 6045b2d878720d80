/**
 * `cmdai init zsh|fish|bash [--key KEY] [--explain-key KEY|none] [--no-bind]`:
 * prints the shell integration (the widgets, their key bindings and
 * completions for cmdai) for `eval "$(cmdai init zsh)"`,
 * `cmdai init fish | source` or `eval "$(cmdai init bash)"`.
 *
 * The script names the cmdai that printed it, by absolute path, so the key
 * works whatever order PATH and the integration line are set in.
 *
 * @module
 */

import type { Env } from "../env.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import { parseFlags } from "../flags.ts";
import { COMMANDS, type CommandSpec, type Flag, MAX_RECENT, SUBCOMMANDS } from "../cli.ts";
import { installedPath } from "../self.ts";
import { setting, SETTINGS } from "../settings.ts";

const SUPPORTED = ["zsh", "fish", "bash"] as const;
type InitShell = typeof SUPPORTED[number];

const USAGE = "usage: cmdai init zsh|fish|bash [--key KEY] [--explain-key KEY|none] [--no-bind]";

/** `cmdai init --help`. */
export const INIT_HELP = `${USAGE}

Prints the shell integration for eval "$(cmdai init zsh)", cmdai init fish | source or
eval "$(cmdai init bash)" (bash 4.0 or newer): Ctrl-G turns the request on the line into
a command; Alt-G explains the command on the line, below it, leaving the line as it is.
  --key KEY          the key to bind instead of Ctrl-G (default: $CMDAI_KEY, then ^G), in
                     caret notation: ^X^G is Ctrl-X then Ctrl-G, ^[g (or \\eg) is Alt-G
  --explain-key KEY  the key to bind instead of Alt-G (default: $CMDAI_EXPLAIN_KEY, then
                     ^[g), the same notation; none binds no explain key. An empty
                     CMDAI_EXPLAIN_KEY counts as unset. When the request key is Alt-G, the
                     default explain key is not bound; naming one key for both is an error
  --no-bind          bind no key; bind the widgets yourself (zsh: cmdai-widget,
                     cmdai-explain and cmdai-accept-line; fish and bash: cmdai_widget,
                     cmdai_explain and cmdai_enter)
Set CMDAI_COMMENT_ENTER=0 to keep Enter from turning "# request" lines into commands.
`;

/** A key sequence as each shell's `bind`/`bindkey` spells it, and as a person reads it. */
export interface Key {
  zsh: string;
  fish: string;
  /** readline's spelling, for bash's `bind`: `\C-g`, `\eg`. */
  bash: string;
  name: string;
}

/**
 * Parses a key in caret notation: `^G` is Ctrl-G, `^X^G` two keys, `^[` or
 * `\e` is Escape (so `^[g` is Alt-G), other printable ASCII stands for itself.
 */
export function parseKey(spec: string): Key {
  const keys: { code: number; name: string }[] = [];
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === "^" && i + 1 < spec.length) {
      const n = spec[++i].toUpperCase();
      const code = n === "?" ? 0x7f : n.charCodeAt(0) - 64;
      if (code !== 0x7f && (code < 0 || code > 31)) throw badKey(spec);
      keys.push({ code, name: code === 27 ? "Esc" : `Ctrl-${n}` });
    } else if (c === "\\" && spec[i + 1] === "e") {
      i++;
      keys.push({ code: 27, name: "Esc" });
    } else if (c >= " " && c <= "~" && c !== "\\") {
      keys.push({ code: c.charCodeAt(0), name: c });
    } else {
      throw badKey(spec);
    }
  }
  if (keys.length === 0) throw badKey(spec);
  const names: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    // Escape then a key is how terminals send Alt and that key.
    if (keys[i].code === 27 && i + 1 < keys.length && keys[i + 1].code > 32) {
      // Alt-G is Escape then g; Escape then G is Alt-Shift-G.
      const name = keys[++i].name;
      names.push(
        /^[a-z]$/.test(name)
          ? `Alt-${name.toUpperCase()}`
          : /^[A-Z]$/.test(name)
          ? `Alt-Shift-${name}`
          : `Alt-${name}`,
      );
    } else names.push(keys[i].name);
  }
  return {
    zsh: keys.map(({ code }) =>
      code === 0x7f
        ? "^?"
        : code < 32
        ? `^${String.fromCharCode(code + 64)}`
        : code === 0x5e || code === 0x5c
        ? `\\${String.fromCharCode(code)}`
        : String.fromCharCode(code)
    ).join(""),
    fish: keys.map(({ code }) =>
      code === 27
        ? "\\e"
        : code < 32
        ? `\\c${String.fromCharCode(code + 96)}`
        : /[A-Za-z0-9]/.test(String.fromCharCode(code))
        ? String.fromCharCode(code)
        : `\\x${code.toString(16).padStart(2, "0")}`
    ).join(""),
    bash: keys.map(({ code }) =>
      code === 27
        ? "\\e"
        : code === 0x7f
        ? "\\C-?"
        : code < 32
        ? `\\C-${String.fromCharCode(code + 64).toLowerCase().replace("\\", "\\\\")}`
        : code === 0x22 || code === 0x5c
        ? `\\${String.fromCharCode(code)}`
        : String.fromCharCode(code)
    ).join(""),
    name: names.join(" "),
  };
}

function badKey(spec: string): CmdaiError {
  return new CmdaiError(
    ExitCode.usage,
    `cannot read the key "${spec}" (use caret notation: ^G, ^X^G, ^[g)`,
  );
}

/** zsh: a double-quoted word. */
function zshQuote(text: string): string {
  return `"${text.replace(/[\\"$`]/g, "\\$&")}"`;
}

/**
 * zsh: the whole script, run by `emulate -o no_aliases -c` as one single-quoted word, so that
 * none of the user's aliases is expanded in the functions it defines (each word of the command
 * quoted, so that no alias of `emulate` runs either).
 */
function zshNoAliases(script: string): string {
  return `'builtin' 'emulate' 'zsh' '-o' 'no_aliases' '-c' ${shQuote(`\n${script}`)}\n`;
}

/** fish: a single-quoted word. */
function fishQuote(text: string): string {
  return `'${text.replace(/[\\']/g, "\\$&")}'`;
}

/** bash (and zsh, for the whole script): a single-quoted word. */
function shQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The integration script for `cmdai init ARGS`, read from the `shell/` folder beside `src/`. */
export async function initScript(args: string[], env: Env = Deno.env): Promise<string> {
  const parsed = parseFlags(args, COMMANDS.init.flags, USAGE);
  const { values, positionals } = parsed;
  if (values.help) return INIT_HELP;
  const [shell, ...rest] = positionals;
  if (shell === undefined || rest.length > 0) throw new CmdaiError(ExitCode.usage, USAGE);
  if (!(SUPPORTED as readonly string[]).includes(shell)) {
    throw new CmdaiError(
      ExitCode.usage,
      `no shell integration for "${shell}" (supported: ${SUPPORTED.join(", ")})`,
    );
  }
  const { key, explainKey } = shellKeys(env, values.key, values["explain-key"]);
  const read = (name: string) => Deno.readTextFile(new URL(`../../shell/${name}`, import.meta.url));
  const script = await read(`cmdai.${shell}`);
  const filled = fillIn(script, shell as InitShell, {
    installed: installedPath(env),
    key,
    explainKey,
    bind: !values["no-bind"],
    // Defaults for what the widgets read at each press, from the config file or the variables.
    commentEnter: setting(env, "commentEnter"),
    // fish and bash have no sockets: their widgets ask a warm server through this perl script.
    perlClient: shell === "zsh" ? "" : await read("cmdai-client.pl"),
  });
  return shell === "zsh" ? zshNoAliases(filled) : filled;
}

/**
 * The request key and the explain key (undefined: none) from the flags, else
 * the settings; a key that cannot be read, or one key named for both, is a
 * usage error.
 */
export function shellKeys(
  env: Env,
  keyFlag?: string,
  explainFlag?: string,
): { key: Key; explainKey?: Key } {
  const key = parseKey(keyFlag ?? setting(env, "key"));
  const explainKey = pickExplainKey(
    explainFlag ?? (env.get("CMDAI_EXPLAIN_KEY") || undefined),
    key,
  );
  return { key, explainKey };
}

/**
 * The explain key: `spec` (from --explain-key or CMDAI_EXPLAIN_KEY), else Alt-G;
 * undefined for none. The default gives way to a request key that is Alt-G too;
 * a key named for both is an error.
 */
function pickExplainKey(spec: string | undefined, key: Key): Key | undefined {
  if (spec?.trim().toLowerCase() === "none") return undefined;
  const explain = parseKey(spec ?? SETTINGS.explainKey.fallback);
  if (explain.zsh !== key.zsh) return explain;
  if (spec === undefined) return undefined;
  throw new CmdaiError(
    ExitCode.usage,
    `the explain key ${explain.name} is the request key too (choose another, or none)`,
  );
}

/** Writes the settings into the script's `@CMDAI_…@` slots, quoted for its shell. */
function fillIn(
  script: string,
  shell: InitShell,
  s: {
    installed: string;
    key: Key;
    explainKey: Key | undefined;
    bind: boolean;
    perlClient: string;
    commentEnter: boolean;
  },
): string {
  const quote = { zsh: zshQuote, fish: fishQuote, bash: shQuote }[shell];
  const slots: Record<string, string> = {
    "@CMDAI_INSTALLED@": quote(s.installed),
    "@CMDAI_KEY@": shell === "fish" ? s.key.fish : quote(s.key[shell]),
    "@CMDAI_KEY_NAME@": quote(s.key.name),
    // No explain key: zsh and bash bind none for "", fish for an empty list.
    "@CMDAI_EXPLAIN_KEY@": shell === "fish"
      ? s.explainKey?.fish ?? ""
      : quote(s.explainKey?.[shell] ?? ""),
    "@CMDAI_EXPLAIN_KEY_NAME@": quote(s.explainKey?.name ?? "the explain key"),
    "@CMDAI_BIND@": s.bind ? "1" : "0",
    "@CMDAI_PERL_CLIENT@": quote(s.perlClient),
    "@CMDAI_COMMENT_ENTER@": s.commentEnter ? "1" : "0",
    "@CMDAI_MAX_RECENT@": String(MAX_RECENT),
    "@CMDAI_COMPLETIONS@": { zsh: zshCompletions, fish: fishCompletions, bash: bashCompletions }
      [shell](),
  };
  return script.replace(/@CMDAI_[A-Z_]+@/g, (slot) => {
    if (!(slot in slots)) throw new Error(`unknown slot ${slot} in shell/cmdai.${shell}`);
    return slots[slot];
  });
}

/** Text fit for the completion scripts: no quotes, brackets or colons to escape. */
function plain(text: string): string {
  return text.replace(/['"`$\\[\]:]/g, "");
}

const visible = (flags: Readonly<Record<string, Flag>>) =>
  Object.entries(flags).filter(([, f]) => !f.hidden);

/** zsh's completion function for cmdai, from {@link COMMANDS}: `_arguments` specs per command. */
export function zshCompletions(): string {
  const spec = ([name, f]: [string, Flag]) => {
    const names = f.short ? `"(-${f.short} --${name})"{-${f.short},--${name}}` : `"--${name}`;
    const head = f.short ? `${names}"[${plain(f.about)}]` : `${names}[${plain(f.about)}]`;
    if (f.type === "boolean") return `${head}"`;
    const value = Array.isArray(f.values)
      ? `(${f.values.join(" ")})`
      : f.values === "gguf"
      ? '_files -g \\"*.gguf\\"'
      : f.values === "file"
      ? "_files"
      : "";
    return `${head}:${name}:${value}"`;
  };
  const words = (c: CommandSpec, name: string) =>
    Array.isArray(c.words)
      ? [`"2:${name}:(${c.words.join(" ")})"`]
      : c.words === "file"
      ? ['"2:file:_files"']
      : c.words === "command"
      ? ['"2:command:_command_names -e" "*:argument:_files"']
      : [];
  const cases = SUBCOMMANDS.map((n) => {
    const c: CommandSpec = COMMANDS[n];
    return `    ${n}) _arguments ${[...visible(c.flags).map(spec), ...words(c, n)].join(" ")} ;;`;
  });
  const names = [...SUBCOMMANDS, "help" as const];
  return [
    "_cmdai() {",
    "  setopt local_options ${_comp_options[@]}",
    `  local -a subcommands=(${
      names.map((n) => `"${n}:${plain(n === "help" ? "show help" : COMMANDS[n].about)}"`)
        .join(" ")
    })`,
    "  if (( CURRENT == 2 )) && [[ ${words[2]} != -* ]]; then",
    '    _describe -t commands "cmdai subcommand" subcommands',
    "    return",
    "  fi",
    "  case ${words[2]} in",
    ...cases,
    `    help) _arguments "2:subcommand:(${SUBCOMMANDS.join(" ")})" ;;`,
    // A request is words of the user's own: nothing to complete but the flags.
    `    *) _arguments ${visible(COMMANDS.request.flags).map(spec).join(" ")} ;;`,
    "  esac",
    "}",
  ].join("\n");
}

/** fish's completions for cmdai, from {@link COMMANDS}: one `complete` line per word or flag. */
export function fishCompletions(): string {
  const lines = ["complete -c cmdai -f"];
  const add = (when: string, what: string, about: string) =>
    lines.push(`complete -c cmdai -n ${when} ${what} -d '${plain(about)}'`);
  const flag = (when: string, [name, f]: [string, Flag]) => {
    const short = f.short ? ` -s ${f.short}` : "";
    const value = f.type === "boolean"
      ? ""
      : Array.isArray(f.values)
      ? ` -x -a '${f.values.join(" ")}'`
      : f.values
      ? " -r -F"
      : " -x";
    add(when, `-l ${name}${short}${value}`, f.about);
  };
  for (const name of [...SUBCOMMANDS, "help" as const]) {
    add(
      "__fish_use_subcommand",
      `-a ${name}`,
      name === "help" ? "show help" : COMMANDS[name].about,
    );
  }
  for (const name of SUBCOMMANDS) {
    const c: CommandSpec = COMMANDS[name];
    const when = `'__fish_seen_subcommand_from ${name}'`;
    if (Array.isArray(c.words)) add(when, `-a '${c.words.join(" ")}'`, c.about);
    else if (c.words === "file") lines.push(`complete -c cmdai -n ${when} -F`);
    for (const f of visible(c.flags)) flag(when, f);
  }
  lines.push(
    "complete -c cmdai -n '__fish_seen_subcommand_from help; and test (count (commandline -opc)) -eq 2' " +
      `-a '${SUBCOMMANDS.join(" ")}'`,
  );
  for (const f of visible(COMMANDS.request.flags)) flag("__fish_use_subcommand", f);
  return lines.join("\n");
}

/**
 * bash's completion function for cmdai, from {@link COMMANDS}, for `complete -F`: the
 * subcommands, then per command its flags (after `-`), a flag's values, and its words.
 */
export function bashCompletions(): string {
  // What completes a flag's value: a fixed list, files, or nothing (any text).
  const valueCases = (flags: Readonly<Record<string, Flag>>) =>
    visible(flags).filter(([, f]) => f.type === "string").map(([name, f]) =>
      `        --${name}) ${
        Array.isArray(f.values)
          ? `words="${f.values.join(" ")}"`
          : f.values === "gguf"
          ? "files=gguf"
          : f.values === "file"
          ? "files=all"
          : "return"
      } ;;`
    );
  const flagWords = (flags: Readonly<Record<string, Flag>>) =>
    visible(flags).flatMap(([name, f]) => f.short ? [`--${name}`, `-${f.short}`] : [`--${name}`])
      .join(" ");
  // After a flag that takes a value, its values; else the flags and the command's words.
  const branch = (pattern: string, c: CommandSpec, words: string[]) => [
    `    ${pattern})`,
    "      case $prev in",
    ...valueCases(c.flags),
    "        *)",
    `          flags="${flagWords(c.flags)}"`,
    ...words.map((w) => `          ${w}`),
    "          ;;",
    "      esac",
    "      ;;",
  ];
  const cases = SUBCOMMANDS.flatMap((n) => {
    const c: CommandSpec = COMMANDS[n];
    const words = Array.isArray(c.words)
      ? [`((COMP_CWORD == 2)) && words="${c.words.join(" ")}"`]
      : c.words === "file"
      ? ["files=all"]
      : c.words === "command"
      ? ["((COMP_CWORD == 2)) && files=command || files=all"]
      : [];
    return branch(n, c, words);
  });
  return [
    "_cmdai() {",
    "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} flags= words= files=",
    "  COMPREPLY=()",
    "  if ((COMP_CWORD == 1)) && [[ $cur != -* ]]; then",
    `    words="${[...SUBCOMMANDS, "help"].join(" ")}"`,
    "  else",
    "    case ${COMP_WORDS[1]} in",
    ...cases,
    `    help) ((COMP_CWORD == 2)) && words="${SUBCOMMANDS.join(" ")}" ;;`,
    // A request is words of the user's own: nothing to complete but the flags.
    ...branch("*", COMMANDS.request, []),
    "    esac",
    "  fi",
    "  [[ $cur == -* ]] && words=$flags files=",
    "  local IFS=$'\\n'",
    '  COMPREPLY=($(compgen -W "${words// /$IFS}" -- "$cur"',
    '    if [[ $files == all ]]; then compgen -f -- "$cur"',
    '    elif [[ $files == gguf ]]; then compgen -d -- "$cur"; compgen -f -X \'!*.gguf\' -- "$cur"',
    '    elif [[ $files == command ]]; then compgen -c -- "$cur"',
    "    fi))",
    "  [[ -n $files ]] && compopt -o filenames 2>/dev/null",
    "  return 0",
    "}",
  ].join("\n");
}
