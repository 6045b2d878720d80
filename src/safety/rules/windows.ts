/**
 * Windows commands that sometimes reach a POSIX prompt (WSL, Git Bash, PowerShell on macOS):
 * recursive deletes, formatting, shadow-copy deletion, registry deletes.
 *
 * @module
 */

import { words } from "../programs.ts";
import { locate } from "../paths.ts";
import { rules } from "../rule.ts";
import type { ToolRead } from "../tools.ts";

/** The paths of a Windows command: its words that are not `/s`-style or `-Force`-style options. */
function winPaths(r: ToolRead): string[] {
  return r.args.filter((a) => !/^[/-][a-z]+$/i.test(a) && !/^-\w+:?$/i.test(a));
}

function recursiveWin(r: ToolRead): boolean {
  return r.args.some((a) => /^(\/s|-recurse|-r)$/i.test(a));
}

const DEL = ["del", "erase", "rd", "rmdir", "remove-item", "ri", "rm"];

export const windowsRules = rules("win", [
  {
    id: "delete-drive",
    risk: "critical",
    reason: "deletes the contents of a whole drive or the Windows folder",
    on: DEL,
    group: "win-del",
    match: (r) => winPaths(r).some((p) => locate(p).place === "windows-root"),
    examples: {
      hit: ["del /s /q C:\\", "Remove-Item -Recurse -Force C:\\", "rd /s /q C:\\Windows"],
      miss: ["del notes.txt", "Remove-Item .\\build"],
    },
  },
  {
    id: "delete-everything-here",
    risk: "high",
    reason: "recursively deletes everything in the current or parent folder",
    on: DEL.filter((d) => d !== "rm"),
    group: "win-del",
    match: (r) =>
      recursiveWin(r) &&
      winPaths(r).some((p) => /^(project-all|parent)$/.test(locate(p.replace(/\\/g, "/")).place)),
    examples: {
      hit: ["Remove-Item * -Recurse -Force", "rd /s /q .."],
      miss: ["Remove-Item .\\build -Recurse"],
    },
  },
  {
    id: "delete-recursive",
    risk: "moderate",
    reason: "deletes a folder tree or forces deletion without confirmation",
    on: ["del", "erase", "rd", "remove-item", "ri"],
    group: "win-del",
    match: (r) => recursiveWin(r) || r.args.some((a) => /^(\/f|\/q|-force)$/i.test(a)),
    examples: {
      hit: ["Remove-Item .\\build -Force -Recurse", "del /f important.docx", "rd /s build"],
      miss: ["del notes.txt"],
    },
  },
  {
    id: "destroy",
    risk: "high",
    reason: "deletes backups (shadow copies), boot entries or registry keys, or wipes a disk",
    on: words(`
      vssadmin wmic bcdedit reg diskpart cipher clear-disk format-volume remove-partition
      initialize-disk
    `),
    match: (r) => {
      const a = r.args.join(" ");
      switch (r.tool) {
        case "vssadmin":
          return /\bdelete\s+shadows\b/i.test(a);
        case "wmic":
          return /\bshadowcopy\s+delete\b/i.test(a);
        case "bcdedit":
          return /\/(delete|set)\b/i.test(a);
        case "cipher":
          return /\/w/i.test(a);
        case "reg":
          return /^delete$/i.test(r.args[0] ?? "");
        default:
          return true;
      }
    },
    examples: {
      hit: [
        "vssadmin delete shadows /all /quiet",
        "reg delete HKLM\\Software\\X /f",
        "Clear-Disk -Number 1",
        "REG DELETE HKCU\\Software\\X /f",
      ],
      miss: ["reg query HKLM\\Software", "vssadmin list shadows"],
    },
  },
]);
