/**
 * Package managers: removing packages (essential ones above all) and forcing past their checks.
 *
 * @module
 */

import { argView } from "../command.ts";
import type { Invocation } from "../command.ts";
import type { Rule } from "../rule.ts";

/** Packages whose removal breaks the system or locks you out. */
const ESSENTIAL =
  /^(systemd|libc6|glibc|coreutils|bash|dash|sudo|util-linux|apt|dpkg|rpm|yum|dnf|pacman|python3?|perl-base|openssh-server|openssh|linux-image[\w.-]*|linux-generic|grub[\w-]*|kernel[\w-]*|init|login|passwd|base-files|libstdc\+\+6|zlib1g|ubuntu-desktop|xorg|network-manager|networkmanager|ca-certificates)(:\w+)?$/;

/** Package managers: their removals are rated here, not as generic subcommands. */
export const PACKAGE_MANAGERS = [
  "apt",
  "apt-get",
  "aptitude",
  "dpkg",
  "yum",
  "dnf",
  "microdnf",
  "zypper",
  "rpm",
  "pacman",
  "yay",
  "paru",
  "apk",
  "brew",
  "port",
  "snap",
  "flatpak",
  "pip",
  "pip3",
  "pipx",
  "gem",
  "cargo",
  "conda",
  "mamba",
  "choco",
  "winget",
  "scoop",
  "npm",
  "pnpm",
  "yarn",
  "nix-env",
];

/** What a package command removes, or undefined when it removes nothing. */
function removed(c: Invocation): string[] | undefined {
  const v = argView(c.args, ["-o", "-c", "--root"]);
  const [sub, ...rest] = v.positionals;
  switch (c.key) {
    case "apt":
    case "apt-get":
    case "aptitude":
      return /^(remove|purge|autoremove|autopurge)$/.test(sub ?? "") ? rest : undefined;
    case "dpkg":
      return c.args.some((a) => /^(-r|-P|--remove|--purge)$/.test(a)) ? v.positionals : undefined;
    case "yum":
    case "dnf":
    case "microdnf":
    case "zypper":
      return /^(remove|erase|rm|autoremove)$/.test(sub ?? "") ? rest : undefined;
    case "rpm":
      return c.args.some((a) => /^(-e|--erase)$/.test(a)) ? v.positionals : undefined;
    case "pacman":
    case "yay":
    case "paru":
      return c.args.some((a) => /^-R/.test(a)) ? v.positionals : undefined;
    case "apk":
      return sub === "del" ? rest : undefined;
    case "brew":
    case "port":
    case "snap":
    case "flatpak":
    case "pip":
    case "pip3":
    case "pipx":
    case "gem":
    case "cargo":
    case "conda":
    case "mamba":
    case "choco":
    case "winget":
    case "scoop":
      return /^(uninstall|remove|rm|zap)$/.test(sub ?? "") ? rest : undefined;
    case "npm":
    case "pnpm":
    case "yarn":
      return /^(uninstall|remove|rm|un|r)$/.test(sub ?? "") &&
          c.args.some((a) => /^(-g|--global)$/.test(a))
        ? rest
        : undefined;
    case "nix-env":
      return c.args.some((a) => /^(-e|--uninstall)$/.test(a)) ? v.positionals : undefined;
  }
  return undefined;
}

export const packageRules: Rule[] = [
  {
    id: "pkg.remove-essential",
    category: "packages",
    risk: "high",
    commands: PACKAGE_MANAGERS,
    reason: "removes a package the system needs to boot, log in or manage packages",
    group: "pkg",
    match: (c) => removed(c)?.some((p) => ESSENTIAL.test(p)) ?? false,
    examples: {
      hit: ["sudo apt remove systemd", "yum remove glibc", "apt-get purge openssh-server"],
      miss: ["apt remove nginx"],
    },
  },
  {
    id: "pkg.force",
    category: "packages",
    risk: "high",
    commands: PACKAGE_MANAGERS,
    reason: "forces the package manager past its safety checks",
    group: "pkg",
    match: (c) => {
      const r = removed(c);
      if (c.key === "dpkg") {
        return c.args.some((a) => /^--force-(all|remove-essential|depends)/.test(a));
      }
      if (c.key === "rpm") return c.args.includes("--nodeps") && r !== undefined;
      if (c.key === "pacman") return c.args.some((a) => /^-R\w*d\w*d/.test(a));
      return r !== undefined &&
        c.args.some((a) => /^--(force-yes|force|allow-remove-essential|nodeps|no-deps)$/.test(a));
    },
    examples: {
      hit: ["apt remove nginx --force-yes", "yum remove httpd --force", "rpm -e --nodeps bash"],
      miss: ["apt remove nginx"],
    },
  },
  {
    id: "pkg.system-bypass",
    category: "packages",
    risk: "moderate",
    reason: "installs into the system's own Python, which can break system tools",
    commands: ["pip", "pip3", "python", "python3"],
    group: "pkg",
    match: (c) => c.args.includes("--break-system-packages"),
    examples: {
      hit: ["pip install requests --break-system-packages"],
      miss: ["pip install requests"],
    },
  },
  {
    id: "pkg.remove",
    category: "packages",
    risk: "moderate",
    commands: PACKAGE_MANAGERS,
    reason: "uninstalls software",
    group: "pkg",
    match: (c) => removed(c) !== undefined,
    examples: {
      hit: ["apt remove nginx", "brew uninstall node", "pip uninstall requests", "pacman -Rns vim"],
      miss: ["apt install nginx", "brew list"],
    },
  },
];
