/**
 * Permissions, ownership and privilege: recursive chmod/chown on system paths, world-writable
 * and setuid files, running as root, sudoers and account changes.
 *
 * @module
 */

import { argView, hasFlag, type Invocation } from "../command.ts";
import { classifyPath, type PathClass } from "../paths.ts";
import type { Rule } from "../rule.ts";

const PERM = ["chmod", "chown", "chgrp", "chattr", "setfacl", "icacls", "takeown"];

function permView(c: Invocation) {
  const v = argView(c.args, ["--reference", "--from"]);
  // chmod MODE FILES… / chown OWNER FILES…: the first positional is not a path.
  const needsSpec = c.key !== "setfacl" && c.key !== "takeown" && c.key !== "icacls";
  const targets = needsSpec ? v.positionals.slice(1) : v.positionals;
  // `chmod -R /` (the mode forgotten): the only positional is the path.
  if (needsSpec && v.positionals.length === 1 && /^[/~.*]/.test(v.positionals[0])) {
    targets.push(v.positionals[0]);
  }
  const recursive = hasFlag(v, "R", "--recursive") || (c.key === "setfacl" && hasFlag(v, "R")) ||
    c.args.some((a) => /^\/t$/i.test(a));
  return { v, targets, recursive, spec: needsSpec ? v.positionals[0] ?? "" : "" };
}

function targetsIn(c: Invocation, classes: PathClass[]): boolean {
  return permView(c).targets.some((t) => classes.includes(classifyPath(t, c.env)));
}

/** System directories that hold add-on software, not the system itself (`/usr/local`). */
const ADDON_DIRS = /^\/(usr\/local|opt|srv|var\/www|mnt|media|Volumes|home)(\/|$)/;

/** Targets that break the machine when their permissions change recursively. */
function coreTargets(c: Invocation): boolean {
  return permView(c).targets.some((t) => {
    const k = classifyPath(t, c.env);
    return k === "root" || k === "windows-root" || (k === "system" && !ADDON_DIRS.test(t));
  });
}

export const accessRules: Rule[] = [
  {
    id: "perm.recursive-system",
    category: "permissions",
    risk: "critical",
    reason: "recursively changes permissions or ownership of the whole system",
    commands: PERM,
    group: "perm",
    match: (c) => permView(c).recursive && coreTargets(c),
    examples: {
      hit: [
        "chmod -R 777 /",
        "chown -R root:root /",
        "chmod --recursive /",
        "sudo chmod -R 755 /usr",
        "chown -R me /etc",
      ],
      miss: ["chmod -R 755 ./dist", "chmod 644 /etc/hosts", "sudo chown -R $(whoami) /usr/local"],
    },
  },
  {
    id: "perm.recursive-wide",
    category: "permissions",
    risk: "high",
    reason: "recursively changes permissions or ownership of many files you did not name",
    commands: PERM,
    group: "perm",
    match: (c) =>
      permView(c).recursive && targetsIn(c, ["cwd-all", "parent", "system-sub", "system", "home"]),
    examples: {
      hit: [
        "chmod -R *",
        "chmod -R ..",
        "chown -R me /var/lib/mysql",
        "chmod -R 700 ~",
        "chmod -R /home",
        "sudo chown -R $(whoami) /usr/local",
      ],
      miss: ["chmod -R u+w ./src", "chmod -R 700 ~/.ssh"],
    },
  },
  {
    id: "perm.setuid",
    category: "privilege",
    risk: "high",
    reason: "makes a program run as its owner (often root) for anyone: a privilege escalation",
    commands: ["chmod"],
    group: "perm",
    match: (c) => /^([ugoa]*\+[rwxXt]*s|[2467][0-7]{3})$/.test(permView(c).spec),
    examples: {
      hit: ["chmod +s /bin/bash", "chmod u+s ./tool", "chmod 4755 /usr/local/bin/x"],
      miss: ["chmod +x run.sh", "chmod 755 x"],
    },
  },
  {
    id: "perm.world-writable-system",
    category: "permissions",
    risk: "high",
    reason: "lets any user change a system file",
    commands: ["chmod"],
    group: "perm",
    match: (c) =>
      /^(0?[0-7]{1,2}[2367]|[ugoa]*o[ugoa]*\+[rwx]*w|a\+[rwx]*w|\+[rwx]*w)$/.test(
        permView(c).spec,
      ) &&
      targetsIn(c, ["system", "system-sub", "root"]),
    examples: {
      hit: ["chmod 777 /etc/passwd", "chmod o+w /etc/sudoers"],
      miss: ["chmod 644 /etc/hosts", "chmod 777 ./tmp"],
    },
  },
  {
    id: "perm.system-path",
    category: "permissions",
    risk: "moderate",
    reason: "changes permissions or ownership of system files",
    commands: PERM,
    group: "perm",
    match: (c) => targetsIn(c, ["system", "system-sub", "root"]),
    examples: {
      hit: ["chown nobody /usr/bin/sudo", "chmod 600 /etc/ssh/sshd_config"],
      miss: ["chown me notes.txt"],
    },
  },
  {
    id: "perm.world-writable",
    category: "permissions",
    risk: "moderate",
    reason: "makes files writable by every user",
    commands: ["chmod"],
    group: "perm",
    match: (c) =>
      /^(0?[0-7]{1,2}[2367]|[ugoa]*o[ugoa]*\+[rwx]*w|a\+[rwx]*w)$/.test(permView(c).spec),
    examples: {
      hit: ["chmod 777 script.sh", "chmod -R a+w shared"],
      miss: ["chmod 755 script.sh", "chmod +x x"],
    },
  },
  {
    id: "priv.root",
    category: "privilege",
    risk: "moderate",
    commands: ["sudo", "doas", "pkexec", "run0", "su", "runas", "gsudo"],
    reason: "runs with administrator (root) rights",
    match: (c) =>
      ["sudo", "doas", "pkexec", "run0", "su", "runas", "gsudo"].includes(c.key) &&
      !c.args.some((a) => /^(-l|--list|-v|--validate|-k|-K|--help|-h|-V|--version)$/.test(a)),
    examples: {
      hit: ["sudo ls", "sudo su", "su -", "doas make install"],
      miss: ["sudo -l", "sudo -k", "pseudo ls"],
    },
  },
  {
    id: "priv.accounts",
    category: "privilege",
    risk: "moderate",
    commands: [
      "visudo",
      "vipw",
      "vigr",
      "chpasswd",
      "userdel",
      "deluser",
      "groupdel",
      "delgroup",
      "passwd",
      "usermod",
      "useradd",
      "adduser",
      "gpasswd",
      "dscl",
    ],
    reason: "changes user accounts, passwords or who may use sudo",
    match: (c) =>
      /^(visudo|vipw|vigr|chpasswd|userdel|deluser|groupdel|delgroup)$/.test(c.key) ||
      (c.key === "passwd" && c.args.some((a) => /^(root|-d|--delete|-l|-u)$/.test(a))) ||
      (/^(usermod|useradd|adduser|gpasswd)$/.test(c.key) &&
        (c.args.some((a) => /^(sudo|wheel|admin|root|docker)$/.test(a)) ||
          c.args.some((a) => /^(-o|--non-unique|-u0|--uid=0)$/.test(a)) ||
          (c.args.includes("-u") && c.args[c.args.indexOf("-u") + 1] === "0"))) ||
      (c.key === "dscl" && c.args.some((a) => /^-(delete|append|create)$/.test(a))),
    examples: {
      hit: ["sudo usermod -aG sudo bob", "userdel -r alice", "passwd root", "visudo"],
      miss: ["passwd", "id -u", "usermod --help"],
    },
  },
  {
    id: "priv.security-off",
    category: "privilege",
    risk: "high",
    commands: ["setenforce", "spctl", "csrutil", "set-mppreference", "aa-teardown", "systemctl"],
    reason: "turns off an operating-system security protection",
    match: (c) =>
      (c.key === "setenforce" && /^(0|permissive)$/i.test(c.args[0] ?? "")) ||
      (c.key === "spctl" &&
        c.args.some((a) => /^--(master-disable|global-disable|disable)$/.test(a))) ||
      (c.key === "csrutil" && c.args[0] === "disable") ||
      (c.key === "set-mppreference" && c.args.some((a) => /^-Disable/i.test(a))) ||
      (c.key === "aa-teardown") ||
      (c.key === "systemctl" &&
        /^(stop|disable|mask)$/.test(argView(c.args).positionals[0] ?? "") &&
        argView(c.args).positionals.slice(1).some((p) =>
          /^(apparmor|selinux|auditd)(\.service)?$/.test(p)
        )),
    examples: {
      hit: ["setenforce 0", "sudo spctl --master-disable", "csrutil disable"],
      miss: ["getenforce", "spctl --status"],
    },
  },
];
