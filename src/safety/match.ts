/**
 * Small readers and predicates shared by rules and the wrapper expander: what a command reads
 * on stdin, what code a shell or interpreter runs, block devices, secret and dump files.
 *
 * @module
 */

import { commandName, type Invocation, makeInvocation } from "./command.ts";
import { decodeAnsiC } from "../syntax/words.ts";
import { hasAnyOption, readOptions } from "./options.ts";
import {
  canonical,
  DOWNLOADERS,
  INTERPRETERS,
  type OptionSpec,
  program,
  SHELLS,
} from "./programs.ts";
import type { ToolRead } from "./tools.ts";

// --- code run by shells and interpreters ---

/** What code a shell or interpreter runs, as far as the line shows. */
export interface CodeRead {
  /** Code given on the line (`bash -c CODE`, `perl -e CODE`, `pwsh -Command …`). */
  inline?: string;
  /** It reads its code from stdin (`curl … | sh`, `python3 -`, `sh -s -- args`). */
  stdin: boolean;
}

/** PowerShell's `-EncodedCommand`: base64 of UTF-16LE text. */
function decodePwsh(text: string): string | undefined {
  try {
    const bytes = Uint8Array.from(atob(text.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
    return new TextDecoder("utf-16le").decode(bytes);
  } catch {
    return undefined;
  }
}

const codeCache = new WeakMap<Invocation, CodeRead>();

/** Reads a shell or interpreter invocation through its registry row; undefined for others. */
export function readCode(inv: Invocation): CodeRead | undefined {
  if (!runsCode(inv)) return undefined;
  const spec = program(inv.key)!;
  let code = codeCache.get(inv);
  if (!code) codeCache.set(inv, code = codeOf(inv, spec));
  return code;
}

function codeOf(inv: Invocation, spec: OptionSpec): CodeRead {
  const r = readOptions(inv.args, spec);
  if (hasAnyOption(r, spec.stdinFlag)) return { stdin: true };
  for (const name of spec.code ?? []) {
    const v = r.options.get(name);
    if (typeof v !== "string") continue;
    if (v === "-") return { stdin: true };
    if (spec.singleDash && /^-(encodedcommand|enc|ec|e)$/.test(name)) {
      return { inline: decodePwsh(v), stdin: false };
    }
    // PowerShell's -Command takes the rest of the line.
    return { inline: spec.singleDash ? [v, ...r.rest].join(" ") : v, stdin: false };
  }
  if (hasAnyOption(r, spec.codeFlag)) return { inline: r.rest[0], stdin: false };
  if (spec.codeWord && r.rest[0] === spec.codeWord) return { inline: r.rest[1], stdin: false };
  if (hasAnyOption(r, spec.script)) return { stdin: false };
  const script = r.rest[0];
  return { stdin: script === undefined || script === "-" || script === "/dev/stdin" };
}

/** True for a shell or a language interpreter (something that runs code it is given). */
export function runsCode(inv: Invocation): boolean {
  return SHELLS.has(inv.key) || INTERPRETERS.has(inv.key);
}

/** True when code read from a shell's or interpreter's stdin is what it runs. */
export function readsCodeFromStdin(inv: Invocation): boolean {
  return readCode(inv)?.stdin ?? false;
}

// --- stdin ---

/** Every command upstream of `inv` in its pipeline (following pipes transitively). */
export function upstream(inv: Invocation): Invocation[] {
  const out: Invocation[] = [];
  const seen = new Set<Invocation>();
  // Iterative: a pipeline can have thousands of stages.
  const todo = [inv];
  while (todo.length > 0) {
    const i = todo.pop()!;
    if (i.stdin?.kind !== "commands") continue;
    for (const src of i.stdin.from) {
      if (seen.has(src)) continue;
      seen.add(src);
      out.push(src);
      todo.push(src);
    }
  }
  return out;
}

/**
 * The text a command reads on stdin when the line spells it out: a here-string or
 * here-document, or what the command piped into it prints ({@link printedBy}).
 */
export function stdinLiteral(inv: Invocation): string | undefined {
  const stdin = inv.stdin;
  if (!stdin) return undefined;
  if (stdin.kind === "text") return stdin.text;
  return stdin.from.length === 1 ? printedBy(stdin.from[0]) : undefined;
}

/**
 * What a command prints, when the line spells it out: `echo` and `printf` of literal words
 * (their escapes decoded: `printf '\\x72\\x6d'` prints `rm`), `cat <<EOF`, a decoder fed a
 * literal (`echo cm0gLXJmIC8K | base64 -d`), and the path `which rm` or `command -v rm` finds.
 */
export function printedBy(src: Invocation): string | undefined {
  if (src.key === "echo" || src.key === "printf") {
    if (src.args.some((w) => /\$\(|`/.test(w))) return undefined;
    return src.key === "echo" ? echoed(src.args) : printfed(src.args);
  }
  if (src.key === "cat" && src.args.length === 0 && src.stdin?.kind === "text") {
    return src.stdin.text;
  }
  const found = src.key === "which" || (src.key === "command" && /^-[vV]$/.test(src.args[0])) ||
    (src.key === "type" && /^-[pP]$/.test(src.args[0]));
  if (found) return src.args[src.args.length - 1];
  // Encoded text decoded on the way (`echo cm0gLXJmIC8K | base64 -d | sh`).
  const decoded = decoder(src);
  const input = decoded && stdinLiteral(src);
  if (!decoded || input === undefined) return undefined;
  try {
    return decoded(input.trim());
  } catch {
    return undefined;
  }
}

/** `echo [-neE] WORDS`: the words, escapes decoded with `-e`; `\\n` is read as a newline. */
function echoed(args: readonly string[]): string {
  let i = 0;
  let escapes = false;
  for (; i < args.length && /^-[neE]+$/.test(args[i]); i++) escapes ||= args[i].includes("e");
  const text = args.slice(i).join(" ");
  return escapes ? decodeAnsiC(text) : text.replace(/\\n/g, "\n");
}

/** `printf FORMAT VALUES…`: the format's escapes decoded and `%s`/`%b`/`%d` filled in order. */
function printfed(args: readonly string[]): string | undefined {
  if (args[0] === "-v") return undefined; // assigns a variable, prints nothing
  const [format = "", ...values] = args[0] === "--" ? args.slice(1) : args;
  let n = 0;
  let unknown = false;
  const text = decodeAnsiC(format).replace(/%(%|[-+ 0#]*\d*(?:\.\d+)?([sbdiqc]))/g, (_, spec) => {
    if (spec === "%") return "%";
    const v = values[n++];
    if (v === undefined) return "";
    return /[bq]$/.test(spec) ? decodeAnsiC(v) : v;
  }).replace(/%[a-zA-Z]/g, () => {
    unknown = true;
    return "";
  });
  return unknown ? undefined : text;
}

/** The literal pieces of a command's stdin, even when other producers feed it too. */
export function literalParts(inv: Invocation): string[] {
  const whole = stdinLiteral(inv);
  if (whole !== undefined) return [whole];
  if (inv.stdin?.kind !== "commands") return [];
  return inv.stdin.from.flatMap((src) => {
    const text = stdinLiteral(makeInvocation(["sh"], { stdin: { kind: "commands", from: [src] } }));
    return text === undefined ? [] : [text];
  });
}

/** A function that undoes what a decoding command does to its input, if it is one. */
export function decoder(cmd: Invocation): ((s: string) => string) | undefined {
  if (cmd.key === "base64" && cmd.args.some((a) => /^(-d|-D|--decode)$/.test(a))) {
    return (s) =>
      new TextDecoder().decode(
        Uint8Array.from(atob(s.replace(/\s+/g, "")), (c) => c.charCodeAt(0)),
      );
  }
  if (cmd.key === "xxd" && cmd.args.some((a) => /^-r/.test(a))) {
    return (s) => {
      const hex = s.replace(/[^0-9a-fA-F]/g, "");
      return new TextDecoder().decode(
        Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16)),
      );
    };
  }
  if (cmd.key === "rev") return (s) => [...s].reverse().join("");
  return undefined;
}

/** `$(curl …)`, `<(wget …)` or backticks around a downloader, inside an argument. */
export const DOWNLOAD_SUBSTITUTION = new RegExp(
  String.raw`(\$\(|<\(|` + "`" + String.raw`)\s*(sudo\s+)?(` +
    // Raw sockets and `get` (a common word) aside.
    [...DOWNLOADERS].filter((d) => !/^(nc|ncat|socat|get)$/.test(d)).join("|") +
    String.raw`)\b`,
  "i",
);

// --- commands run by others ---

/**
 * The command a command line comes down to past the wrappers that run their words as a
 * command (`sudo nice rm -f x` → `rm -f x`), as its program's registry name and arguments.
 * Wrappers that run code or do more (`sh -c`, `xargs`) are where it stops.
 */
export function innermost(argv: readonly string[]): { key: string; args: readonly string[] } {
  let words = argv;
  for (let depth = 0; depth < 8; depth++) {
    const key = canonical(commandName(words[0] ?? "").toLowerCase());
    const row = program(key);
    const runs = row?.runs;
    if (!row || !runs || runs.expand || runs.words || (runs.rest ?? "argv") !== "argv") {
      return { key, args: words.slice(1) };
    }
    const read = readOptions(words.slice(1), row);
    let n = 0;
    if (typeof runs.skip === "number") n = runs.skip;
    else if (runs.skip) { while (n < read.rest.length && runs.skip.test(read.rest[n])) n++; }
    if (read.inert || read.rest.length <= n) return { key, args: words.slice(1) };
    words = read.rest.slice(n);
  }
  return { key: "", args: [] };
}

/** Programs that delete or destroy the files they are given. */
export const ERASERS: ReadonlySet<string> = new Set(["rm", "unlink", "shred", "srm", "wipe"]);

// --- text written to files ---

/**
 * The text a command writes out: `echo`/`printf` words, or `cat`/`tee` copying a stdin the line
 * spells out (a here-document, a here-string, `echo … |`).
 */
export function writtenText(c: Invocation): string | undefined {
  if (c.key === "echo" || c.key === "printf") {
    return c.args.filter((a) => !/^-[neE]+$/.test(a)).join(" ").replace(/\\n/g, "\n");
  }
  if (c.key === "tee" || (c.key === "cat" && c.args.length === 0)) return stdinLiteral(c);
  return undefined;
}

/** The files a command writes its output to: `>`, `>>`, `>|` targets, and `tee`'s files. */
export function textTargets(c: Invocation): string[] {
  const targets = c.redirects.filter((r) => /^(>|>>|>\||&>|&>>)$/.test(r.op)).map((r) => r.target);
  if (c.key === "tee") targets.push(...c.args.filter((a) => !a.startsWith("-")));
  return targets;
}

/** Shell startup files, however the home is spelled: what they hold runs in every new shell. */
export const STARTUP_FILE = new RegExp(
  String.raw`(^|/)\.(bashrc|bash_profile|bash_login|bash_aliases|profile|zshrc|zprofile|zshenv|` +
    String
      .raw`zlogin|kshrc|mkshrc|cshrc|tcshrc)$|(^|/)\.config/fish/(config\.fish|conf\.d/[^/]+)$|` +
    String
      .raw`^/etc/(profile|bash\.bashrc|bashrc|zshrc|zsh/zshrc|zsh/zprofile)$|^/etc/profile\.d/[^/]+$`,
);

/** Cron tables: the user's (`/var/spool/cron/…`) and the system's (`/etc/crontab`, `cron.d`). */
export const CRON_FILE =
  /^\/etc\/crontab$|^\/etc\/cron\.d\/[^/]+$|^\/var\/spool\/cron\/(crontabs\/)?[^/]+$/;

/**
 * The command of each cron entry in `table` (comments and settings left out): what follows
 * the schedule (`@reboot`, or five time fields) and, in system tables, the user.
 */
export function cronCommands(table: string, withUser = false): string[] {
  const entry = withUser
    ? /^\s*(?:@\w+|(?:\S+\s+){5})\S+\s+(.+)$/
    : /^\s*(?:@\w+|(?:\S+\s+){5})(.+)$/;
  return table.split("\n").filter((l) => !l.trim().startsWith("#"))
    .flatMap((l) => entry.exec(l)?.[1] ?? []);
}

// --- services ---

/** Where services are stopped: `systemctl stop|disable|mask UNIT…`, `service UNIT stop`. */
export const STOP_UNITS = ["systemctl stop", "systemctl disable", "systemctl mask", "service"];

/** The units a {@link STOP_UNITS} command stops. */
export function stoppedUnits(r: ToolRead): string[] {
  if (r.tool === "service") return /^(stop|disable)$/.test(r.words[1] ?? "") ? [r.words[0]] : [];
  return /^(stop|disable|mask)$/.test(r.words[0] ?? "") ? r.words.slice(1) : [];
}

// --- files ---

/** Device files that are not disks (writing to them is harmless). */
const NOT_DISKS =
  /^\/dev\/(null|zero|full|u?random|tty\w*|pts\/|fd\/|std(in|out|err)|shm\/|console|ptmx|mqueue\/|log$|kmsg)/;

/** True for a path that names a disk, partition or volume (`/dev/sda`, `/dev/nvme0n1p1`). */
export function isBlockDevice(path: string): boolean {
  if (!path.startsWith("/dev/")) return false;
  if (NOT_DISKS.test(path)) return false;
  return /^\/dev\/(r?disk\d|[shv]d[a-z]|xvd[a-z]|nvme\d|mmcblk\d|md\d|dm-\d|mapper\/|loop\d|sr\d|nbd\d|zd\d|disk\/|[\w-]+\/[\w.-]+$)/
    .test(path);
}

/**
 * Files whose contents are secrets: private keys (not `.pub`), cloud and tool credentials,
 * password stores and hashes, browser and keychain stores, shell history.
 */
export const SECRET_FILE = new RegExp(
  [
    String.raw`(^|/)\.ssh/(id_[\w-]+|[\w-]*_(rsa|ed25519|ecdsa|dsa))$`,
    String.raw`(^|/)id_(rsa|dsa|ecdsa|ed25519)(_sk)?$|\.(kdbx|ppk)$`,
    String.raw`\.aws/(credentials|config)$|\.config/gcloud/|\.azure/|\.kube/config$`,
    String.raw`\.docker/config\.json$|(^|/)\.(netrc|pgpass|my\.cnf|git-credentials|npmrc|pypirc)$`,
    String.raw`\.gnupg/|\.password-store/|\.vault-token$|\.terraformrc$|\.config/gh/hosts\.yml$`,
    String.raw`(^|/)(credentials|client_secrets?|service[-_]?account[\w-]*)\.json$`,
    String.raw`Library/Keychains/|\.mozilla/firefox/.*(key4\.db|logins\.json)|Login Data$`,
    String.raw`(^|/)\.(bash|zsh|sh)_history$`,
    String
      .raw`^/etc/(shadow|gshadow|sudoers|ssh/ssh_host_\w+_key)$|^(/private)?/etc/master\.passwd$`,
  ].join("|"),
);

/**
 * Private key and keystore files by their names (`server.key`, `privkey.pem`, `store.p12`):
 * secrets when sent away, but routinely read where they are (`openssl req -key server.key`).
 */
export const KEY_FILE =
  /\.(key|p12|pfx|jks|keystore)$|(^|\/|[_.-])(priv(ate)?|secret)?[_-]?key\.pem$|(^|\/)privkey[\w-]*\.pem$/;

/** Directories that hold secrets as a whole (`~/.ssh`, `~/.aws`, `~/.gnupg`). */
export const SECRET_DIR =
  /(^|\/)\.(ssh|aws|gnupg|kube|docker|azure|password-store)\/?$|(^|\/)\.config\/gcloud\/?$/;

/** Application secrets in environment files (`.env`, `.env.production`; not `.env.example`). */
export const ENV_FILE =
  /(^|\/)\.env(\.(?!(example|sample|template|dist|defaults?|schema|local\.example)$)[\w.-]+)?$/;

/** Database dumps and backups (`dump.sql`, `db.dump`, `site.bak`, `prod-db.tar.gz`). */
export const DUMP_FILE =
  /\.(sql|dump|pgdump|bak|db|sqlite3?|mdb|accdb|bson|rdb|dmp)(\.(gz|bz2|xz|zst|lz4|zip|7z|gpg|enc))?$|(^|\/|[^a-z])(dump|db|database|mysql|postgres(ql)?|pg|mongo(db)?)([^a-z/][^/]*)?\.(tar|tgz|tar\.\w+|zip|7z|gz|xz|zst)$/i;

/** A path as written in an argument: `@file` (curl), `name=@file`, `~` kept. */
function pathOf(arg: string): string {
  return arg.replace(/^[\w-]*=?[@<]/, "").replace(/;[\w-]+=.*$/, "");
}

/** Whether an argument names a secret file or directory (`-d @~/.ssh/id_rsa` included). */
export function isSecret(arg: string): boolean {
  const p = pathOf(arg);
  return SECRET_FILE.test(p) || SECRET_DIR.test(p);
}

/** Whether an argument names a secret that must not leave the machine: also key stores and
 * environment files. */
export function isSentSecret(arg: string): boolean {
  const p = pathOf(arg);
  return isSecret(arg) || KEY_FILE.test(p) || ENV_FILE.test(p);
}

/** Whether an argument names a database dump or backup. */
export function isDump(arg: string): boolean {
  return DUMP_FILE.test(pathOf(arg));
}
