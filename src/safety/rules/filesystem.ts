/**
 * Deleting and overwriting files: `rm`, `find -delete`, `rsync --delete`, `shred`, moving away or
 * onto `/dev/null`, truncating, and writing over system files and dotfiles (redirections, `tee`,
 * `cp`, `dd of=`, …). Paths are read by `locate` (paths.ts), against a `cd` earlier on the line.
 *
 * The deletion scale, by what is deleted (rm; find and rsync --delete read their start or
 * destination on the same scale, as a whole tree):
 *
 * | what is deleted                                                        | risk     |
 * |------------------------------------------------------------------------|----------|
 * | a file in the project (`rm notes.txt`); anything in a temp directory   | safe     |
 * | a tree in the project (`rm -rf ./build`, `find . -name x -delete`)     | moderate |
 * | outside the project: `../other`, `/mnt/x`, `~/notes.txt`, `/tmp/*`     | moderate |
 * | everything in the project or above it (`rm -rf .`, `rm *`, `rm -r ..`) | high     |
 * | a top-level folder of a home (`rm -rf ~/Documents`, `~alice/.ssh`)     | high     |
 * | a system path (`rm /etc/passwd`, `rm -rf /var/log/nginx`, `/opt/app`)  | high     |
 * | a system directory itself (`/etc`, `/usr/lib`, `/var/log`, `/home`)    | critical |
 * | a home or the root (`~`, `$HOME/*`, `/home/alice`, `/root`, `/`)       | critical |
 *
 * A relative path is read as given and against a `cd` earlier on the line (`cd / && rm -rf *`
 * is `rm -rf /*`), and the worse counts: the `cd` may fail or sit in a subshell.
 *
 * The overwrite scale, for a file replaced by `>`, `tee`, `cp`, `mv`, `install`, `ln`, `dd of=`,
 * `truncate`: a system file or a login/ssh file is high; a dotfile or config file in a home, a
 * file in an add-on directory (`/usr/local`, `/opt`) or a drop-in directory (`/etc/profile.d`),
 * or a kernel setting (`/proc/sys`) is moderate; anything else (the project, a temp directory,
 * a plain file in a home) is safe. Appending (`>>`, `tee -a`) is a step lower: safe for a
 * dotfile, moderate for a system file — except for the files that say who may log in or be root
 * (`sudoers`, `passwd`, `authorized_keys`): high.
 *
 * @module
 */

import { type Invocation, isDryRun, type Line } from "../command.ts";
import { parseFind } from "../find.ts";
import { ERASERS, innermost, isSecret } from "../match.ts";
import { locateArg, type Located } from "../paths.ts";
import { maxRisk, type Risk, riskRank } from "../risk.ts";
import { rules } from "../rule.ts";
import { optionValue } from "../options.ts";
import { hasOption, type ToolRead } from "../tools.ts";

/** What deleting a path amounts to, worst first; each has its rm rule below. */
const SCALE = {
  root: "critical",
  home: "critical",
  "system-dir": "critical",
  system: "high",
  "everything-here": "high",
  "variable-root": "high",
  "home-folder": "high",
  outside: "moderate",
  tree: "moderate",
} as const satisfies Record<string, Risk>;
type Deletion = keyof typeof SCALE;

/** The deletion scale: what deleting `t` (a whole tree when `tree`) amounts to. */
function deletion(t: Located, tree: boolean): Deletion | undefined {
  const many = tree || t.glob;
  switch (t.place) {
    case "root":
    case "windows-root":
      return "root";
    case "home":
      return "home";
    case "system":
      return tree ? "system-dir" : "system";
    case "system-sub":
      return "system";
    case "project-all":
    case "parent":
      // `rm .` and `rm ..` are refused; `rm *` empties the directory.
      return many ? "everything-here" : undefined;
    case "variable-root":
      return many ? "variable-root" : undefined;
    case "home-top":
      return tree ? "home-folder" : "outside";
    case "home-sub":
    case "outside":
      return "outside";
    case "scratch":
      return undefined;
    default: // project, variable, unknown
      return tree ? "tree" : undefined;
  }
}

/** Something inside `t`: what a filtered find under `t` deletes. */
function inside(t: Located): Located {
  const place = ({
    root: "system-sub",
    "windows-root": "system-sub",
    home: "home-sub",
    "home-top": "home-sub",
    system: "system-sub",
    "project-all": "project",
    parent: "outside",
    "variable-root": "variable",
  } as const)[t.place as string] ?? t.place;
  return { place, path: t.path, glob: false };
}

/** The worst of some risks, if any. */
const worst = (risks: (Risk | undefined)[]): Risk | undefined =>
  risks.reduce<Risk | undefined>((a, b) => (a && b ? maxRisk(a, b) : a ?? b), undefined);

// --- rm ---

const recursive = (r: ToolRead) =>
  hasOption(r, "-r") || hasOption(r, "-R") || hasOption(r, "--recursive");

/** `-i` (ask before every removal) given after any `-f`, which would override it. */
const interactive = (args: readonly string[]) => {
  const last = (re: RegExp) => args.findLastIndex((a) => re.test(a));
  return last(/^(-[a-zA-Z]*i[a-zA-Z]*|--interactive(=always)?)$/) >
    last(/^(-[a-zA-Z]*f[a-zA-Z]*|--force)$/);
};

const rmCache = new WeakMap<Invocation, Set<Deletion>>();

/** What an `rm` deletes, on the scale; every target read as given and against an earlier `cd`. */
function removes(r: ToolRead, cmd: Invocation, line: Line): Set<Deletion> {
  let kinds = rmCache.get(cmd);
  if (!kinds) {
    const tree = recursive(r);
    kinds = new Set();
    for (const target of r.words) {
      for (const t of locateArg(target, cmd, line)) {
        const kind = deletion(t, tree);
        // Every recursive delete is also a tree deleted; the group reports the worst.
        if (kind) kinds.add(kind).add(tree ? "tree" : kind);
      }
    }
    // `xargs rm -rf`, `find -exec rm -rf`: the targets come from elsewhere.
    if (tree && r.words.length === 0 && cmd.via.length > 0) kinds.add("tree");
    // `rm -i` asks before each file (unless a later -f overrides it): a tree at most.
    if (interactive(r.args) && [...kinds].some((k) => riskRank(SCALE[k]) > riskRank("moderate"))) {
      kinds = new Set(["tree"]);
    }
    rmCache.set(cmd, kinds);
  }
  return kinds;
}

const rm = (kind: Deletion) => (r: ToolRead, c: Invocation, l: Line) => removes(r, c, l).has(kind);

// --- find ---

/**
 * What find deletes, on the scale: `-delete`, or `-exec`/`-execdir` of a program that deletes
 * (`rm`, `unlink`, `shred`, through `sudo` and the like), each read like `-delete`: every match
 * under each start path, the start path as a whole tree, or what is inside it when a test
 * narrows the matches. `-ok rm` asks before each file.
 */
function findRisk(r: ToolRead, cmd: Invocation, line: Line): Risk | undefined {
  const f = parseFind(r.args);
  const erasers = f.execs.filter((e) => e.action.startsWith("-exec"))
    .map((e) => innermost(e.argv)).filter((e) => ERASERS.has(e.key) && !interactive(e.args));
  if (!f.deletes && erasers.length === 0) return undefined;
  const rmTree = erasers.some(({ args }) =>
    args.some((a) => /^-[a-zA-Z]*[rR]|^--recursive$/.test(a))
  );
  // `-delete` removes a directory only when it is empty (and `rm` without -r none):
  // `-type d -delete` prunes empty ones.
  const narrowed = f.filtered || (!rmTree && f.types.length > 0 && f.types.every((t) => t === "d"));
  return worst(f.starts.flatMap((s) =>
    locateArg(s, cmd, line).map((t) => {
      const kind = deletion(narrowed ? inside(t) : t, true);
      return kind && SCALE[kind];
    })
  ));
}

// --- rsync --delete ---

const SYNC_DELETE = /^--(delete|del|delete-(before|during|delay|after|excluded|missing-args))$/;

/** What `rsync --delete` may delete: everything in the destination that the source lacks. */
function syncRisk(r: ToolRead, cmd: Invocation, line: Line): Risk | undefined {
  if (!r.args.some((a) => SYNC_DELETE.test(a)) || r.words.length < 2) return undefined;
  const dest = r.words[r.words.length - 1];
  if (/^[^/]*:|^rsync:\/\//.test(dest)) return "moderate"; // remote: unknown
  return worst([
    "moderate",
    ...locateArg(dest, cmd, line).map((t) => SCALE[deletion(t, true) ?? "tree"]),
  ]);
}

// --- keys ---

/** Where keys live in a home: `~/.ssh` (public keys and host lists aside) and `~/.gnupg`. */
const KEY_PLACES =
  /^~\/\.(ssh|gnupg)\/?$|^~\/\.gnupg\/|^~\/\.ssh\/(?!.*\.pub$|known_hosts|config$)/;

/** Whether `cmd` names a private key, or a directory of them, however the home is spelled. */
function namesKeys(r: ToolRead, cmd: Invocation, line: Line): boolean {
  return r.words.some((w) =>
    isSecret(w) || locateArg(w, cmd, line).some((t) => KEY_PLACES.test(t.path) || isSecret(t.path))
  );
}

// --- writes ---

/** A file a command writes, and how. */
interface Write {
  path: string;
  append: boolean;
  /** The path is a directory the file goes into (`cp x /etc/`, `cp -t dir`). */
  into: boolean;
}

const WRITE_OPS = /^(>|>>|>\||&>|&>>|>&)$/;

/** Files that decide who may log in or become root: any write to them is high. */
const LOGIN_FILES =
  /^(\/etc\/(passwd|shadow|group|gshadow|sudoers)$|\/etc\/sudoers\.d\/|~\/\.ssh\/authorized_keys)/;
/** Keys and secrets in a home. */
const KEYS = /^~\/\.(ssh|gnupg)\//;
/** Add-on software, web roots and kernel settings: writing there is routine administration. */
const ADDON = /^\/(usr\/local|opt|srv|var\/www|proc|sys)(\/|$)/;

const writeCache = new WeakMap<Invocation, Set<WriteKind>>();

/** What `cmd`'s writes amount to on the overwrite scale (once per command; rules share it). */
function writeKinds(r: ToolRead, cmd: Invocation, line: Line): Set<WriteKind> {
  let kinds = writeCache.get(cmd);
  if (!kinds) {
    kinds = new Set();
    for (const w of writes(r, cmd)) {
      if (w.path.startsWith("/dev/")) continue; // devices: the disk rules
      for (const t of locateArg(w.path, cmd, line)) {
        const kind = writeKind(t, w);
        if (kind) kinds.add(kind);
      }
    }
    writeCache.set(cmd, kinds);
  }
  return kinds;
}

/** Every file `cmd` writes over or appends to: redirections, and the files of writing tools. */
function writes(r: ToolRead, cmd: Invocation): Write[] {
  const out = cmd.redirects
    .filter((d) => WRITE_OPS.test(d.op) && !(d.op === ">&" && /^(\d+|-)$/.test(d.target)))
    .map((d) => ({ path: d.target, append: d.op.includes(">>"), into: false }));
  const w = r.words;
  if (!isDryRun(cmd.args)) {
    const file = (path: string, append = false, into = false) => out.push({ path, append, into });
    switch (r.tool) {
      case "tee":
      case "sponge":
        w.forEach((p) => file(p, hasOption(r, "-a") || hasOption(r, "--append")));
        break;
      case "dd":
        r.args.filter((a) => a.startsWith("of=")).forEach((a) => file(a.slice(3)));
        break;
      case "truncate":
        if (shrinks(r)) w.forEach((p) => file(p));
        break;
      case "cp":
      case "mv":
      case "install":
      case "ln": {
        const dir = optionValue(r, ["-t", "--target-directory"]);
        if (typeof dir === "string") file(dir, false, true);
        else if (w.length >= 2 && !(r.tool === "install" && hasOption(r, "-d"))) {
          const dest = w[w.length - 1];
          file(dest, false, dest.endsWith("/"));
        }
      }
    }
  }
  return out;
}

/** `truncate -s 0`, `-s -1M`, `-s <10K`, `-s /4K`: the file loses contents. */
function shrinks(r: ToolRead): boolean {
  const size = optionValue(r, ["-s", "--size"]);
  return typeof size === "string" && /^(0+[KMGTPEZY]?i?B?|[-<\/].*)$/i.test(size);
}

type WriteKind = "system-file" | "system-dir" | "dotfile";

/** The overwrite scale (see the module comment). */
function writeKind(t: Located, w: Write): WriteKind | undefined {
  const p = t.path;
  if (p.startsWith("/dev/") || /^\/proc\/(self|\d+)\//.test(p)) return undefined;
  if (LOGIN_FILES.test(p)) return "system-file";
  if (KEYS.test(p)) return w.append || w.into ? undefined : "system-file";
  if (t.place === "system") return "system-dir";
  if (t.place === "system-sub") {
    // A file in a drop-in directory (`/etc/profile.d/x`) adds to the system's settings.
    return w.append || w.into || ADDON.test(p) || /\.d\/[^/]+$/.test(p)
      ? "system-dir"
      : "system-file";
  }
  if ((t.place === "home-top" || t.place === "home-sub") && p.startsWith("~/.")) {
    return w.append || w.into ? undefined : "dotfile";
  }
  return undefined;
}

const writesTo = (kind: WriteKind) => (r: ToolRead, cmd: Invocation, line: Line) =>
  (cmd.redirects.length > 0 || WRITERS.has(r.tool)) && writeKinds(r, cmd, line).has(kind);

/** Tools whose own arguments name files they write. */
const WRITERS = new Set(["tee", "sponge", "dd", "truncate", "cp", "mv", "install", "ln"]);

// --- mv ---

/** Where `mv` takes its sources from. */
function moved(r: ToolRead, cmd: Invocation, line: Line): Located[] {
  const dir = hasOption(r, "--target-directory") || hasOption(r, "-t");
  const sources = dir ? r.words : r.words.slice(0, -1);
  return sources.flatMap((s) => locateArg(s, cmd, line));
}

// --- tar ---

/** Where `tar -x` unpacks: `-C DIR`, else the working directory. */
function extractsInto(r: ToolRead, cmd: Invocation, line: Line): Located[] {
  const old = r.words[0] !== undefined && !r.args[0]?.startsWith("-") && r.args[0] === r.words[0];
  const extract = hasOption(r, "-x") || hasOption(r, "--extract") || hasOption(r, "--get") ||
    (old && /^[A-Za-z]*x/.test(r.words[0]));
  if (!extract) return [];
  const dir = optionValue(r, ["-C", "--directory"]);
  return locateArg(typeof dir === "string" ? dir : ".", cmd, line);
}

export const filesystemRules = rules("fs", [
  // rm: one rule per step of the deletion scale; the group reports the worst.
  {
    id: "rm-root",
    risk: SCALE.root,
    reason: "deletes everything on the system, starting from /",
    on: ["rm", "unlink"],
    group: "rm",
    match: (r, c, l) => rm("root")(r, c, l) || hasOption(r, "--no-preserve-root"),
    examples: {
      hit: [
        "rm -rf /",
        "sudo rm -rf /*",
        "rm -r -f /",
        "rm --recursive --force /",
        "rm -fr //",
        "rm -rf -- /",
        "rm -f /",
        "cd / && rm -rf *",
        "cd /usr; rm -rf ..",
        "rm -rf C:\\",
        "find / -maxdepth 0 -exec rm -rf {} +",
      ],
      miss: ["rm -rf ./build", "rm -rf /tmp/x", "rm -rf *", "cd /tmp && rm -rf *"],
    },
  },
  {
    id: "rm-home",
    risk: SCALE.home,
    reason: "deletes a whole home directory",
    on: ["rm", "unlink"],
    group: "rm",
    match: rm("home"),
    examples: {
      hit: [
        "rm -rf ~",
        "rm -rf ~/",
        "rm -rf $HOME",
        'rm -rf "$HOME"/*',
        "rm -Rf ${HOME}/",
        "rm -rf /home/alice/*",
        "rm -rf /Users/bob",
        "rm -rf ~alice",
        "sudo rm -rf /root",
        "rm -rf ~/.*",
        "cd ~; rm -rf .",
        "cd && rm -rf *",
        "find ~ -exec rm -rf {} +",
      ],
      miss: ["rm -rf ~/project/build", "rm ~/notes.txt", "rm -rf /home/alice/code/x/build"],
    },
  },
  {
    id: "rm-system-dir",
    risk: SCALE["system-dir"],
    reason: "deletes a system directory the machine needs to run",
    on: ["rm", "unlink"],
    group: "rm",
    match: rm("system-dir"),
    examples: {
      hit: ["rm -rf /etc", "rm -rf /usr/lib", "sudo rm -r /boot/", "rm -rf /home", "rm -rf /etc/*"],
      miss: ["rm -rf /etc/nginx/sites-enabled/old", "rm /etc"],
    },
  },
  {
    id: "rm-system-path",
    risk: SCALE.system,
    reason: "deletes files in a system directory",
    on: ["rm", "unlink"],
    group: "rm",
    match: rm("system"),
    examples: {
      hit: [
        "rm -rf /var/log/nginx",
        "rm /etc/passwd",
        "sudo rm -f /etc/hosts",
        "rm /etc",
        "unlink /usr/bin/python3",
        "cd /etc && rm *.conf",
        "rm -rf /opt/app",
        "rm -rf ${TMPDIR}/../etc",
      ],
      miss: ["rm -rf /tmp/cache", "rm ./etc/passwd", "rm -rf /mnt/data/old"],
    },
  },
  {
    id: "rm-everything-here",
    risk: SCALE["everything-here"],
    reason: "deletes everything in the current or parent directory",
    on: ["rm", "unlink"],
    group: "rm",
    match: rm("everything-here"),
    examples: {
      hit: ["rm -rf *", "rm -rf .", "rm -f *", "rm -r ..", "rm -rf ./*", "rm -rf $PWD/*"],
      miss: ["rm *.log", "rm -rf ./build", "rm -r ../old", "rm -f .", "rm -ri *"],
    },
  },
  {
    id: "rm-variable-root",
    risk: SCALE["variable-root"],
    reason: "deletes a path built from a variable; if it is empty this deletes from /",
    on: ["rm", "unlink"],
    group: "rm",
    match: rm("variable-root"),
    examples: {
      hit: ['rm -rf "$BUILD_DIR/"', "rm -rf $DIR/*", "rm -f ${OUT}/*"],
      miss: ["rm -rf $TMPDIR/build", "rm -rf $DIR/build", "rm $DIR/"],
    },
  },
  {
    id: "rm-home-folder",
    risk: SCALE["home-folder"],
    reason: "deletes a top-level folder of a home directory",
    on: ["rm", "unlink"],
    group: "rm",
    match: rm("home-folder"),
    examples: {
      hit: ["rm -rf ~/Documents", "rm -rf ~/.ssh", "rm -r /home/alice/.config", "rm -rf ~bob/src"],
      miss: ["rm ~/.bashrc", "rm -rf ~/code/app/build"],
    },
  },
  {
    id: "rm-git-dir",
    risk: "high",
    reason: "deletes a repository's .git directory: all its history and unpushed work",
    on: "rm",
    group: "rm",
    match: (r) => recursive(r) && r.words.some((t) => /(^|\/)\.git\/?$/.test(t)),
    examples: {
      hit: ["rm -rf .git", "rm -rf ./project/.git/"],
      miss: ["rm -rf .github", "rm .gitignore"],
    },
  },
  {
    id: "rm-outside",
    risk: SCALE.outside,
    reason: "deletes files outside the working directory",
    on: ["rm", "unlink"],
    group: "rm",
    match: rm("outside"),
    examples: {
      hit: [
        "rm -rf ../other",
        "rm -rf /mnt/backup/old",
        "rm ~/notes.txt",
        "rm -r ~/Documents/old",
        "rm -rf /tmp/*",
        "rm -rf $TMPDIR",
        "cd .. && rm -rf build",
      ],
      miss: ["rm -rf /tmp/build", "rm notes.txt", "rm -rf $TMPDIR/x", "rm -f /tmp/a.log"],
    },
  },
  {
    id: "rm-recursive",
    risk: SCALE.tree,
    reason: "recursively deletes a directory tree; there is no undo",
    on: "rm",
    group: "rm",
    match: rm("tree"),
    examples: {
      hit: [
        "rm -rf ./build",
        "rm -r node_modules",
        "rm --recursive --force dist",
        "find . -name x -exec rm -rf {} +",
        "echo ok | xargs -a paths rm -rf",
        "rm -rf $BUILD/out",
        "rm -ri ~",
      ],
      miss: ["rm -rf /tmp/build", "rm -f build.log", "rm -rf $TMPDIR/x", "echo rm -rf build"],
    },
  },
  // find: its start path on the same scale, as a whole tree, or what is inside it when a test
  // (`-name`, `-mtime`, …; not `-type`) narrows the matches.
  {
    id: "find-delete-system",
    risk: "critical",
    reason: "find deletes everything under /, a home or a system directory",
    on: "find",
    group: "find",
    match: (r, c, l) => findRisk(r, c, l) === "critical",
    examples: {
      hit: [
        "find / -delete",
        "find ~ -delete",
        "find $HOME -type f -delete",
        "find /var/log -type f -delete",
        "find ~ -execdir rm -rf {} +",
        "cd / && find . -delete",
        "find /etc -type f -exec rm -f {} \\;",
        "find / | xargs rm -rf",
        "find ~ -type f -print0 | xargs -0 sudo rm",
      ],
      miss: ["find ./tmp -delete", "find / -name '*.log' -delete", "find ~ -name '*.pyc'"],
    },
  },
  {
    id: "find-delete-all",
    risk: "high",
    reason: "find deletes a whole tree: everything in the project, or files in system directories",
    on: "find",
    group: "find",
    match: (r, c, l) => findRisk(r, c, l) === "high",
    examples: {
      hit: [
        "find . -delete",
        "find . -mindepth 1 -delete",
        "find . -type f -delete",
        "find . -type d -exec rm -rf {} +",
        "find /srv/data -mindepth 1 -delete",
        "find / -name '*.log' -delete",
        "find /var/log -name '*.gz' -delete",
        "find / -name '*.log' -exec rm -f {} +",
        "find ~/Documents -delete",
        "find . -type f -exec rm {} +",
        "gfind . -exec nice rm {} \\;",
      ],
      miss: [
        "find . -type f -name '*.o' -delete",
        "find / -name '*.log'",
        "find . -type d -delete",
      ],
    },
  },
  {
    id: "find-delete",
    risk: "moderate",
    reason: "find deletes every file it matches",
    on: "find",
    group: "find",
    match: (r, c, l) => findRisk(r, c, l) === "moderate",
    examples: {
      hit: [
        'find . -name "*.pyc" -delete',
        "find ./build -delete",
        "find ~/Downloads -mtime +30 -delete",
        "find /tmp -delete",
        "find ~ -name '*.tmp' -exec rm {} \\;",
        "find . -name '*.o' -exec rm -f {} +",
        "find ./build -name '*.o' -execdir unlink {} \\;",
        "find . -name '*.pyc' -print0 | xargs -0 rm -f",
        "find src -name '*.orig' | grep -v keep | xargs rm",
      ],
      miss: [
        'find . -name "*.pyc"',
        "find . -name -delete -print",
        "find /tmp/x -delete",
        "find . -name '*.o' -ok rm {} \\;",
        "find . -name '*.bak' -exec rm -i {} \\;",
        "find . -name '*.py' -exec grep -l TODO {} +",
        "find . -name '*.pyc' | xargs ls -l",
      ],
    },
  },
  {
    id: "shred-keys",
    risk: "high",
    reason: "destroys private keys beyond recovery: whatever they unlock is lost with them",
    on: ["shred", "srm", "wipe", "scrub"],
    group: "shred",
    match: namesKeys,
    examples: {
      hit: [
        "shred -u ~/.ssh/id_rsa",
        "shred -zun 7 $HOME/.ssh/*",
        "srm -r ~/.gnupg",
        "sudo gshred -u /home/bob/.ssh/id_ed25519",
        "wipe -f ~/.aws/credentials",
      ],
      miss: ["shred -u ~/.ssh/id_rsa.pub", "shred -u notes.txt", "shred ~/.ssh/known_hosts"],
    },
  },
  {
    id: "shred",
    risk: "moderate",
    reason: "overwrites files so they can never be recovered",
    on: ["shred", "srm", "wipe", "scrub"],
    group: "shred",
    match: (r) => r.words.length > 0,
    examples: { hit: ["shred -u secret.txt", "shred -n 3 secret.txt"], miss: ["shred --help"] },
  },
  {
    id: "move-to-dev-null",
    risk: "high",
    reason: "moves files onto /dev/null: the data is gone (and as root it breaks /dev/null)",
    on: "mv",
    match: (r) => r.words.length >= 2 && r.words[r.words.length - 1] === "/dev/null",
    examples: {
      hit: ["mv file.txt /dev/null", "sudo mv -f ./ /dev/null"],
      miss: ["mv /dev/null", "mv a b", "mv -t /dev/null"],
    },
  },
  {
    id: "move-system",
    risk: "high",
    reason: "moves a system directory or a home away; the system stops working",
    on: "mv",
    group: "mv",
    match: (r, c, l) =>
      moved(r, c, l).some((t) => /^(root|windows-root|home|system)$/.test(t.place)),
    examples: {
      hit: ["mv /usr /usr.old", "mv ~ /tmp/x", "mv -t /backup /etc", "cd / && mv etc etc.old"],
      miss: ["mv ./a ./b", "mv -t /etc ./a"],
    },
  },
  {
    id: "move-system-file",
    risk: "moderate",
    reason: "moves a system file away from where the system expects it",
    on: "mv",
    group: "mv",
    match: (r, c, l) => moved(r, c, l).some((t) => t.place === "system-sub"),
    examples: { hit: ["mv /etc/hosts /tmp/hosts.bak"], miss: ["mv ./a /etc/x.conf", "mv a b"] },
  },
  {
    id: "truncate",
    risk: "moderate",
    reason: "empties a file, discarding its contents",
    on: "truncate",
    match: (r) => r.words.length > 0 && shrinks(r),
    examples: {
      hit: ["truncate -s 0 file.txt", "truncate --size=0 a.log", "truncate -s0 a.log"],
      miss: ["truncate -s 10G disk.img", "truncate -r ref.txt copy.txt"],
    },
  },
  // rsync --delete: its destination on the deletion scale, as a whole tree.
  {
    id: "sync-delete-all",
    risk: "critical",
    reason: "sync deletes everything in /, a home or a system directory that the source lacks",
    on: "rsync",
    group: "sync",
    unless: ["-n", "--dry-run", "--list-only"],
    match: (r, c, l) => syncRisk(r, c, l) === "critical",
    examples: {
      hit: [
        "rsync -a --delete empty/ ~/",
        "rsync -a --delete empty/ $HOME",
        "sudo rsync -aAX --delete /mnt/snap/ /",
        "rsync -a --delete-after x/ /etc/",
      ],
      miss: ["rsync -a --delete src/ dst/", "rsync -a empty/ ~/", "rsync -an --delete e/ ~/"],
    },
  },
  {
    id: "sync-delete-wide",
    risk: "high",
    reason: "sync deletes everything in the project, a home folder or a system path",
    on: "rsync",
    group: "sync",
    unless: ["-n", "--dry-run", "--list-only"],
    match: (r, c, l) => syncRisk(r, c, l) === "high",
    examples: {
      hit: [
        "rsync -a --delete /backup/ .",
        "rsync -a --del x/ ~/Documents/",
        "rsync -e ssh -a --delete host:/srv/ /var/lib/app/",
      ],
      miss: ["rsync -a --delete src/ dst/", "rsync -e ssh -a src/ host:/srv/"],
    },
  },
  {
    id: "sync-delete",
    risk: "moderate",
    reason: "deletes files at the destination that are not in the source",
    on: ["rsync", "rclone", "unison"],
    group: "sync",
    unless: ["--dry-run", "--list-only"],
    match: (r, c, l) =>
      r.tool === "rsync"
        ? !hasOption(r, "-n") &&
          (syncRisk(r, c, l) === "moderate" || r.args.includes("--remove-source-files"))
        : r.tool === "rclone"
        ? /^(delete|deletefile|purge|rmdirs?|cleanup|dedupe|sync|move|moveto|bisync)$/.test(
          r.words[0] ?? "",
        )
        : r.args.some((a) => SYNC_DELETE.test(a)),
    examples: {
      hit: [
        "rsync -a --delete src/ dst/",
        "rsync -avz --delete /src/ /dest/",
        "rsync -a --remove-source-files /src/ host:/dest/",
        "rclone purge remote:bucket",
        "rclone sync a remote:b",
      ],
      miss: ["rsync -avz src/ dst/", "rclone ls remote:bucket", "rsync -n --delete a/ b/"],
    },
  },
  // Writing over files: the overwrite scale in the module comment.
  {
    id: "overwrite-system-file",
    risk: "high",
    reason: "overwrites a system file or a login or ssh file",
    on: "*",
    group: "write",
    evenDryRun: true,
    match: writesTo("system-file"),
    examples: {
      hit: [
        "cat hosts.new > /etc/hosts",
        "echo > /etc/hosts",
        "echo 'x ALL=(ALL) NOPASSWD: ALL' | sudo tee -a /etc/sudoers",
        "tee /etc/passwd < x",
        "cat key.pub > ~/.ssh/authorized_keys",
        "echo key >> /home/alice/.ssh/authorized_keys",
        "truncate -s 0 /etc/passwd",
        "sudo cp my.conf /etc/nginx/nginx.conf",
        "dd if=x of=/etc/shadow",
        "cd /etc && echo x > hosts",
        "ls --help > /etc/motd",
      ],
      miss: [
        "cat /etc/hosts",
        "cp /etc/hosts ./hosts.bak",
        "echo x >> /etc/hosts",
        "ssh-keyscan host >> ~/.ssh/known_hosts",
        "echo x > /dev/null",
      ],
    },
  },
  {
    id: "write-system-dir",
    risk: "moderate",
    reason: "writes into a system directory, or appends to a system file",
    on: "*",
    group: "write",
    evenDryRun: true,
    match: writesTo("system-dir"),
    examples: {
      hit: [
        "echo 1 > /proc/sys/kernel/sysrq",
        "echo x >> /etc/profile",
        "echo '1.2.3.4 x' | sudo tee -a /etc/hosts",
        "sudo cp app.service /etc/systemd/system/",
        "sudo install -m 755 tool /usr/local/bin/tool",
        "gcrane completion bash > /etc/bash_completion.d/gcrane",
      ],
      miss: ["echo x > /dev/null", "echo x > out.txt", "cp a /tmp/"],
    },
  },
  {
    id: "overwrite-dotfile",
    risk: "moderate",
    reason: "overwrites a dotfile or config file in a home; what it held is gone",
    on: "*",
    group: "write",
    evenDryRun: true,
    match: writesTo("dotfile"),
    examples: {
      hit: [
        "> ~/.bashrc",
        ": > ~/.zshrc",
        "echo x > $HOME/.profile",
        "truncate -s 0 ~/.profile",
        "cp x ~/.gitconfig",
        "ln -sf dotfiles/vimrc ~/.vimrc",
        "cd ~ && echo > .bashrc",
      ],
      miss: ["echo x >> ~/.bashrc", "echo x > ~/notes.txt", "cp x ~/", "echo x > .env"],
    },
  },
  {
    id: "extract-over-system",
    risk: "high",
    reason: "unpacks an archive over the root or a system directory, replacing system files",
    on: "tar",
    match: (r, c, l) =>
      extractsInto(r, c, l).some((t) =>
        /^(root|system)$/.test(t.place) || (t.place === "system-sub" && !ADDON.test(t.path))
      ),
    examples: {
      hit: [
        "tar -xf backup.tar -C /",
        "sudo tar xzf rootfs.tgz -C /usr",
        "tar -C /etc -xf conf.tar",
        "cd / && tar -xzf x.tgz",
      ],
      miss: ["tar -xf x.tar -C build", "tar -tf x.tar -C /", "tar -cf x.tar -C / etc", "tar xf x"],
    },
  },
]);
