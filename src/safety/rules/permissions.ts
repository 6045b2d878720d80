/**
 * Permissions and ownership: recursive chmod/chown on the system, a home or everything here,
 * world-writable and setuid files, system files. Paths are read by `locate` (paths.ts), against
 * a `cd` earlier on the line.
 *
 * @module
 */

import type { Invocation, Line } from "../command.ts";
import { locateArg, type Place } from "../paths.ts";
import { rules } from "../rule.ts";
import { hasOption, type ToolRead } from "../tools.ts";

const PERM = ["chmod", "chown", "chgrp", "chattr", "setfacl", "icacls", "takeown"];

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

export const permissionRules = rules("perm", [
  {
    id: "recursive-system",
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
    id: "recursive-wide",
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
    id: "setuid",
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
    id: "world-writable-system",
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
    id: "system-path",
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
    id: "world-writable",
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
]);
