/**
 * Privilege and accounts: running as root, changing accounts, passwords and who may use sudo,
 * turning operating-system security protections off.
 *
 * @module
 */

import { PRIVILEGE_RUNNERS, words } from "../programs.ts";
import { rules } from "../rule.ts";

export const privilegeRules = rules("priv", [
  {
    id: "root",
    risk: "moderate",
    reason: "runs with administrator (root) rights, or as another user",
    // Not `sg`: it changes only the group (and ast-grep installs itself as `sg`).
    on: [...PRIVILEGE_RUNNERS].filter((p) => p !== "sg"),
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
    id: "accounts",
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
    id: "security-off",
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
