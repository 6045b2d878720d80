/**
 * Path awareness: what a path argument points at, so `rm -rf ./build` is told apart from
 * `rm -rf ~`, `/`, `/etc` or `$TMPDIR/x`. Purely lexical: nothing is looked up on disk.
 *
 * @module
 */

/** What a path argument refers to, most to least alarming. */
export type PathClass =
  | "root" // `/`, `/*`
  | "home" // `~`, `$HOME`, `~/*`
  | "system" // a top-level system directory itself: `/etc`, `/usr`, `/home`
  | "system-sub" // inside a system directory: `/etc/nginx`, `/home/alice`, `/var/log`
  | "windows-root" // `C:\`
  | "cwd-all" // `.`, `*`, `./*`, `.*`
  | "parent" // `..`, `../*`
  | "home-sub" // inside the home directory: `~/projects`
  | "temp" // under /tmp, /var/tmp, $TMPDIR
  | "variable" // starts with an unknown variable: `$DIR/x`
  | "other"; // any other relative or absolute path

/** Directories whose loss breaks the system (deleting them is critical). */
const SYSTEM_DIRS = new Set([
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/home",
  "/lib",
  "/lib32",
  "/lib64",
  "/libx32",
  "/opt",
  "/proc",
  "/root",
  "/sbin",
  "/srv",
  "/sys",
  "/usr",
  "/var",
  "/snap",
  "/initrd",
  "/mnt",
  "/media",
  "/run",
  "/Users",
  "/System",
  "/Library",
  "/Applications",
  "/Volumes",
  "/private",
  "/usr/bin",
  "/usr/sbin",
  "/usr/lib",
  "/usr/lib32",
  "/usr/lib64",
  "/usr/local",
  "/usr/share",
  "/usr/include",
  "/usr/local/bin",
  "/usr/local/lib",
  "/var/lib",
  "/var/log",
  "/var/cache",
  "/var/spool",
  "/var/mail",
  "/var/www",
  "/etc/ssh",
  "/private/etc",
  "/private/var",
  "/System/Library",
]);

const TEMP_DIRS = ["/tmp", "/var/tmp", "/private/tmp", "/dev/shm", "/private/var/tmp"];
const TEMP_VARS = /^\$(TMPDIR|TMP|TEMP|\{TMPDIR:-\/tmp\}|\{TMPDIR:-\/var\/tmp\})(?=\/|$)/;
const HOME_VARS = /^(~|\$HOME|\$\{HOME\}|\$USERPROFILE|%USERPROFILE%)(?=\/|$)/;

/** Classify one path; `env` holds assignments made on the same command (`TMPDIR=/x rm …`). */
export function classifyPath(raw: string, env: Record<string, string> = {}): PathClass {
  let p = substituteEnv(raw.trim(), env);
  if (p === "") return "other";
  // `C:\Windows` reaches us as `C:Windows` when bash quoting removed the backslash.
  if (
    /^[a-zA-Z]:[\\/]*\**$/.test(p) ||
    /^[a-zA-Z]:[\\/]?(windows|users|program files)[\\/]*$/i.test(p)
  ) {
    return "windows-root";
  }
  if (TEMP_VARS.test(p)) {
    const rest = p.replace(TEMP_VARS, "");
    return /(^|\/)\.\.(\/|$)/.test(rest) ? "system-sub" : "temp";
  }
  if (HOME_VARS.test(p)) {
    const rest = normalise(p.replace(HOME_VARS, ""));
    if (rest === "" || rest === "/" || /^\/(\*|\.\*?|\.\[[^\]]*\]\*)$/.test(rest)) return "home";
    if (rest.startsWith("/..")) return "system-sub";
    return "home-sub";
  }
  if (p.startsWith("~")) return "home-sub"; // `~alice/x`
  if (p.startsWith("$")) return /^\$[A-Za-z_{]/.test(p) ? "variable" : "other";
  if (p.startsWith("/")) {
    p = normalise(p);
    if (p === "/" || /^\/(\*|\.\*)$/.test(p)) return "root";
    if (SYSTEM_DIRS.has(p) || SYSTEM_DIRS.has(p.replace(/\/\*$/, ""))) return "system";
    if (TEMP_DIRS.some((t) => p.startsWith(t + "/") && p.length > t.length + 1)) return "temp";
    if (TEMP_DIRS.includes(p)) return "other";
    const top = "/" + p.split("/")[1];
    if (SYSTEM_DIRS.has(top) && top !== "/mnt" && top !== "/media" && top !== "/Volumes") {
      return "system-sub";
    }
    return "other";
  }
  const rel = normalise(p);
  if (/^(\.\/?|\*|\.\/\*|\.\*|\*\.\*|\.\[[^\]]*\]\*)$/.test(rel)) return "cwd-all";
  if (/^\.\.(\/\.\.)*(\/\*)?\/?$/.test(rel)) return "parent";
  return "other";
}

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
