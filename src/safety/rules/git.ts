/**
 * Git: discarding work and rewriting or deleting history (`reset --hard`, `push --force`,
 * `clean -fdx`, `branch -D`, `checkout -- .`, `stash clear`, `filter-branch`).
 *
 * @module
 */

import { rules } from "../rule.ts";
import { hasOption, type ToolRead } from "../tools.ts";

/** `.`, `*`, `:/` and friends: the whole working tree. */
const WHOLE_TREE = /^(\.|\.\/|\*|:\/|:\/\*|\.\/\*|:)$/;

/** The words after git's subcommand (`git stash drop` → `["drop"]`). */
const after = (r: ToolRead) => r.words.slice(1);

/** `git x --help` or `-h` only shows a manual page. */
const HELP = ["--help", "-h"];

export const gitRules = rules("git", [
  {
    id: "reset-hard",
    risk: "high",
    reason: "git reset --hard throws away all uncommitted changes for good",
    on: "git reset",
    flags: ["--hard"],
    unless: HELP,
    examples: {
      hit: [
        "git reset --hard",
        "git -C repo reset --hard HEAD~1",
        "sudo git reset --hard",
        "git -- reset --hard",
      ],
      miss: ["git reset HEAD file.txt", "git reset --soft HEAD~1", "echo 'git reset --hard'"],
    },
  },
  {
    id: "reset-merge",
    risk: "moderate",
    reason: "git reset can discard changes in the working tree",
    on: "git reset",
    flags: ["--merge", "--keep"],
    examples: { hit: ["git reset --merge"], miss: ["git reset"] },
  },
  {
    id: "push-force",
    risk: "high",
    reason: "overwrites the remote's branches; others' commits there can be lost for good",
    on: "git push",
    unless: [...HELP, "--force-with-lease", "--force-if-includes"],
    // `+ref` forces one ref; --mirror makes the remote an exact copy, deleting what it has extra.
    match: (r) =>
      hasOption(r, "-f") || hasOption(r, "--force") || hasOption(r, "--mirror") ||
      after(r).slice(1).some((p) => p.startsWith("+")),
    examples: {
      hit: [
        "git push --force",
        "git push -f origin main",
        "git push origin +main",
        "git push --mirror backup",
        "git push -uf origin HEAD",
      ],
      miss: [
        "git push --force-with-lease",
        "git push origin main",
        "git push --force --force-with-lease",
        "git push -o ci.skip origin main",
      ],
    },
  },
  {
    id: "push-delete",
    risk: "moderate",
    reason: "deletes a branch or tag on the remote",
    on: "git push",
    unless: HELP,
    match: (r) =>
      hasOption(r, "-d") || hasOption(r, "--delete") || hasOption(r, "--prune") ||
      after(r).slice(1).some((p) => /^:[^/]/.test(p)),
    examples: {
      hit: ["git push origin --delete feature", "git push origin :feature-branch"],
      miss: ["git push origin feature"],
    },
  },
  {
    id: "clean-force",
    risk: "moderate",
    reason: "git clean deletes untracked files, which git cannot bring back",
    on: "git clean",
    group: "git-clean",
    flags: ["-f", "--force"],
    unless: ["-n", "--dry-run", ...HELP],
    examples: { hit: ["git clean -f"], miss: ["git clean -n", "git clean -fdn"] },
  },
  {
    id: "clean-all",
    risk: "high",
    reason: "git clean -d/-x deletes untracked directories and ignored files for good",
    on: "git clean",
    group: "git-clean",
    flags: ["-d", "-x", "-X"],
    unless: ["-n", "--dry-run", ...HELP],
    match: (r) => hasOption(r, "-f") || hasOption(r, "--force"),
    examples: {
      hit: ["git clean -fdx", "git clean -fd"],
      miss: ["git clean -fdxn", "git clean -f"],
    },
  },
  {
    id: "branch-force-delete",
    risk: "moderate",
    reason: "force-deletes a branch even if its commits are not merged anywhere",
    on: "git branch",
    unless: HELP,
    match: (r) =>
      hasOption(r, "-D") ||
      ((hasOption(r, "-d") || hasOption(r, "--delete")) &&
        (hasOption(r, "-f") || hasOption(r, "--force"))),
    examples: {
      hit: ["git branch -D feature", "git branch --delete --force feature"],
      miss: ["git branch -d feature", "git branch feature"],
    },
  },
  {
    id: "discard-changes",
    risk: "moderate",
    reason: "overwrites uncommitted changes in the working tree",
    on: ["git checkout", "git switch", "git restore"],
    unless: HELP,
    match: (r) => {
      const [sub, ...rest] = r.words;
      const force = hasOption(r, "-f") || hasOption(r, "--force");
      if (sub === "checkout") {
        if (force) return true;
        const dd = r.args.indexOf("--");
        if (dd >= 0) return dd < r.args.length - 1;
        // `checkout BRANCH PATH…` takes files from BRANCH over the working tree.
        return rest.length >= 2 && !hasOption(r, "-b") && !hasOption(r, "-B") &&
          !hasOption(r, "--orphan");
      }
      if (sub === "switch") return force || hasOption(r, "--discard-changes");
      const staged = hasOption(r, "-S") || hasOption(r, "--staged");
      const worktree = hasOption(r, "-W") || hasOption(r, "--worktree");
      return !staged || worktree || rest.some((p) => WHOLE_TREE.test(p));
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
        "git checkout -b feature origin/feature",
        "git restore --staged file.txt",
        "git switch main",
        "git switch -Cfixup",
        "git checkout -Bnew-branch",
      ],
    },
  },
  {
    id: "stash-drop",
    risk: "moderate",
    reason: "permanently deletes a stashed change",
    on: "git stash drop",
    unless: HELP,
    examples: { hit: ["git stash drop stash@{0}", "git stash drop"], miss: ["git stash pop"] },
  },
  {
    id: "stash-clear",
    risk: "high",
    reason: "permanently deletes every stashed change",
    on: "git stash clear",
    unless: HELP,
    examples: { hit: ["git stash clear", "git -C repo stash clear"], miss: ["git stash list"] },
  },
  {
    id: "rm-tree",
    risk: "high",
    reason: "removes every file in the repository from disk and from git",
    on: "git rm",
    group: "git-rm",
    unless: ["--cached", ...HELP],
    match: (r) => after(r).some((p) => WHOLE_TREE.test(p)),
    examples: {
      hit: ["git rm -r .", "git rm -f *"],
      miss: ["git rm file.txt", "git rm --cached -r ."],
    },
  },
  {
    id: "rm-force",
    risk: "moderate",
    reason: "force-removes files, including uncommitted changes to them",
    on: "git rm",
    group: "git-rm",
    flags: ["-f", "--force"],
    unless: ["--cached", ...HELP],
    examples: { hit: ["git rm -f notes.txt"], miss: ["git rm notes.txt"] },
  },
  {
    id: "rewrite-history",
    risk: "high",
    reason: "rewrites or prunes git history; old commits become unrecoverable",
    on: ["git filter-branch", "git filter-repo", "git reflog", "git gc", "git update-ref"],
    match: (r) => {
      const [sub, ...rest] = r.words;
      if (sub === "filter-branch" || sub === "filter-repo") return true;
      // Expiring old entries is routine; expiring everything now loses the safety net.
      if (sub === "reflog") {
        return rest[0] === "delete" ||
          (rest[0] === "expire" &&
            r.args.some((a) => /^--expire(-unreachable)?=(now|all|0)$/.test(a)));
      }
      if (sub === "gc") return r.options.get("--prune") === "now";
      return hasOption(r, "-d") || hasOption(r, "--delete");
    },
    examples: {
      hit: [
        "git filter-branch --tree-filter 'rm x' HEAD",
        "git reflog expire --expire=now --all",
        "git update-ref -d HEAD",
        "git gc --prune=now",
      ],
      miss: ["git reflog show", "git gc", "git reflog expire --expire=90.days"],
    },
  },
  {
    id: "rebase",
    risk: "moderate",
    reason: "rebasing rewrites commits",
    on: "git rebase",
    unless: ["--abort", "--continue", "--skip", "--quit", ...HELP],
    examples: {
      hit: ["git rebase", "git rebase -i HEAD~3"],
      miss: ["git rebase --abort", "git pull --rebase"],
    },
  },
  {
    id: "worktree-remove",
    risk: "moderate",
    reason: "deletes a worktree directory, including uncommitted work in it",
    on: ["git worktree remove", "git worktree rm"],
    examples: { hit: ["git worktree remove ../other"], miss: ["git worktree list"] },
  },
]);
