/**
 * Privilege and accounts: running as root, changing accounts, passwords and who may use sudo,
 * turning operating-system security protections off.
 *
 * @module
 */

import { optionValue } from "../options.ts";
import { PRIVILEGE_RUNNERS, words } from "../programs.ts";
import { rules } from "../rule.ts";
import { hasOption, type ToolRead } from "../tools.ts";

/**
 * Whether an expiry date has passed: days since 1970 (`0`, `1`) or `YYYY-MM-DD` before today.
 * An empty value or `-1` removes the expiry; a placeholder is no date.
 */
function past(value: string | undefined): boolean {
  const v = value?.trim() ?? "";
  if (/^\d+$/.test(v)) return Number(v) * 86_400_000 < Date.now();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return Date.parse(v) < Date.now();
  return false;
}

/** The first of `names` given (with any value). */
const given = (r: ToolRead, ...names: string[]) => names.some((n) => hasOption(r, n));

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
    id: "password-remove",
    risk: "high",
    reason: "removes or expires an account's password: it opens without one, or its user must " +
      "pick a new one before anything else",
    on: ["passwd", "usermod", "chage"],
    group: "accounts",
    match: (r) => {
      switch (r.tool) {
        case "passwd":
          return given(r, "-d", "--delete", "-e", "--expire");
        case "usermod":
          return optionValue(r, ["-p", "--password"]) === "";
        default:
          return optionValue(r, ["-d", "--lastday"]) === "0";
      }
    },
    examples: {
      hit: [
        "passwd -d alice",
        "sudo passwd --delete root",
        "passwd -e bob",
        "usermod -p '' alice",
        "sudo chage -d 0 bob",
      ],
      miss: ["passwd", "passwd -S root", "chage -l alice", 'usermod -p "$HASH" alice'],
    },
  },
  {
    id: "account-lock",
    risk: "high",
    reason: "locks or expires an account: its user (root, above all) can no longer log in",
    on: ["passwd", "usermod", "chage"],
    group: "accounts",
    match: (r) => {
      switch (r.tool) {
        case "passwd":
          return given(r, "-l", "--lock");
        case "usermod":
          return given(r, "-L", "--lock") || past(optionValue(r, ["-e", "--expiredate"]));
        default:
          return past(optionValue(r, ["-E", "--expiredate"]));
      }
    },
    examples: {
      hit: [
        "passwd -l root",
        "sudo usermod -L alice",
        "usermod --lock root",
        "usermod -e 1 bob",
        "chage -E 0 alice",
        "sudo chage --expiredate 2001-01-01 carol",
      ],
      miss: ["passwd -u alice", "usermod -U alice", "chage -E -1 alice", "usermod -e '' bob"],
    },
  },
  {
    id: "user-delete-home",
    risk: "high",
    reason: "deletes a user together with their home directory and files",
    on: ["userdel", "deluser", "sysadminctl"],
    group: "accounts",
    unless: ["--help", "-h"],
    match: (r) => {
      switch (r.tool) {
        case "userdel":
          return given(r, "-r", "--remove");
        case "deluser": // A backup keeps the files.
          return given(r, "--remove-home", "--remove-all-files") &&
            !given(r, "--backup", "--backup-to");
        default: // macOS deletes the home unless told to keep it.
          return r.args.includes("-deleteUser") && !r.args.includes("-keepHome");
      }
    },
    examples: {
      hit: [
        "userdel -r alice",
        "sudo userdel --remove bob",
        "userdel -rf carol",
        "deluser --remove-home alice",
        "sudo deluser --remove-all-files bob",
        "sudo sysadminctl -deleteUser alice",
      ],
      miss: [
        "userdel alice",
        "userdel -R /mnt/root bob",
        "deluser --backup-to /backup --remove-home alice",
        "sysadminctl -deleteUser alice -keepHome",
      ],
    },
  },
  {
    id: "accounts",
    risk: "moderate",
    reason: "changes user accounts, passwords or who may use sudo",
    group: "accounts",
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
      hit: ["sudo usermod -aG sudo bob", "userdel alice", "passwd root", "visudo"],
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
