/**
 * The running system: shutdown and reboot, kernel modules, the PATH and preloads, replacing or
 * removing cron jobs, wiping shell history and logs.
 *
 * @module
 */

import { words } from "../programs.ts";
import type { Invocation } from "../command.ts";
import { rules } from "../rule.ts";
import { hasOption, type ToolRead } from "../tools.ts";

const HISTORY_FILE =
  /(^|\/)\.(bash_history|zsh_history|zhistory|history|sh_history|python_history|node_repl_history|psql_history|mysql_history|lesshst|local\/share\/fish\/fish_history)$|fish_history$/;

/** A path under /var/log (or the macOS equivalents). */
const LOG_PATH =
  /^\/(private\/)?var\/log(\/|$)|^\/Library\/Logs|^~\/Library\/Logs|^\/var\/adm(\/|$)/;

/** Commands that delete or empty the files they are given. */
const ERASERS = ["rm", "shred", "srm", "truncate", "unlink"];

/** Writes that replace a file's contents (`>`, `>|`, `&>`). */
const OVERWRITE = /^(>|>\||&>)$/;

/** Units of `journalctl --vacuum-time`, in seconds. */
const SECONDS: Record<string, number> = {
  s: 1,
  sec: 1,
  m: 60,
  min: 60,
  h: 3600,
  hour: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  week: 604800,
  weeks: 604800,
  month: 2592000,
  months: 2592000,
  y: 31536000,
  year: 31536000,
  years: 31536000,
};

/**
 * What `journalctl --vacuum-*` deletes: (nearly) all of the journal (`--vacuum-time=1s`,
 * `--vacuum-size=1K`, `--vacuum-files=1`), only older entries, or nothing (no vacuum).
 */
function vacuum(r: ToolRead): "all" | "old" | undefined {
  const i = r.args.findIndex((a) => a.startsWith("--vacuum-"));
  if (i < 0) return undefined;
  const [name, glued] = r.args[i].split("=");
  const value = (glued ?? r.args[i + 1] ?? "").trim();
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(value);
  if (!m) return "old";
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  if (name === "--vacuum-files") return n <= 1 ? "all" : "old";
  if (name === "--vacuum-size") return /^(b|k|kb|ki|kib)?$/.test(unit) || n <= 1 ? "all" : "old";
  return n * (SECONDS[unit || "s"] ?? 86400) < 86400 ? "all" : "old";
}

/** Programs that load or unload kernel modules (extensions, on macOS). */
const KERNEL_MODULES = words(`
  insmod rmmod modprobe kldload kldunload kextload kextunload kextutil
`).concat("kmutil load", "kmutil unload");

/** Dry runs and queries: `modprobe -n`, `-D` (dependencies), `-c` (configuration). */
const MODULE_QUERIES = words(`
  -n --dry-run -D --show-depends -c --showconfig -R --resolve-alias --help -h -V --version
`);

/** `systemctl VERB` for each verb. */
const systemctl = (...verbs: string[]) => verbs.map((v) => `systemctl ${v}`);

/** Assignments a command makes: `NAME=value` before it, or given to export/declare/env. */
function assignments(c: Invocation): [string, string][] {
  const out = Object.entries(c.env);
  if (["export", "declare", "typeset", "set", "env"].includes(c.key)) {
    for (const a of c.args) {
      const eq = a.indexOf("=");
      if (eq > 0) out.push([a.slice(0, eq), a.slice(eq + 1)]);
    }
  }
  return out;
}

export const systemRules = rules("sys", [
  {
    id: "shutdown",
    // Disruptive, not destructive: nothing on disk is lost, and people ask for it by name.
    risk: "moderate",
    reason: "shuts down or reboots the machine; unsaved work in open programs is lost",
    on: [
      "shutdown",
      "reboot",
      "halt",
      "poweroff",
      "stop-computer",
      "restart-computer",
      ...systemctl("poweroff", "reboot", "halt", "kexec", "emergency", "rescue", "soft-reboot"),
      ...["0", "6", "1", "s", "S"].flatMap((level) => [`init ${level}`, `telinit ${level}`]),
    ],
    // `shutdown -c` cancels, `-k` only warns users, `halt -w` only writes the wtmp record.
    unless: ["-c", "--help", "-k", "--show", "-w", "--wtmp-only"],
    match: (r) =>
      !r.args.some((a, i) =>
        a === "--when=cancel" || (a === "--when" && r.args[i + 1] === "cancel")
      ),
    examples: {
      hit: [
        "shutdown -r now",
        "sudo reboot",
        "shutdown",
        "systemctl poweroff",
        "init 0",
        "systemctl reboot --when +2h",
      ],
      miss: [
        "shutdown -c",
        "systemctl status",
        "systemctl suspend",
        "init --version",
        "reboot -w",
        "systemctl halt --when cancel",
      ],
    },
  },
  {
    id: "suspend",
    risk: "moderate",
    reason: "suspends or hibernates the machine (you lose this session until it wakes)",
    on: [
      ...systemctl("suspend", "hibernate", "hybrid-sleep", "suspend-then-hibernate"),
      "pm-suspend",
      "pm-hibernate",
    ],
    examples: { hit: ["systemctl suspend", "sudo pm-hibernate"], miss: ["systemctl status"] },
  },
  {
    id: "sysrq",
    risk: "high",
    reason: "sends a magic SysRq command: it can crash, reboot or power off the machine at once",
    on: "*",
    evenDryRun: true,
    match: (r, c) =>
      c.redirects.some((x) => /^(>>?|>\|)$/.test(x.op) && x.target === "/proc/sysrq-trigger") ||
      (c.key === "tee" && r.args.includes("/proc/sysrq-trigger")),
    examples: {
      hit: ["echo c > /proc/sysrq-trigger", "echo b | sudo tee /proc/sysrq-trigger"],
      miss: ["cat /proc/sys/kernel/sysrq"],
    },
  },
  {
    id: "kernel-module",
    risk: "high",
    reason: "loads code from a file into the running kernel, or forces a module in or out",
    on: KERNEL_MODULES,
    group: "kernel",
    unless: MODULE_QUERIES,
    // insmod, kextload and `kmutil load` take any file; a path does the same for kldload and
    // modprobe; --force skips the checks that keep a wrong or busy module out (or in).
    match: (r) =>
      /^(insmod|kextload|kextutil|kmutil)$/.test(r.tool)
        ? r.tool === "kmutil" || r.words.length > 0
        : ["-f", "--force", "--force-modversion", "--force-vermagic"].some((f) =>
          hasOption(r, f)
        ) ||
          ((r.tool === "kldload" || r.tool === "modprobe") &&
            r.words.some((w) => w.includes("/") || /\.k(o|ext)$/.test(w))),
    examples: {
      hit: [
        "insmod rootkit.ko",
        "sudo kextload /Library/Extensions/x.kext",
        "kmutil load -p /Library/Extensions/x.kext",
        "sudo rmmod -f nvidia",
        "modprobe --force-vermagic ./out/driver.ko",
        "kldload /tmp/x.ko",
      ],
      miss: ["lsmod", "modinfo ext4", "modprobe -n zram", "rmmod --help", "sudo modprobe zram"],
    },
  },
  {
    id: "kernel-module-change",
    risk: "moderate",
    reason: "loads or unloads a kernel module the system ships with",
    on: KERNEL_MODULES,
    group: "kernel",
    unless: MODULE_QUERIES,
    match: (r) => r.tool === "kmutil" || r.words.length > 0,
    examples: {
      hit: [
        "sudo modprobe zram num_devices=2",
        "sudo rmmod nvidia",
        "sudo modprobe -r nouveau",
        "kldload pf",
        "echo nbd | xargs sudo modprobe",
      ],
      miss: ["lsmod", "modinfo ext4", "modprobe -c", "rmmod --help", "kmutil showloaded"],
    },
  },
  {
    id: "path-hijack",
    risk: "moderate",
    reason: "makes the shell run programs from an unsafe place (PATH or preload hijack)",
    on: "*",
    match: (_, c) =>
      assignments(c).some(([k, v]) =>
        (k === "PATH" &&
          v.split(":").some((d) =>
            d === "" || d === "." || /^\/(tmp|var\/tmp|dev\/shm)(\/|$)/.test(d)
          )) ||
        /^(LD_PRELOAD|LD_LIBRARY_PATH|DYLD_INSERT_LIBRARIES)$/.test(k)
      ),
    examples: {
      hit: ["export PATH=/tmp/evil:$PATH", "LD_PRELOAD=./x.so ls"],
      miss: ["export PATH=$HOME/bin:$PATH"],
    },
  },
  {
    id: "cron-install",
    risk: "moderate",
    reason: "replaces your scheduled cron jobs",
    on: "crontab",
    unless: ["-l", "-r", "-e", "-i"],
    // A file, `-`, or nothing at all with a table on stdin.
    match: (r, c) => r.words.length > 0 || c.stdin !== undefined,
    examples: {
      hit: [
        "crontab -",
        "crontab my.cron",
        "(crontab -l; echo '0 * * * * ./backup.sh') | crontab -",
        "crontab <<< '0 * * * * ./backup.sh'",
      ],
      miss: ["crontab -l", "crontab -e", "crontab -u bob -l"],
    },
  },
  {
    id: "cron-remove",
    risk: "high",
    reason: "deletes all of a user's scheduled cron jobs at once, without asking",
    on: "crontab",
    flags: ["-r"],
    // `-i` asks first.
    unless: ["-i"],
    examples: {
      hit: ["crontab -r", "sudo crontab -u root -r", "crontab -r -u bob", "doas crontab -r"],
      miss: ["crontab -l", "crontab-r", "crontab -ri", "crontab -e"],
    },
  },
  {
    id: "history-wipe",
    risk: "high",
    reason: "erases shell history (a common step in covering tracks)",
    on: "*",
    evenDryRun: true,
    match: (r, c) => {
      switch (c.key) {
        case "history":
          return hasOption(r, "-c");
        case "unset":
          return r.args.some((a) => /^HIST(FILE|SIZE|FILESIZE)$/.test(a));
        case "export":
        case "set":
        case "setopt":
        case "unsetopt":
          return r.args.some((a) =>
            /^HIST(FILE=\/dev\/null|SIZE=0|FILESIZE=0)$/.test(a) ||
            (c.key === "set" && a === "+o" && r.args.includes("history"))
          );
      }
      if ([...ERASERS, "ln"].includes(c.key) && r.args.some((a) => HISTORY_FILE.test(a))) {
        return true;
      }
      return c.env.HISTFILE === "/dev/null" ||
        c.redirects.some((x) => OVERWRITE.test(x.op) && HISTORY_FILE.test(x.target));
    },
    examples: {
      hit: [
        "history -c",
        "rm ~/.bash_history",
        "cat /dev/null > ~/.zsh_history",
        "unset HISTFILE",
        "export HISTFILE=/dev/null",
        "shred -u ~/.bash_history",
        "HISTFILE=/dev/null bash",
      ],
      miss: ["history", "history | grep ssh", "cat ~/.bash_history", "history -w", "history -d 3"],
    },
  },
  {
    id: "log-wipe",
    risk: "high",
    reason: "deletes or empties system logs",
    on: "*",
    group: "system-write",
    evenDryRun: true,
    match: (r, c) => {
      if (ERASERS.includes(c.key)) {
        return r.args.some((a) => !a.startsWith("-") && LOG_PATH.test(a));
      }
      switch (c.key) {
        case "journalctl":
          return vacuum(r) === "all";
        case "wevtutil":
          return /^(cl|clear-log)$/i.test(r.args[0] ?? "");
        case "clear-eventlog":
          return true;
        case "auditctl":
          return r.args.includes("-D");
        case "dmesg":
          return r.args.some((a) => /^(-c|-C|--clear|--read-clear)$/.test(a));
      }
      return c.redirects.some((x) => OVERWRITE.test(x.op) && LOG_PATH.test(x.target));
    },
    examples: {
      hit: [
        "rm -rf /var/log/nginx",
        "truncate -s 0 /var/log/syslog",
        "echo > /var/log/auth.log",
        "journalctl --vacuum-time=1s",
        "journalctl --vacuum-size 1K",
        "wevtutil cl System",
      ],
      miss: [
        "tail -f /var/log/syslog",
        "journalctl -u nginx",
        "journalctl --vacuum-time 2weeks",
        "journalctl --flush",
      ],
    },
  },
  {
    id: "log-trim",
    risk: "moderate",
    reason: "deletes older system logs",
    on: "journalctl",
    match: (r) => vacuum(r) === "old",
    examples: {
      hit: ["journalctl --vacuum-time 2d", "sudo journalctl --vacuum-size=500M"],
      miss: ["journalctl -u nginx", "journalctl --rotate"],
    },
  },
  {
    id: "history-edit",
    risk: "moderate",
    reason: "deletes entries from the shell history",
    on: "history",
    flags: ["-d"],
    examples: { hit: ["history -d 42"], miss: ["history 20"] },
  },
]);
