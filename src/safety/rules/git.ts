/**
 * Git: discarding work and rewriting or deleting history (`reset --hard`, `push --force`,
 * `clean -fdx`, `branch -D`, `checkout -- .`, `stash clear`, `filter-branch`).
 *
 * @module
 */

import { type ArgView, argView, hasFlag, type Invocation } from "../command.ts";
import type { Rule } from "../rule.ts";

/** Git's global options that take a value (`git -C repo reset`). */
const GLOBAL_WITH_VALUE = [
  "-C",
  "-c",
  "--git-dir",
  "--work-tree",
  "--namespace",
  "--exec-path",
  "--config-env",
  "--super-prefix",
];

/** The git subcommand and a view of its own arguments. */
function gitCommand(c: Invocation): { sub: string; view: ArgView; args: string[] } {
  let i = 0;
  const a = c.args;
  while (i < a.length) {
    const x = a[i];
    if (x === "--") {
      i++;
      continue;
    }
    if (!x.startsWith("-")) break;
    i += GLOBAL_WITH_VALUE.includes(x) ? 2 : 1;
  }
  const args = a.slice(i + 1);
  return { sub: a[i] ?? "", view: argView(args), args };
}

const GIT = ["git"];

function git(sub: string | string[], test: (view: ArgView, args: string[]) => boolean) {
  const subs = Array.isArray(sub) ? sub : [sub];
  return (c: Invocation) => {
    const g = gitCommand(c);
    return subs.includes(g.sub) && !isHelp(g.args) && test(g.view, g.args);
  };
}

/** `git x --help` only shows a manual page. */
function isHelp(args: string[]): boolean {
  return args.some((a) => a === "--help" || a === "-h");
}

/** `.`, `*`, `:/` and friends: the whole working tree. */
const WHOLE_TREE = /^(\.|\.\/|\*|:\/|:\/\*|\.\/\*|:)$/;

export const gitRules: Rule[] = [
  {
    id: "git.reset-hard",
    category: "git",
    risk: "high",
    reason: "git reset --hard throws away all uncommitted changes for good",
    commands: GIT,
    match: git("reset", (v) => hasFlag(v, "--hard")),
    examples: {
      hit: ["git reset --hard", "git -C repo reset --hard HEAD~1", "sudo git reset --hard"],
      miss: ["git reset HEAD file.txt", "git reset --soft HEAD~1", "echo 'git reset --hard'"],
    },
  },
  {
    id: "git.reset-merge",
    category: "git",
    risk: "moderate",
    reason: "git reset can discard changes in the working tree",
    commands: GIT,
    match: git("reset", (v) => hasFlag(v, "--merge", "--keep")),
    examples: { hit: ["git reset --merge"], miss: ["git reset"] },
  },
  {
    id: "git.push-force",
    category: "git",
    risk: "high",
    reason: "force-pushing overwrites the remote branch; others' commits can be lost",
    commands: GIT,
    match: git("push", (v) => {
      const lease = [...v.long.keys()].some((k) => /^--force-(with-lease|if-includes)$/.test(k));
      const forced = hasFlag(v, "f", "--force") ||
        v.positionals.slice(1).some((p) => /^\+/.test(p));
      return forced && !lease;
    }),
    examples: {
      hit: ["git push --force", "git push -f origin main", "git push origin +main"],
      miss: [
        "git push --force-with-lease",
        "git push origin main",
        "git push --force --force-with-lease",
      ],
    },
  },
  {
    id: "git.push-delete",
    category: "git",
    risk: "moderate",
    reason: "deletes a branch or tag on the remote",
    commands: GIT,
    match: git("push", (v) =>
      hasFlag(v, "d", "--delete", "--prune", "--mirror") ||
      v.positionals.slice(1).some((p) => /^:[^/]/.test(p))),
    examples: {
      hit: ["git push origin --delete feature", "git push origin :feature-branch"],
      miss: ["git push origin feature"],
    },
  },
  {
    id: "git.clean-force",
    category: "git",
    risk: "moderate",
    reason: "git clean deletes untracked files, which git cannot bring back",
    commands: GIT,
    group: "git-clean",
    match: git("clean", (v) => hasFlag(v, "f", "--force") && !hasFlag(v, "n", "--dry-run")),
    examples: { hit: ["git clean -f"], miss: ["git clean -n", "git clean -fdn"] },
  },
  {
    id: "git.clean-all",
    category: "git",
    risk: "high",
    reason: "git clean -d/-x deletes untracked directories and ignored files for good",
    commands: GIT,
    group: "git-clean",
    match: git(
      "clean",
      (v) =>
        hasFlag(v, "f", "--force") && hasFlag(v, "d", "x", "X") && !hasFlag(v, "n", "--dry-run"),
    ),
    examples: {
      hit: ["git clean -fdx", "git clean -fd"],
      miss: ["git clean -fdxn", "git clean -f"],
    },
  },
  {
    id: "git.branch-force-delete",
    category: "git",
    risk: "moderate",
    reason: "force-deletes a branch even if its commits are not merged anywhere",
    commands: GIT,
    match: git(
      "branch",
      (v) => hasFlag(v, "D") || (hasFlag(v, "d", "--delete") && hasFlag(v, "f", "--force")),
    ),
    examples: {
      hit: ["git branch -D feature", "git branch --delete --force feature"],
      miss: ["git branch -d feature", "git branch feature"],
    },
  },
  {
    id: "git.discard-changes",
    category: "git",
    risk: "moderate",
    reason: "overwrites uncommitted changes in the working tree",
    commands: GIT,
    match: (c) => {
      const { sub, view, args } = gitCommand(c);
      if (isHelp(args)) return false;
      if (sub === "checkout") {
        const opts = argView(args, ["-b", "-B", "--orphan", "--conflict"]);
        if (hasFlag(opts, "f", "--force")) return true;
        if (args.includes("--")) return args.indexOf("--") < args.length - 1;
        // `checkout BRANCH PATH…` takes files from BRANCH over the working tree.
        return opts.positionals.length >= 2 && !hasFlag(opts, "b", "B", "--orphan");
      }
      if (sub === "switch") {
        const opts = argView(args, ["-c", "-C", "--create", "--force-create", "--orphan"]);
        return hasFlag(opts, "f", "--force", "--discard-changes");
      }
      if (sub === "restore") {
        const staged = hasFlag(view, "S", "--staged");
        const worktree = hasFlag(view, "W", "--worktree");
        return !staged || worktree || view.positionals.some((p) => WHOLE_TREE.test(p));
      }
      return false;
    },
    examples: {
      hit: [
        "git checkout -- .",
        "git checkout -f main",
        "git checkout main a.txt",
        "git restore .",
        "git switch -f main",
      ],
      miss: [
        "git checkout main",
        "git checkout -b new",
        "git restore --staged file.txt",
        "git switch main",
        "git switch -Cfixup",
        "git checkout -Bnew-branch",
      ],
    },
  },
  {
    id: "git.stash-drop",
    category: "git",
    risk: "moderate",
    reason: "permanently deletes stashed changes",
    commands: GIT,
    match: git("stash", (v) => ["drop", "clear"].includes(v.positionals[0] ?? "")),
    examples: {
      hit: ["git stash drop stash@{0}", "git stash clear"],
      miss: ["git stash", "git stash pop"],
    },
  },
  {
    id: "git.rm-tree",
    category: "git",
    risk: "high",
    reason: "removes every file in the repository from disk and from git",
    commands: GIT,
    group: "git-rm",
    match: git(
      "rm",
      (v) => !hasFlag(v, "--cached") && v.positionals.some((p) => WHOLE_TREE.test(p)),
    ),
    examples: {
      hit: ["git rm -r .", "git rm -f *"],
      miss: ["git rm file.txt", "git rm --cached -r ."],
    },
  },
  {
    id: "git.rm-force",
    category: "git",
    risk: "moderate",
    reason: "force-removes files, including uncommitted changes to them",
    commands: GIT,
    group: "git-rm",
    match: git("rm", (v) => hasFlag(v, "f", "--force") && !hasFlag(v, "--cached")),
    examples: { hit: ["git rm -f notes.txt"], miss: ["git rm notes.txt"] },
  },
  {
    id: "git.rewrite-history",
    category: "git",
    risk: "high",
    reason: "rewrites or prunes git history; old commits become unrecoverable",
    commands: GIT,
    match: (c) => {
      const { sub, view, args } = gitCommand(c);
      if (sub === "filter-branch" || sub === "filter-repo") return true;
      // Expiring old entries is routine; expiring everything now loses the safety net.
      if (sub === "reflog") {
        return args[0] === "delete" ||
          (args[0] === "expire" &&
            args.some((a) => /^--expire(-unreachable)?=(now|all|0)$/.test(a)));
      }
      if (sub === "gc") return [...view.long].some(([k, v]) => k === "--prune" && v === "now");
      if (sub === "update-ref") return hasFlag(view, "d", "--delete");
      return false;
    },
    examples: {
      hit: [
        "git filter-branch --tree-filter 'rm x' HEAD",
        "git reflog expire --expire=now --all",
        "git update-ref -d HEAD",
      ],
      miss: ["git reflog show", "git gc", "git reflog expire --expire=90.days"],
    },
  },
  {
    id: "git.rebase",
    category: "git",
    risk: "moderate",
    reason: "rebasing rewrites commits",
    commands: GIT,
    match: git("rebase", (v) => !hasFlag(v, "--abort", "--continue", "--skip", "--quit")),
    examples: {
      hit: ["git rebase", "git rebase -i HEAD~3"],
      miss: ["git rebase --abort", "git pull --rebase"],
    },
  },
  {
    id: "git.worktree-remove",
    category: "git",
    risk: "moderate",
    reason: "deletes a worktree directory, including uncommitted work in it",
    commands: GIT,
    match: git("worktree", (v) => ["remove", "rm"].includes(v.positionals[0] ?? "")),
    examples: { hit: ["git worktree remove ../other"], miss: ["git worktree list"] },
  },
];
