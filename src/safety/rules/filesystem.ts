/**
 * Deleting and destroying files: `rm` with path awareness, `find -delete`, `shred`, moving onto
 * `/dev/null`, `rsync --delete`, truncation.
 *
 * @module
 */

import { argView, hasFlag, type Invocation } from "../command.ts";
import { classifyPath, type PathClass } from "../paths.ts";
import type { Rule } from "../rule.ts";
import { parseFind } from "../find.ts";

interface RmView {
  recursive: boolean;
  force: boolean;
  targets: string[];
  noPreserveRoot: boolean;
}

function rmView(cmd: Invocation): RmView {
  const v = argView(cmd.args);
  return {
    recursive: hasFlag(v, "r", "R", "--recursive"),
    force: hasFlag(v, "f", "--force"),
    targets: v.positionals,
    noPreserveRoot: v.long.has("--no-preserve-root"),
  };
}

/** True when an `rm` removes a target of one of the classes (recursively if asked). */
function rmHits(cmd: Invocation, classes: PathClass[], needRecursive = true): boolean {
  const v = rmView(cmd);
  if (needRecursive && !v.recursive) return false;
  return v.targets.some((t) => classes.includes(classifyPath(t, cmd.env)));
}

const RM = ["rm", "grm"];

export const filesystemRules: Rule[] = [
  {
    id: "fs.rm-root",
    category: "filesystem",
    risk: "critical",
    reason: "deletes everything on the system, starting from /",
    commands: RM,
    group: "rm",
    match: (c) => rmHits(c, ["root"]) || (rmView(c).noPreserveRoot),
    examples: {
      hit: ["rm -rf /", "sudo rm -rf /*", "rm -r -f /", "rm -fr //", "rm -rf -- /", "\\rm -rf /"],
      miss: ["rm -rf ./build", "rm -f /", "rm -rf /tmp/x"],
    },
  },
  {
    id: "fs.rm-home",
    category: "filesystem",
    risk: "critical",
    reason: "deletes your whole home directory",
    commands: RM,
    group: "rm",
    match: (c) => rmHits(c, ["home"]),
    examples: {
      hit: ["rm -rf ~", "rm -rf ~/", "rm -rf $HOME", 'rm -rf "$HOME"/*', "rm -Rf ${HOME}/"],
      miss: ["rm -rf ~/project/build", "rm ~/notes.txt"],
    },
  },
  {
    id: "fs.rm-system-dir",
    category: "filesystem",
    risk: "critical",
    reason: "deletes a system directory the machine needs to run",
    commands: RM,
    group: "rm",
    match: (c) => rmHits(c, ["system", "windows-root"]),
    examples: {
      hit: ["rm -rf /etc", "rm -rf /usr/lib", "sudo rm -r /boot/", "rm -rf C:\\"],
      miss: ["rm -rf /etc/nginx/sites-enabled/old", "rm /etc"],
    },
  },
  {
    id: "fs.rm-system-path",
    category: "filesystem",
    risk: "high",
    reason: "recursively deletes files inside a system directory",
    commands: RM,
    group: "rm",
    match: (c) => rmHits(c, ["system-sub"]),
    examples: {
      hit: ["rm -rf /var/log/nginx", "rm -rf /home/alice", "TMPDIR=/Users rm -rf $TMPDIR/x"],
      miss: ["rm -rf /tmp/cache", "rm /var/log/app.log"],
    },
  },
  {
    id: "fs.rm-everything-here",
    category: "filesystem",
    risk: "high",
    reason: "deletes everything in the current or parent directory",
    commands: RM,
    group: "rm",
    match: (c) => {
      const v = rmView(c);
      return v.targets.some((t) => {
        const k = classifyPath(t, c.env);
        // A bare `*` empties the directory even without -r.
        return (k === "cwd-all" && (v.recursive || /\*/.test(t))) ||
          (k === "parent" && v.recursive);
      });
    },
    examples: {
      hit: ["rm -rf *", "rm -rf .", "rm -f *", "rm -r ..", "rm -rf ./*"],
      miss: ["rm *.log", "rm -rf ./build", "rm -r ../old"],
    },
  },
  {
    id: "fs.rm-git-dir",
    category: "git",
    risk: "high",
    reason: "deletes a repository's .git directory: all its history and unpushed work",
    commands: RM,
    group: "rm",
    match: (c) => rmView(c).recursive && rmView(c).targets.some((t) => /(^|\/)\.git\/?$/.test(t)),
    examples: {
      hit: ["rm -rf .git", "rm -rf ./project/.git/"],
      miss: ["rm -rf .github", "rm .gitignore"],
    },
  },
  {
    id: "fs.rm-variable-root",
    category: "filesystem",
    risk: "high",
    reason: "deletes a path built from a variable; if it is empty this deletes from /",
    commands: RM,
    group: "rm",
    match: (c) =>
      rmView(c).recursive &&
      rmView(c).targets.some((t) =>
        /^\$\{?[A-Za-z_]\w*\}?\/(\*|\.\*)?$/.test(t) &&
        classifyPath(t, c.env) === "variable"
      ),
    examples: { hit: ['rm -rf "$BUILD_DIR/"', "rm -rf $DIR/*"], miss: ["rm -rf $TMPDIR/build"] },
  },
  {
    id: "fs.rm-home-path",
    category: "filesystem",
    risk: "moderate",
    reason: "recursively deletes a directory in your home",
    commands: RM,
    group: "rm",
    match: (c) => rmHits(c, ["home-sub"]),
    examples: { hit: ["rm -r ~/Documents/old"], miss: ["rm ~/a.txt", "rm -rf /tmp/a"] },
  },
  {
    id: "fs.rm-recursive",
    category: "filesystem",
    risk: "moderate",
    reason: "recursively deletes a directory tree; there is no undo",
    commands: RM,
    group: "rm",
    match: (c) => {
      const v = rmView(c);
      if (!v.recursive) return false;
      if (v.targets.length === 0) return c.via.length > 0; // targets come from xargs/find
      return v.targets.some((t) => classifyPath(t, c.env) !== "temp");
    },
    examples: {
      hit: ["rm -rf ./build", "rm -r node_modules", "find . -name x -exec rm -rf {} +"],
      miss: ["rm -rf /tmp/build", "rm -f build.log", "rm -rf $TMPDIR/x", "echo rm -rf build"],
    },
  },
  {
    id: "fs.find-delete",
    category: "filesystem",
    risk: "moderate",
    reason: "find deletes every file it matches",
    commands: ["find", "gfind"],
    group: "find",
    match: (c) => parseFind(c.args).deletes,
    examples: {
      hit: ['find . -name "*.pyc" -delete'],
      miss: ['find . -name "*.pyc"', "find . -name -delete -print"],
    },
  },
  {
    id: "fs.find-delete-all",
    category: "filesystem",
    risk: "high",
    reason: "find deletes everything under the starting directory (no filter)",
    commands: ["find", "gfind"],
    group: "find",
    match: (c) => {
      const f = parseFind(c.args);
      return f.deletes && !f.filtered;
    },
    examples: {
      hit: ["find . -delete", "find /srv/data -mindepth 1 -delete"],
      miss: ["find . -type f -name '*.o' -delete"],
    },
  },
  {
    id: "fs.find-delete-system",
    category: "filesystem",
    risk: "critical",
    reason: "find deletes files across the whole system or your home",
    commands: ["find", "gfind"],
    group: "find",
    match: (c) => {
      const f = parseFind(c.args);
      return f.deletes &&
        f.starts.some((s) => ["root", "home", "system"].includes(classifyPath(s, c.env)));
    },
    examples: {
      hit: ["find / -name '*.log' -delete", "find ~ -delete"],
      miss: ["find ./tmp -delete"],
    },
  },
  {
    id: "fs.shred",
    category: "filesystem",
    risk: "moderate",
    reason: "overwrites files so they can never be recovered",
    commands: ["shred", "srm", "wipe", "scrub"],
    group: "shred",
    match: (c) => argView(c.args).positionals.length > 0 && !hasFlag(argView(c.args), "--help"),
    examples: { hit: ["shred -u secret.txt", "shred secret.txt"], miss: ["shred --help"] },
  },
  {
    id: "fs.move-to-dev-null",
    category: "filesystem",
    risk: "high",
    reason: "moves files onto /dev/null: the data is gone (and as root it breaks /dev/null)",
    commands: ["mv"],
    match: (c) => {
      const p = argView(c.args, ["-t", "--target-directory", "-S", "--suffix"]).positionals;
      return p.length >= 2 && p[p.length - 1] === "/dev/null";
    },
    examples: {
      hit: ["mv file.txt /dev/null", "sudo mv -f ./ /dev/null"],
      miss: ["mv /dev/null", "mv a b"],
    },
  },
  {
    id: "fs.move-system",
    category: "filesystem",
    risk: "high",
    reason: "moves a system directory away; the system stops working",
    commands: ["mv"],
    match: (c) => {
      const p = argView(c.args).positionals;
      return p.length >= 2 &&
        p.slice(0, -1).some((s) => ["root", "system", "home"].includes(classifyPath(s, c.env)));
    },
    examples: { hit: ["mv /usr /usr.old", "mv ~ /tmp/x"], miss: ["mv ./a ./b"] },
  },
  {
    id: "fs.move-system-file",
    category: "filesystem",
    risk: "moderate",
    reason: "moves a system file away from where the system expects it",
    commands: ["mv"],
    match: (c) => {
      const p = argView(c.args, ["-t", "--target-directory", "-S", "--suffix"]).positionals;
      return p.length >= 2 && p.slice(0, -1).some((s) => classifyPath(s, c.env) === "system-sub");
    },
    examples: { hit: ["mv /etc/hosts /tmp/hosts.bak"], miss: ["mv ./a /etc/x.conf", "mv a b"] },
  },
  {
    id: "fs.truncate",
    category: "filesystem",
    risk: "moderate",
    reason: "empties a file, discarding its contents",
    commands: ["truncate"],
    match: (c) => {
      const v = argView(c.args, ["-s", "--size", "-r", "--reference"]);
      const size = c.args.find((_, i) => c.args[i - 1] === "-s" || c.args[i - 1] === "--size") ??
        c.args.find((a) => /^(-s|--size=)/.test(a))?.replace(/^(-s|--size=)/, "");
      return v.positionals.length > 0 && /^(0+[KMGTPEZY]?B?|-.*|<.*|\/.*)$/i.test(size ?? "");
    },
    examples: {
      hit: ["truncate -s 0 file.txt", "truncate --size=0 a.log"],
      miss: ["truncate -s 10G disk.img"],
    },
  },
  {
    id: "fs.sync-delete",
    category: "filesystem",
    risk: "moderate",
    reason: "deletes files at the destination that are not in the source",
    commands: ["rsync", "rclone", "unison"],
    match: (c) => {
      // rsync -n is a dry run.
      if (c.key === "rsync" && hasFlag(argView(c.args), "n")) return false;
      return c.args.some((a) =>
        /^--(delete|del|delete-\w+|remove-source-files|delete-excluded|max-delete=-?\d+)$/.test(a)
      ) ||
        (c.key === "rclone" &&
          /^(delete|deletefile|purge|rmdirs?|cleanup|dedupe|sync|move|moveto|bisync)$/.test(
            argView(c.args).positionals[0] ?? "",
          ));
    },
    examples: {
      hit: ["rsync -a --delete src/ dst/", "rclone purge remote:bucket", "rclone sync a remote:b"],
      miss: ["rsync -avz src/ dst/", "rclone ls remote:bucket", "rsync -n --delete a/ b/"],
    },
  },
  {
    id: "fs.truncate-system",
    category: "filesystem",
    risk: "high",
    reason: "empties a system file",
    commands: ["truncate"],
    match: (c) =>
      argView(c.args, ["-s", "--size", "-r", "--reference"]).positionals.some((p) =>
        ["system-sub", "system"].includes(classifyPath(p, c.env))
      ),
    examples: { hit: ["truncate -s 0 /etc/passwd"], miss: ["truncate -s 0 app.log"] },
  },
  {
    id: "fs.overwrite-system-file",
    category: "filesystem",
    risk: "high",
    reason: "overwrites a system configuration file",
    group: "system-write",
    evenDryRun: true,
    match: (c) =>
      c.redirects.some((r) =>
        /^(>|>\||&>|>>)$/.test(r.op) &&
        /^\/etc\/(passwd|shadow|group|gshadow|sudoers|fstab|hosts|resolv\.conf|ssh\/sshd_config|pam\.d\/)/
          .test(r.target)
      ) ||
      (["tee", "cp", "install", "dd", "ln"].includes(c.key) &&
        c.args.some((a) =>
          /^(of=)?\/etc\/(passwd|shadow|group|gshadow|sudoers|fstab|hosts|resolv\.conf|ssh\/sshd_config)$/
            .test(a)
        ) && !(c.key === "cp" && argView(c.args).positionals[0]?.startsWith("/etc/"))),
    examples: {
      hit: [
        "cat hosts.new > /etc/hosts",
        "echo 'x ALL=(ALL) NOPASSWD: ALL' | sudo tee -a /etc/sudoers",
      ],
      miss: ["cat /etc/hosts", "cp /etc/hosts ./hosts.bak"],
    },
  },
  {
    id: "fs.write-system-dir",
    category: "filesystem",
    risk: "moderate",
    reason: "writes into a system directory",
    group: "system-write",
    match: (c) =>
      c.redirects.some((r) =>
        /^(>|>\||&>|>>)$/.test(r.op) &&
        ["system-sub", "system"].includes(classifyPath(r.target, c.env)) &&
        !/^\/dev\//.test(r.target) && !/^\/proc\/self\//.test(r.target)
      ),
    examples: {
      hit: ["echo 1 > /proc/sys/kernel/sysrq", "echo x >> /etc/profile"],
      miss: ["echo x > /dev/null", "echo x > out.txt"],
    },
  },
];
