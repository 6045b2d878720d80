/**
 * Path awareness, the one path classifier every rule reads paths through: where a path argument
 * points ({@link locate}), so `rm -rf ./build` is told apart from `rm -rf ~`, `/`, `/etc` or
 * `$TMPDIR/x`, every spelling of a home is a home (`~`, `~alice`, `$HOME`, `${HOME}`,
 * `/home/alice`, `/root`), and relative paths are read against a `cd` earlier on the line.
 * Purely lexical: nothing is looked up on disk.
 *
 * @module
 */

import { words } from "./programs.ts";
import type { Invocation, Line } from "./command.ts";

/** Directories whose loss breaks the system (deleting them is critical). */
const SYSTEM_DIRS = new Set(words(`
  /bin /boot /dev /etc /home /lib /lib32 /lib64 /libx32 /opt /proc /root /sbin /srv /sys /usr
  /var /snap /initrd /mnt /media /run /Users /System /Library /Applications /Volumes /private
  /usr/bin /usr/sbin /usr/lib /usr/lib32 /usr/lib64 /usr/local /usr/share /usr/include
  /usr/local/bin /usr/local/lib /var/lib /var/log /var/cache /var/spool /var/mail /var/www
  /etc/ssh /private/etc /private/var /System/Library
`));

const TEMP_DIRS = ["/tmp", "/var/tmp", "/private/tmp", "/dev/shm", "/private/var/tmp"];
const TEMP_VARS = /^\$(TMPDIR|TMP|TEMP|\{TMPDIR:-\/tmp\}|\{TMPDIR:-\/var\/tmp\})(?=\/|$)/;
/** Lexically resolve `.` and `..` and repeated slashes; keep a leading slash. */
function normalise(p: string): string {
  const abs = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && abs) out.pop();
    else if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(part);
  }
  if (abs) return "/" + out.join("/");
  if (out.length === 0) return p.startsWith(".") ? "." : p;
  return out.join("/");
}

/** Replace `$NAME` / `${NAME}` that the same command assigns. */
function substituteEnv(p: string, env: Record<string, string>): string {
  return p.replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
    (whole, name: string) => Object.hasOwn(env, name) ? env[name] : whole,
  );
}

/**
 * Where a path points: every spelling of a home (`~`, `~alice`, `$HOME`, `/home/alice`,
 * `/Users/bob`, `/root`) read as a home, temp directories as scratch space, and `$PWD`,
 * `$(pwd)`, `` `pwd` `` as `.`.
 */
export type Place =
  | "root" // `/`, `/*`
  | "windows-root" // `C:\`
  | "home" // a home, or everything in it: `~`, `$HOME/*`, `/home/alice`, `/root`
  | "system" // a system directory itself, or everything in it: `/etc`, `/usr/lib/*`, `/home`
  | "system-sub" // something inside one: `/etc/hosts`, `/var/log/nginx`, `/opt/app`
  | "project-all" // the whole working directory: `.`, `*`, `./*`
  | "parent" // a directory above it: `..`, `../*`, `../..`
  | "variable-root" // `$DIR/`, `$DIR/*`: `/` when the variable is empty
  | "home-top" // a top-level entry of a home: `~/Documents`, `~/.ssh`, `~/.bashrc`
  | "home-sub" // deeper in a home: `~/code/app/build`
  | "outside" // elsewhere: `../other`, `/mnt/data`, `/some/path`, a temp directory itself
  | "project" // inside the working directory: `build`, `./src/x.ts`
  | "scratch" // inside a temp directory: `/tmp/x`, `$TMPDIR/build`
  | "variable" // built from a variable nothing on the line sets: `$DIR/x`
  | "unknown"; // decided at run time: `{}`, `$(cmd)/x`

/** A path read by {@link locate}. */
export interface Located {
  place: Place;
  /** The path resolved: a home as `~/…`, a temp variable as `/tmp/…`, `.` and `..` folded. */
  path: string;
  /** Its last part is a pattern (`*`, `*.log`): every match, not one entry. */
  glob: boolean;
}

const CWD_VARS = /^(\$PWD|\$\{PWD\}|\$\(pwd\)|`pwd`|~\+)(?=\/|$)/;
/** `~`, `~alice`, `$HOME` → `/home/<name>`, so that one rule reads every spelling of a home. */
const HOME_PREFIX =
  /^(?:~([\w.-]*)|\$HOME|\$\{HOME(?::?[-?=+][^}]*)?\}|\$USERPROFILE|%USERPROFILE%)(?=\/|$)/;
/** `/home/alice/…`, `/Users/bob/…`, `/root/…`: the name, and the rest. */
const HOME_DIR = /^\/(?:(?:home|Users)\/([^/]+)|root(?=\/|$))(\/.*)?$/;
/** A last part that means "everything in it": `*`, `.*`, `.[!.]*`. */
const EVERYTHING = /\/(\*|\.\*|\.\[[^\]]*\]\*)$/;
/** Mount points: what is below them is the user's data, not the system. */
const MOUNTS = new Set(["/mnt", "/media", "/Volumes"]);

/**
 * Where `raw` points. `env` holds assignments made on the same command (`TMPDIR=/x rm …`);
 * `cwd` is the directory a `cd` earlier on the line moved to, against which a relative path is
 * read (`cd / && rm -rf *` deletes `/*`).
 */
export function locate(raw: string, env: Record<string, string> = {}, cwd?: string): Located {
  let { path, tempVar } = expand(raw, env);
  if (cwd !== undefined && isRelative(path)) {
    const base = expand(cwd, env);
    path = base.path + "/" + path;
    tempVar ||= base.tempVar;
  }
  const glob = /[*?[][^/]*$/.test(path);
  if (path === "" || path.includes("{}") || /^(\$\(|`)/.test(path)) {
    return { place: "unknown", path, glob };
  }
  if (
    /^[a-zA-Z]:[\\/]*\**$/.test(path) ||
    /^[a-zA-Z]:[\\/]?(windows|users|program files)[\\/]*$/i.test(path)
  ) {
    return { place: "windows-root", path, glob };
  }
  if (path.startsWith("$")) {
    const place = /^\$\{?\w+\}?\/(\*|\.\*)?$/.test(path) ? "variable-root" : "variable";
    return { place, path, glob };
  }
  if (!path.startsWith("/")) {
    const rel = normalise(path);
    return { place: relativePlace(rel), path: rel, glob };
  }
  const abs = normalise(path);
  // `$TMPDIR/../x` leaves a temp directory whose real place is unknown.
  if (tempVar && !/^\/tmp(\/|$)/.test(abs)) return { place: "system-sub", path: abs, glob };
  // Everything in a directory (`/etc/*`, `~/Documents/.*`) is where the directory is.
  const dir = abs.replace(EVERYTHING, "") || "/";
  const home = HOME_DIR.exec(dir);
  // `/home/*` is every home: the directory `/home` itself.
  if (home && !/[*?[]/.test(home[1] ?? "")) {
    const rest = home[2] ?? "";
    const place = rest === "" ? "home" : rest.indexOf("/", 1) < 0 ? "home-top" : "home-sub";
    return { place, path: "~" + abs.slice(dir.length - rest.length), glob };
  }
  return { place: absolutePlace(dir), path: abs, glob };
}

/** Apply assignments and turn the spellings of the working directory, a home and temp into one. */
function expand(raw: string, env: Record<string, string>): { path: string; tempVar: boolean } {
  let p = substituteEnv(raw.trim(), env).replace(CWD_VARS, ".");
  p = p.replace(HOME_PREFIX, (_, user?: string) => "/home/" + (user || "~"));
  const tempVar = TEMP_VARS.test(p);
  if (tempVar) p = p.replace(TEMP_VARS, "/tmp");
  return { path: p, tempVar };
}

function isRelative(p: string): boolean {
  return p !== "" && !/^([/$`~]|[a-zA-Z]:|%)/.test(p) && !p.includes("{}");
}

function relativePlace(rel: string): Place {
  if (/^(\.|\*|\.\*|\*\.\*|\.\[[^\]]*\]\*)$/.test(rel)) return "project-all";
  if (/^\.\.(\/\.\.)*(\/\*|\/\.\*)?$/.test(rel)) return "parent";
  return rel.startsWith("../") ? "outside" : "project";
}

/** Where an absolute directory or file is (homes are read before). */
function absolutePlace(p: string): Place {
  if (p === "/") return "root";
  for (const t of TEMP_DIRS) {
    if (p === t) return "outside";
    if (p.startsWith(t + "/")) return "scratch";
  }
  if (SYSTEM_DIRS.has(p)) return "system";
  const top = "/" + p.split("/")[1];
  return SYSTEM_DIRS.has(top) && !MOUNTS.has(top) ? "system-sub" : "outside";
}

/** What `cd` earlier on each line moved to, per command (computed once per line). */
const cdCache = new WeakMap<Line, Map<Invocation, string>>();

/**
 * The directory that `cd` or `pushd` earlier on the line moved to before `cmd` runs, if any:
 * `~` for a bare `cd`, a path joined onto the one before (`cd /; cd etc` → `/etc`). A `cd` may
 * fail or sit in a subshell, so rules read a relative path both ways and keep the worse.
 */
export function cdBefore(cmd: Invocation, line: Line): string | undefined {
  let map = cdCache.get(line);
  if (!map) {
    map = new Map();
    let cwd: string | undefined;
    for (const c of line.commands) {
      if (cwd !== undefined) map.set(c, cwd);
      if (c.key === "cd" || c.key === "pushd") {
        const dir = c.args.find((a) => !/^-[LPe@]+$/.test(a) && a !== "--") ?? "~";
        cwd = dir === "-"
          ? undefined
          : cwd !== undefined && isRelative(dir)
          ? `${cwd}/${dir}`
          : dir;
      } else if (c.key === "popd") cwd = undefined;
    }
    cdCache.set(line, map);
  }
  return map.get(cmd);
}

/** Where a path argument of `cmd` points: read as given, and against an earlier `cd`. */
export function locateArg(path: string, cmd: Invocation, line: Line): Located[] {
  const here = locate(path, cmd.env);
  const cwd = cdBefore(cmd, line);
  return cwd === undefined ? [here] : [here, locate(path, cmd.env, cwd)];
}
