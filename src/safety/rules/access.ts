/**
 * Permissions, ownership and privilege: recursive chmod/chown on system paths, world-writable
 * and setuid files, running as root, sudoers and account changes, security protections off.
 *
 * @module
 */

import { words } from "../programs.ts";
import type { Invocation, Line } from "../command.ts";
import { locateArg, type Place } from "../paths.ts";
import { rules } from "../rule.ts";
import { hasOption, type ToolRead } from "../tools.ts";

const PERM = ["chmod", "chown", "chgrp", "chattr", "setfacl", "icacls", "takeown"];

/** Programs that run a command as root (`sudo`, `su`, `doas`, …). */
const AS_ROOT = ["sudo", "doas", "pkexec", "run0", "su", "runas", "gsudo"];

/** A permission command read: its mode or owner (`spec`), the paths, and whether recursive. */
function permView(r: ToolRead) {
  const positionals = r.words;
  // chmod MODE FILES… / chown OWNER FILES…: the first positional is not a path.
  const needsSpec = r.tool !== "setfacl" && r.tool !== "takeown" && r.tool !== "icacls";
  const targets = needsSpec ? positionals.slice(1) : positionals;
  // `chmod -R /` (the mode forgotten): the only positional is the path.
  if (needsSpec && positionals.length === 1 && /^[/~.*]/.test(positionals[0])) {
    targets.push(positionals[0]);
  }
  const recursive = hasOption(r, "-R") || hasOption(r, "--recursive") ||
    r.args.some((a) => /^\/t$/i.test(a));
  return { targets, recursive, spec: needsSpec ? positionals[0] ?? "" : "" };
}

const views = new WeakMap<ToolRead, ReturnType<typeof permView>>();
/** {@link permView}, once per command. */
function perm(r: ToolRead) {
  let v = views.get(r);
  if (!v) views.set(r, v = permView(r));
  return v;
}

/** Where the targets point, each read as given and against an earlier `cd`. */
function places(r: ToolRead, cmd: Invocation, line: Line) {
  return perm(r).targets.flatMap((t) => locateArg(t, cmd, line));
}

/** Whether a target is one of `kinds` of place. */
function targetsIn(r: ToolRead, cmd: Invocation, line: Line, kinds: Place[]): boolean {
  return places(r, cmd, line).some((t) => kinds.includes(t.place));
}

/** System directories that hold add-on software, not the system itself (`/usr/local`). */
const ADDON_DIRS = /^\/(usr\/local|opt|srv|var\/www|mnt|media|Volumes|home|Users)(\/|$)/;

/** Targets that break the machine when their permissions change recursively. */
function coreTargets(r: ToolRead, cmd: Invocation, line: Line): boolean {
  return places(r, cmd, line).some(({ place, path }) =>
    place === "root" || place === "windows-root" || (place === "system" && !ADDON_DIRS.test(path))
  );
}

/** A mode that lets every user write. */
const WORLD_WRITABLE = /^(0?[0-7]{1,2}[2367]|[ugoa]*o[ugoa]*\+[rwx]*w|a\+[rwx]*w)$/;

export const accessRules = rules([
  {
    id: "perm.recursive-system",
    risk: "critical",
    reason: "recursively changes permissions or ownership of the whole system",
    on: PERM,
    group: "perm",
    match: (r, c, l) => perm(r).recursive && coreTargets(r, c, l),
    examples: {
      hit: [
        "chmod -R 777 /",
        "chown -R root:root /",
        "chmod --recursive /",
        "sudo chmod -R 755 /usr",
        "chown -R me /etc",
        "cd / && chmod -R 777 *",
      ],
      miss: ["chmod -R 755 ./dist", "chmod 644 /etc/hosts", "sudo chown -R $(whoami) /usr/local"],
    },
  },
  {
    id: "perm.recursive-wide",
    risk: "high",
    reason: "recursively changes permissions or ownership of many files you did not name",
    on: PERM,
    group: "perm",
    match: (r, c, l) =>
      perm(r).recursive &&
      targetsIn(r, c, l, ["project-all", "parent", "system-sub", "system", "home"]),
    examples: {
      hit: [
        "chmod -R *",
        "chmod -R ..",
        "chown -R me /var/lib/mysql",
        "chmod -R 700 ~",
        "chmod -R /home",
        "sudo chown -R $(whoami) /usr/local",
        "chmod -R 777 ~alice",
        "chown -R me $PWD/*",
      ],
      miss: ["chmod -R u+w ./src", "chmod -R 700 ~/.ssh", "chmod -R 700 /home/alice/.ssh"],
    },
  },
  {
    id: "perm.setuid",
    risk: "high",
    reason: "makes a program run as its owner (often root) for anyone: a privilege escalation",
    on: "chmod",
    group: "perm",
    match: (r) => /^([ugoa]*\+[rwxXt]*s|[2467][0-7]{3})$/.test(perm(r).spec),
    examples: {
      hit: ["chmod +s /bin/bash", "chmod u+s ./tool", "chmod 4755 /usr/local/bin/x"],
      miss: ["chmod +x run.sh", "chmod 755 x"],
    },
  },
  {
    id: "perm.world-writable-system",
    risk: "high",
    reason: "lets any user change a system file",
    on: "chmod",
    group: "perm",
    match: (r, c, l) =>
      (WORLD_WRITABLE.test(perm(r).spec) || /^\+[rwx]*w$/.test(perm(r).spec)) &&
      targetsIn(r, c, l, ["system", "system-sub", "root"]),
    examples: {
      hit: ["chmod 777 /etc/passwd", "chmod o+w /etc/sudoers"],
      miss: ["chmod 644 /etc/hosts", "chmod 777 ./tmp"],
    },
  },
  {
    id: "perm.system-path",
    risk: "moderate",
    reason: "changes permissions or ownership of system files",
    on: PERM,
    group: "perm",
    match: (r, c, l) => targetsIn(r, c, l, ["system", "system-sub", "root"]),
    examples: {
      hit: ["chown nobody /usr/bin/sudo", "chmod 600 /etc/ssh/sshd_config"],
      miss: ["chown me notes.txt"],
    },
  },
  {
    id: "perm.world-writable",
    risk: "moderate",
    reason: "makes files writable by every user",
    on: "chmod",
    group: "perm",
    match: (r) => WORLD_WRITABLE.test(perm(r).spec),
    examples: {
      hit: ["chmod 777 script.sh", "chmod -R a+w shared"],
      miss: ["chmod 755 script.sh", "chmod +x x"],
    },
  },
  {
    id: "priv.root",
    risk: "moderate",
    reason: "runs with administrator (root) rights",
    on: AS_ROOT,
    // `sudo -l` lists, `-v`/`-k` refresh or drop the cached password; `su -l` is a login shell.
    match: (r) =>
      !r.args.some((a) =>
        r.tool === "su"
          ? /^(--help|-h|-V|--version)$/.test(a)
          : /^(-l|--list|-v|--validate|-k|-K|--help|-h|-V|--version)$/.test(a)
      ),
    examples: {
      hit: ["sudo ls", "sudo su", "su -", "su -l", "doas make install", "echo ok | xargs sudo -s"],
      miss: ["sudo -l", "sudo -k", "pseudo ls", "su --help"],
    },
  },
  {
    id: "priv.accounts",
    risk: "moderate",
    reason: "changes user accounts, passwords or who may use sudo",
    on: words(`
      visudo vipw vigr chpasswd userdel deluser groupdel delgroup passwd usermod useradd adduser
      gpasswd dscl
    `),
    match: (r) => {
      switch (r.tool) {
        case "passwd":
          return r.args.some((a) => /^(root|-d|--delete|-l|-u)$/.test(a));
        case "usermod":
        case "useradd":
        case "adduser":
        case "gpasswd":
          return r.args.some((a) => /^(sudo|wheel|admin|root|docker)$/.test(a)) ||
            r.args.some((a) => /^(-o|--non-unique|-u0|--uid=0)$/.test(a)) ||
            (r.args.includes("-u") && r.args[r.args.indexOf("-u") + 1] === "0");
        case "dscl":
          return r.args.some((a) => /^-(delete|append|create)$/.test(a));
        default:
          return true;
      }
    },
    examples: {
      hit: ["sudo usermod -aG sudo bob", "userdel -r alice", "passwd root", "visudo"],
      miss: ["passwd", "id -u", "usermod --help"],
    },
  },
  {
    id: "priv.security-off",
    risk: "high",
    reason: "turns off an operating-system security protection",
    on: [
      "setenforce",
      "spctl",
      "csrutil disable",
      "set-mppreference",
      "aa-teardown",
      "systemctl stop",
      "systemctl disable",
      "systemctl mask",
    ],
    unless: ["--help", "-h"],
    match: (r) => {
      switch (r.tool) {
        case "setenforce":
          return /^(0|permissive)$/i.test(r.args[0] ?? "");
        case "spctl":
          return r.args.some((a) => /^--(master-disable|global-disable|disable)$/.test(a));
        case "set-mppreference":
          return r.args.some((a) => /^-Disable/i.test(a));
        case "systemctl":
          return r.words.slice(1).some((p) => /^(apparmor|selinux|auditd)(\.service)?$/.test(p));
        default:
          return true;
      }
    },
    examples: {
      hit: ["setenforce 0", "sudo spctl --master-disable", "csrutil disable", "sudo aa-teardown"],
      miss: ["getenforce", "spctl --status", "aa-teardown -h", "csrutil status"],
    },
  },
]);
