/**
 * Windows commands that sometimes reach a POSIX prompt (WSL, Git Bash, PowerShell on macOS):
 * recursive deletes, formatting, shadow-copy deletion, registry deletes.
 *
 * @module
 */

import { classifyPath } from "../paths.ts";
import type { Rule } from "../rule.ts";
import type { Invocation } from "../command.ts";

function winPaths(c: Invocation): string[] {
  return c.args.filter((a) => !/^[/-][a-z]+$/i.test(a) && !/^-\w+:?$/i.test(a));
}

function recursiveWin(c: Invocation): boolean {
  return c.args.some((a) => /^(\/s|-recurse|-r)$/i.test(a));
}

const DEL = ["del", "erase", "rd", "rmdir", "remove-item", "ri", "rm"];

export const windowsRules: Rule[] = [
  {
    id: "win.delete-drive",
    category: "windows",
    risk: "critical",
    reason: "deletes the contents of a whole drive or the Windows folder",
    commands: DEL,
    group: "win-del",
    match: (c) => winPaths(c).some((p) => classifyPath(p) === "windows-root"),
    examples: {
      hit: ["del /s /q C:\\", "Remove-Item -Recurse -Force C:\\", "rd /s /q C:\\Windows"],
      miss: ["del notes.txt", "Remove-Item .\\build"],
    },
  },
  {
    id: "win.delete-everything-here",
    category: "windows",
    risk: "high",
    reason: "recursively deletes everything in the current or parent folder",
    commands: DEL,
    group: "win-del",
    match: (c) =>
      c.key !== "rm" && recursiveWin(c) &&
      winPaths(c).some((p) => ["cwd-all", "parent"].includes(classifyPath(p.replace(/\\/g, "/")))),
    examples: {
      hit: ["Remove-Item * -Recurse -Force", "rd /s /q .."],
      miss: ["Remove-Item .\\build -Recurse"],
    },
  },
  {
    id: "win.delete-recursive",
    category: "windows",
    risk: "moderate",
    reason: "deletes a folder tree or forces deletion without confirmation",
    commands: ["del", "erase", "rd", "remove-item", "ri"],
    group: "win-del",
    match: (c) => recursiveWin(c) || c.args.some((a) => /^(\/f|\/q|-force)$/i.test(a)),
    examples: {
      hit: ["Remove-Item .\\build -Force -Recurse", "del /f important.docx", "rd /s build"],
      miss: ["del notes.txt"],
    },
  },
  {
    id: "win.destroy",
    category: "windows",
    risk: "high",
    commands: [
      "vssadmin",
      "wmic",
      "bcdedit",
      "reg",
      "diskpart",
      "cipher",
      "clear-disk",
      "format-volume",
      "remove-partition",
      "initialize-disk",
    ],
    reason: "deletes backups (shadow copies), boot entries or registry keys, or wipes a disk",
    match: (c) => {
      const a = c.args.join(" ");
      return (c.key === "vssadmin" && /\bdelete\s+shadows\b/i.test(a)) ||
        (c.key === "wmic" && /\bshadowcopy\s+delete\b/i.test(a)) ||
        (c.key === "bcdedit" && /\/(delete|set)\b/i.test(a)) ||
        (c.key === "reg" && /^delete$/i.test(c.args[0] ?? "")) ||
        (c.key === "diskpart") ||
        (c.key === "cipher" && /\/w/i.test(a)) ||
        (/^(clear-disk|format-volume|remove-partition|initialize-disk)$/.test(c.key));
    },
    examples: {
      hit: [
        "vssadmin delete shadows /all /quiet",
        "reg delete HKLM\\Software\\X /f",
        "Clear-Disk -Number 1",
      ],
      miss: ["reg query HKLM\\Software"],
    },
  },
];
