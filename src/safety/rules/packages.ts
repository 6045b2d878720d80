/**
 * Package managers: removing packages (essential ones above all) and forcing past their checks.
 *
 * @module
 */

import { rules } from "../rule.ts";
import { hasOption, type ToolRead } from "../tools.ts";

/** Packages whose removal breaks the system or locks you out (globs such as `linux-image-*`). */
const ESSENTIAL =
  /^(systemd|libc6|libc-bin|glibc|musl|coreutils|busybox|bash|dash|sudo|util-linux|apt|dpkg|rpm|yum|dnf|pacman|apk-tools|alpine-base|snapd|python3?|perl|perl-base|grep|sed|tar|gzip|findutils|mount|procps|shadow(-utils)?|login|passwd|pam|libpam[\w.*-]*|openssh-server|openssh|init|base|base-files|filesystem|libstdc\+\+6|zlib1g|dbus|udev|polkit|linux|linux-lts|linux-image[\w.*-]*|linux-generic|linux-firmware|kernel[\w.*-]*|grub[\w.*-]*|shim[\w.*-]*|dracut|initramfs-tools|mkinitcpio|selinux-policy[\w.*-]*|ubuntu-desktop|ubuntu-minimal|gnome-shell|xorg|network-manager|networkmanager|netplan\.io|ifupdown|iproute2?|ca-certificates)(:\w+)?$/;

/** The same subcommands remove packages in most managers. */
const UNINSTALL = ["uninstall", "remove", "rm", "zap"];

/** How each manager removes: subcommand words (`apt remove`) or flags (`dpkg -r`, `pacman -R`). */
const REMOVE: Readonly<Record<string, readonly string[]>> = {
  apt: ["remove", "purge", "autoremove", "autopurge"],
  dpkg: ["-r", "-P", "--remove", "--purge"],
  dnf: ["remove", "erase", "rm", "autoremove"],
  zypper: ["remove", "erase", "rm", "autoremove"],
  rpm: ["-e", "--erase"],
  pacman: ["-R", "--remove"],
  apk: ["del"],
  "nix-env": ["-e", "--uninstall"],
  nix: ["profile remove"],
  // Only global ones: removing a project's dependency is routine.
  npm: ["global remove", "uninstall", "remove", "rm", "un", "r"],
  bun: ["remove", "rm"],
  ...Object.fromEntries(
    "brew port snap flatpak pip pipx gem cargo conda mamba choco winget scoop".split(" ")
      .map((pm) => [pm, UNINSTALL]),
  ),
};

/** The packages a command removes (words after the subcommand), or undefined if it removes none. */
function removed(r: ToolRead): string[] | undefined {
  const global = r.words[0] === "global" || hasOption(r, "-g") || hasOption(r, "--global");
  if ((r.tool === "npm" || r.tool === "bun") && !global) return undefined;
  for (const how of REMOVE[r.tool] ?? []) {
    if (how.startsWith("-")) {
      if (hasOption(r, how)) return r.words;
      continue;
    }
    const words = how.split(" ");
    if (words.every((w, i) => r.words[i] === w)) return r.words.slice(words.length);
  }
  return undefined;
}

const MANAGERS = Object.keys(REMOVE);

export const packageRules = rules("pkg", [
  {
    id: "remove-essential",
    risk: "high",
    reason: "removes a package the system needs to boot, log in or manage packages",
    on: MANAGERS,
    group: "pkg",
    match: (r) => removed(r)?.some((p) => ESSENTIAL.test(p)) ?? false,
    examples: {
      hit: [
        "sudo apt remove systemd",
        "yum remove glibc",
        "apt-get purge openssh-server",
        "apt-get -o Dpkg::Options::=--force-confold remove -y sudo",
        "dnf -y erase kernel-core",
        "apt purge 'linux-image-*'",
        "pacman -Rns linux",
        "dpkg --purge libc6",
        "zypper rm -y coreutils",
        "apk del busybox",
      ],
      miss: ["apt remove nginx", "apt install systemd", "pacman -S linux", "npm uninstall bash"],
    },
  },
  {
    id: "force",
    risk: "high",
    reason: "forces the package manager past its safety checks",
    on: MANAGERS,
    group: "pkg",
    match: (r) => {
      if (r.tool === "dpkg") {
        return r.args.some((a) => /^--force-(all|remove-essential|depends)/.test(a));
      }
      if (removed(r) === undefined) return false;
      if (r.tool === "pacman") return r.args.some((a) => /^-R\w*d\w*d/.test(a));
      return ["--force-yes", "--force", "--allow-remove-essential", "--nodeps", "--no-deps"]
        .some((f) => hasOption(r, f));
    },
    examples: {
      hit: [
        "apt remove nginx --force-yes",
        "yum remove httpd --force",
        "rpm -e --nodeps bash",
        "pacman -Rdd glibc",
        "dpkg -i --force-all x.deb",
      ],
      miss: ["apt remove nginx", "pacman -Rd vim", "rpm -i --nodeps x.rpm"],
    },
  },
  {
    id: "system-bypass",
    risk: "moderate",
    reason: "installs into the system's own Python, which can break system tools",
    on: ["pip", "python", "python3", "uv"],
    group: "pkg",
    flags: ["--break-system-packages"],
    examples: {
      hit: [
        "pip install requests --break-system-packages",
        "python3 -m pip install --break-system-packages x",
      ],
      miss: ["pip install requests"],
    },
  },
  {
    id: "remove",
    risk: "moderate",
    reason: "uninstalls software",
    on: MANAGERS,
    group: "pkg",
    match: (r) => removed(r) !== undefined,
    examples: {
      hit: [
        "apt remove nginx",
        "brew uninstall node",
        "pip uninstall requests",
        "pacman -Rns vim",
        "npm uninstall -g typescript",
        "yarn global remove serve",
        "rpm -e httpd",
        "nix profile remove 3",
        "bun rm -g serve",
      ],
      miss: ["apt install nginx", "brew list", "npm uninstall lodash", "rpm -qa"],
    },
  },
]);
