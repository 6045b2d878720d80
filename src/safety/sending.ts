/**
 * What a command sends to another machine: the local files it uploads, copies or attaches,
 * what reaches its stdin, and the remote files it fetches; and which commands print secrets or
 * a whole database. Read once per command for the rules that ask (credentials, data dumps).
 *
 * @module
 */

import type { Invocation } from "./command.ts";
import { isSentSecret, literalParts, upstream } from "./match.ts";
import { CLOUD_COPIERS, DUMPERS, READERS } from "./programs.ts";
import { readTool } from "./tools.ts";

/** A sender's options, wherever they stand, repeats kept. */
const optionsOf = (c: Invocation) => readTool(c).given;

/** `[user@]host:path`, `host::module`, `rsync://…`, `remote:path` (rclone), `s3://…`. */
const REMOTE = /^(rsync|sftp|scp|s3|gs|az|https?):\/\/|^[\w.-]+@[\w.-]+:|^[\w.-]{2,}:(?!\/\/)/;
const HOST_PREFIX = /^([\w.-]+@[\w.-]+|[\w.-]{2,})::?/;

/** A transfer's operands: what it copies, and where to. */
function transfer(c: Invocation): { sources: string[]; dest: string } | undefined {
  let operands = readTool(c).words;
  if (CLOUD_COPIERS.has(c.key)) {
    // `aws s3 cp SRC DST`, `gsutil cp`, `rclone copy`, `azcopy copy`.
    const verb = operands.findIndex((w) => /^(cp|mv|sync|copy|copyto|move|moveto|upload)$/.test(w));
    if (verb < 0) return undefined;
    operands = operands.slice(verb + 1);
  }
  if (operands.length < 2) return undefined;
  return { sources: operands.slice(0, -1), dest: operands[operands.length - 1] };
}

/** The local files a command sends to another machine, as it names them. */
function sentFiles(c: Invocation): string[] {
  const k = c.key;
  const out: string[] = [];
  if (k === "curl") {
    for (const [name, v] of optionsOf(c)) {
      if (typeof v !== "string") continue;
      if (name === "-T" || name === "--upload-file") out.push(v);
      else if ((name === "-F" || name === "--form") && /=[@<]/.test(v)) out.push(v);
      else if (/^(-d|--data|--data-binary|--data-ascii|--data-urlencode|--json)$/.test(name)) {
        if (/^[\w-]*@/.test(v)) out.push(v);
      }
    }
  } else if (k === "wget") {
    for (const [name, v] of optionsOf(c)) {
      if (typeof v === "string" && (name === "--post-file" || name === "--body-file")) out.push(v);
    }
  } else if (/^(https?|httpie|xh)$/.test(k)) {
    // `http POST url @file`, `field@file`, `field=@file`, `field:=@file`.
    for (const a of c.args) {
      const at = /^(?:[^=@:\s-][^=@:\s]*(?::=|=)?)?@(.+)$/.exec(a);
      if (at) out.push(at[1]);
    }
  } else if (/^(scp|rsync)$/.test(k) || CLOUD_COPIERS.has(k)) {
    const t = transfer(c);
    if (t && REMOTE.test(t.dest)) out.push(...t.sources.filter((s) => !REMOTE.test(s)));
  } else if (/^(mail|mailx|mutt)$/.test(k)) {
    for (const [name, v] of optionsOf(c)) {
      if (typeof v === "string" && (name === "-a" || name === "-A")) out.push(v);
    }
  } else if (k === "croc" || k === "wormhole") {
    const i = c.args.indexOf("send");
    if (i >= 0) out.push(...c.args.slice(i + 1).filter((a) => !a.startsWith("-")));
  } else if (k === "pastebinit") {
    out.push(...c.args.filter((a) => !a.startsWith("-")));
  } else if (/^(lftp|smbclient|ftp|tftp|sftp)$/.test(k)) {
    // `put FILE` in commands given on the line or on stdin (`sftp host <<< 'put x'`).
    const script = [...c.args, ...literalParts(c)].join("\n");
    for (const m of script.matchAll(/\bm?put\s+(?:-\w+\s+)*([^\s;'"]+)/g)) out.push(m[1]);
  }
  return out;
}

/** Remote files a transfer fetches (`scp host:.ssh/id_rsa .`), without their host part. */
function fetchedFiles(c: Invocation): string[] {
  if (!/^(scp|sftp|rsync)$/.test(c.key)) return [];
  const t = transfer(c);
  return t ? t.sources.filter((s) => REMOTE.test(s)).map((s) => s.replace(HOST_PREFIX, "")) : [];
}

/** Files reaching a command's stdin: redirected in, or read by the commands piped into it. */
function stdinFiles(c: Invocation): string[] {
  const out = c.redirects.filter((x) => x.op === "<").map((x) => x.target);
  for (const u of upstream(c)) {
    if (READERS.has(u.key)) {
      out.push(...u.args.filter((a) => !a.startsWith("-") || a.includes("=")));
    }
    for (const x of u.redirects) if (x.op === "<") out.push(x.target);
  }
  return out;
}

/** Commands whose output is secrets: the environment, secret keys, keychains. */
export function printsSecrets(u: Invocation): boolean {
  if (/^(env|printenv|set|export)$/.test(u.key)) return u.args.length === 0;
  if (u.key === "gpg") return u.args.some((a) => /^--export-secret/.test(a));
  if (u.key === "security") return /^(dump-keychain|find-\w+-password)$/.test(u.args[0] ?? "");
  return false;
}

/** Commands whose output is a whole database. */
export function printsDump(u: Invocation): boolean {
  return DUMPERS.has(u.key) || (u.key === "sqlite3" && u.args.includes(".dump")) ||
    (u.key === "redis-cli" && u.args.includes("--rdb"));
}

/** A secret read inside a substitution in an argument: `-d "$(cat ~/.ssh/id_rsa)"`. */
export function secretInSubstitution(c: Invocation): boolean {
  return c.args.some((a) =>
    /\$\(|`/.test(a) && a.split(/[\s"'`()$<]+/).some((w) => w !== "" && isSentSecret(w))
  );
}

/** What a command sends, read once for the rules that ask. */
export interface Sent {
  /** Local files it sends, or that reach its stdin. */
  files: string[];
  /** Remote files it fetches (`scp host:.ssh/id_rsa .`). */
  fetched: string[];
  /** Commands piped into it. */
  from: Invocation[];
}

const sentCache = new WeakMap<Invocation, Sent>();
/** What `c` sends, read once per command. */
export function sent(c: Invocation): Sent {
  let s = sentCache.get(c);
  if (!s) {
    s = { files: [...sentFiles(c), ...stdinFiles(c)], fetched: fetchedFiles(c), from: upstream(c) };
    sentCache.set(c, s);
  }
  return s;
}
