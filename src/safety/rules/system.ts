/**
 * The running system: shutdown and reboot, killing processes (init above all), stopping
 * services, removing cron jobs, wiping shell history and logs.
 *
 * @module
 */

import { argView, hasFlag, type Invocation } from "../command.ts";
import { classifyPath } from "../paths.ts";
import type { Rule } from "../rule.ts";

const HISTORY_FILE =
  /(^|\/)\.(bash_history|zsh_history|zhistory|history|sh_history|python_history|node_repl_history|psql_history|mysql_history|lesshst|local\/share\/fish\/fish_history)$|fish_history$/;

/** A path under /var/log (or the macOS equivalents). */
const LOG_PATH =
  /^\/(private\/)?var\/log(\/|$)|^\/Library\/Logs|^~\/Library\/Logs|^\/var\/adm(\/|$)/;

function killSignal(c: Invocation): string | undefined {
  for (let i = 0; i < c.args.length; i++) {
    const a = c.args[i];
    if (a === "-s" || a === "--signal") return c.args[i + 1]?.toUpperCase();
    const m = /^-(?:s|-signal=)?(\w+)$/.exec(a);
    if (m && !/^[lLa]$/.test(m[1])) return m[1].toUpperCase();
  }
  return undefined;
}

/** The PIDs `kill` is given (after the signal, which may look like `-9` or `-KILL`). */
function killTargets(c: Invocation): string[] {
  const a = c.args;
  let i = 0;
  if (a[0] === "-s" || a[0] === "-n" || a[0] === "--signal") i = 2;
  else if (a[0]?.startsWith("-") && a.length > 1 && a[0] !== "--") i = 1;
  if (a[i] === "--") i++;
  return a.slice(i);
}

export const systemRules: Rule[] = [
  {
    id: "sys.shutdown",
    category: "system",
    risk: "high",
    commands: [
      "shutdown",
      "reboot",
      "halt",
      "poweroff",
      "systemctl",
      "init",
      "telinit",
      "stop-computer",
      "restart-computer",
    ],
    reason: "shuts down or reboots the machine",
    match: (c) => {
      const k = c.key;
      if (["shutdown", "reboot", "halt", "poweroff"].includes(k)) {
        return !c.args.some((a) => /^(-c|--help|-k|--show)$/.test(a));
      }
      if (k === "systemctl") {
        return argView(c.args).positionals.some((p) =>
          /^(poweroff|reboot|halt|kexec|emergency|rescue|soft-reboot|suspend|hibernate)$/.test(p)
        );
      }
      if (k === "init" || k === "telinit") return /^[06sS1]$/.test(c.args[0] ?? "");
      if (k === "stop-computer" || k === "restart-computer") return true;
      return false;
    },
    examples: {
      hit: ["shutdown -r now", "sudo reboot", "shutdown", "systemctl poweroff", "init 0"],
      miss: ["shutdown -c", "systemctl status"],
    },
  },
  {
    id: "sys.sysrq",
    category: "system",
    risk: "high",
    reason: "sends a magic SysRq command: it can crash, reboot or power off the machine at once",
    evenDryRun: true,
    match: (c) =>
      c.redirects.some((r) => /^(>>?|>\|)$/.test(r.op) && r.target === "/proc/sysrq-trigger") ||
      (c.key === "tee" && c.args.includes("/proc/sysrq-trigger")),
    examples: {
      hit: ["echo c > /proc/sysrq-trigger", "echo b | sudo tee /proc/sysrq-trigger"],
      miss: ["cat /proc/sys/kernel/sysrq"],
    },
  },
  {
    id: "proc.kill-init",
    category: "process",
    risk: "critical",
    commands: ["kill", "pkill", "killall"],
    reason: "kills init (PID 1) or every process, which brings the system down",
    match: (c) =>
      ["kill", "pkill", "killall"].includes(c.key) &&
      (c.key === "kill"
        ? killTargets(c).some((p) => p === "1" || p === "-1")
        : argView(c.args).positionals.some((p) => /^(init|systemd|launchd)$/.test(p)) ||
          (c.key === "killall" && c.args.length === 0) ||
          c.args.includes("-1")),
    examples: {
      hit: ["kill -9 1", "kill -9 -1", "sudo pkill systemd"],
      miss: ["kill 1234", "kill -9 4242"],
    },
  },
  {
    id: "proc.kill-force",
    category: "process",
    risk: "moderate",
    commands: ["kill", "killall", "pkill", "skill", "slay", "taskkill", "stop-process"],
    reason: "kills processes by name or without letting them clean up",
    match: (c) => {
      if (["killall", "pkill", "skill", "slay", "taskkill", "stop-process"].includes(c.key)) {
        return c.args.some((a) => !a.startsWith("-")) || c.key === "taskkill";
      }
      if (c.key !== "kill") return false;
      const sig = killSignal(c);
      return sig !== undefined && /^(9|KILL|SIGKILL)$/.test(sig);
    },
    examples: {
      hit: ["kill -9 4242", "killall -9 node", "pkill nginx", "kill -s KILL 4242"],
      miss: ["kill -15 1234", "kill 1234"],
    },
  },
  {
    id: "svc.stop",
    category: "system",
    risk: "moderate",
    commands: ["systemctl", "service", "launchctl", "rc-service", "sv", "update-rc.d"],
    reason: "stops, disables or masks a system service",
    match: (c) => {
      if (c.key === "systemctl") {
        const p = argView(c.args).positionals;
        return /^(stop|disable|mask|kill|isolate)$/.test(p[0] ?? "") && p.length > 1;
      }
      if (c.key === "service") return /^(stop|disable)$/.test(c.args[1] ?? "");
      if (c.key === "launchctl") {
        return /^(unload|bootout|disable|remove|kill|stop)$/.test(c.args[0] ?? "");
      }
      if (/^(rc-service|sv)$/.test(c.key)) return c.args.some((a) => /^(stop|down)$/.test(a));
      if (c.key === "update-rc.d") return c.args.some((a) => /^(remove|disable)$/.test(a));
      return false;
    },
    examples: {
      hit: ["systemctl stop postgresql", "sudo systemctl disable firewalld", "service nginx stop"],
      miss: ["systemctl status networking", "systemctl restart nginx"],
    },
  },
  {
    id: "sys.kernel-module",
    category: "system",
    risk: "moderate",
    commands: ["insmod", "rmmod", "kextload", "kextunload", "kmutil", "modprobe"],
    reason: "loads or unloads code in the running kernel",
    match: (c) =>
      ["insmod", "rmmod", "kextload", "kextunload", "kmutil"].includes(c.key) ||
      (c.key === "modprobe" && c.args.some((a) => /^(-r|--remove)$/.test(a) || /\.ko$/.test(a))),
    examples: { hit: ["insmod rootkit.ko", "sudo rmmod nvidia"], miss: ["lsmod", "modinfo ext4"] },
  },
  {
    id: "sys.path-hijack",
    category: "privilege",
    risk: "moderate",
    reason: "makes the shell run programs from an unsafe place (PATH or preload hijack)",
    match: (c) => {
      const assigns = [
        ...Object.entries(c.env),
        ...(["export", "declare", "typeset", "set", "env"].includes(c.key)
          ? c.args.filter((a) => a.includes("=")).map((
            a,
          ) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)])
          : []),
      ];
      return assigns.some(([k, v]) =>
        (k === "PATH" &&
          v.split(":").some((d) =>
            d === "" || d === "." || /^\/(tmp|var\/tmp|dev\/shm)(\/|$)/.test(d)
          )) ||
        /^(LD_PRELOAD|LD_LIBRARY_PATH|DYLD_INSERT_LIBRARIES)$/.test(k)
      );
    },
    examples: {
      hit: ["export PATH=/tmp/evil:$PATH", "LD_PRELOAD=./x.so ls"],
      miss: ["export PATH=$HOME/bin:$PATH"],
    },
  },
  {
    id: "sys.cron-install",
    category: "system",
    risk: "moderate",
    reason: "replaces your scheduled cron jobs",
    commands: ["crontab"],
    match: (c) => {
      const v = argView(c.args, ["-u"]);
      return !hasFlag(v, "l", "r", "e", "i") && v.positionals.length > 0;
    },
    examples: {
      hit: [
        "crontab -",
        "crontab my.cron",
        "(crontab -l; echo '0 * * * * ./backup.sh') | crontab -",
      ],
      miss: ["crontab -l", "crontab -e"],
    },
  },
  {
    id: "sys.cron-remove",
    category: "system",
    risk: "moderate",
    reason: "deletes all of your scheduled cron jobs without asking",
    commands: ["crontab"],
    match: (c) => hasFlag(argView(c.args, ["-u"]), "r"),
    examples: { hit: ["crontab -r", "sudo crontab -u root -r"], miss: ["crontab -l", "crontab-r"] },
  },
  {
    id: "sys.history-wipe",
    category: "history",
    risk: "high",
    reason: "erases shell history (a common step in covering tracks)",
    evenDryRun: true,
    match: (c) => {
      if (c.key === "history") {
        return c.args.some((a) => /^-[a-z]*[cdw]/.test(a) && a !== "-w" || a === "-c");
      }
      if (["unset"].includes(c.key)) {
        return c.args.some((a) => /^HIST(FILE|SIZE|FILESIZE)$/.test(a));
      }
      if (c.key === "export" || c.key === "set" || c.key === "setopt" || c.key === "unsetopt") {
        return c.args.some((a) =>
          /^HIST(FILE=\/dev\/null|SIZE=0|FILESIZE=0)$/.test(a) ||
          (c.key === "set" && /^\+o$/.test(a) && c.args.includes("history"))
        );
      }
      if (["rm", "shred", "srm", "truncate", "unlink", "ln"].includes(c.key)) {
        return c.args.some((a) => HISTORY_FILE.test(a));
      }
      if (Object.keys(c.env).some((k) => k === "HISTFILE") && c.env.HISTFILE === "/dev/null") {
        return true;
      }
      return c.redirects.some((r) => /^(>|>\||&>)$/.test(r.op) && HISTORY_FILE.test(r.target));
    },
    examples: {
      hit: [
        "history -c",
        "rm ~/.bash_history",
        "cat /dev/null > ~/.zsh_history",
        "unset HISTFILE",
        "export HISTFILE=/dev/null",
        "shred -u ~/.bash_history",
      ],
      miss: ["history", "history | grep ssh", "cat ~/.bash_history"],
    },
  },
  {
    id: "sys.log-wipe",
    category: "history",
    risk: "high",
    reason: "deletes or empties system logs",
    group: "system-write",
    evenDryRun: true,
    match: (c) => {
      if (["rm", "shred", "srm", "truncate", "unlink"].includes(c.key)) {
        return argView(c.args, ["-s", "--size"]).positionals.some((a) => LOG_PATH.test(a));
      }
      if (c.key === "journalctl") return c.args.some((a) => /^--(vacuum-\w+|rotate|flush)/.test(a));
      if (c.key === "wevtutil") return /^(cl|clear-log)$/i.test(c.args[0] ?? "");
      if (c.key === "clear-eventlog") return true;
      if (c.key === "auditctl") return c.args.includes("-D");
      if (c.key === "dmesg") return c.args.some((a) => /^(-c|-C|--clear|--read-clear)$/.test(a));
      return c.redirects.some((r) =>
        /^(>|>\||&>)$/.test(r.op) && LOG_PATH.test(r.target) && classifyPath(r.target) !== "other"
      );
    },
    examples: {
      hit: [
        "rm -rf /var/log/nginx",
        "truncate -s 0 /var/log/syslog",
        "echo > /var/log/auth.log",
        "journalctl --vacuum-time=1s",
        "wevtutil cl System",
      ],
      miss: ["tail -f /var/log/syslog", "journalctl -u nginx"],
    },
  },
];
