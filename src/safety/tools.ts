/**
 * How each tool's command line reads: for tools whose subcommand words matter (git, docker,
 * kubectl, aws, …), the options that take a value — global ones and those of its subcommands —
 * so that one reader finds the subcommand words (`kubectl -n prod delete ns x` → `delete ns x`)
 * and a value is never taken for a word or a path (`git checkout -b main file`).
 *
 * Rules say which tool and words they are about (`on: "git push"`); they never parse a command
 * line themselves.
 *
 * @module
 */

import { type ArgView, argView, type Invocation } from "./command.ts";

/** One tool's command line. */
export interface ToolSpec {
  /** Other names of the same tool (`podman` reads like `docker`). */
  aliases?: readonly string[];
  /** Options, global or of any subcommand, that take the next word as their value. */
  withValue?: readonly string[];
}

/**
 * The tools table. Options listed for a tool are those whose values would otherwise be read as
 * words; an option that takes a value in one subcommand and none in another (`docker -t`) is left
 * out, so that a flag is never taken for a value.
 */
export const TOOLS: Readonly<Record<string, ToolSpec>> = {
  // --- version control and packages ---
  git: {
    withValue: [
      "-C",
      "-c",
      "--git-dir",
      "--work-tree",
      "--namespace",
      "--exec-path",
      "--config-env",
      "--super-prefix",
      "-m",
      "--message",
      "-b",
      "-B",
      "--orphan",
      "--conflict",
      "-o",
      "--push-option",
      "--repo",
      "-e",
      "--exclude",
      "-F",
      "--file",
      "--depth",
      "--reference",
      "--create",
      "--force-create",
    ],
  },
  npm: {
    aliases: ["pnpm", "yarn", "bun"],
    withValue: ["--prefix", "-C", "--dir", "--filter", "-w", "--workspace", "--registry", "--tag"],
  },
  // --- services ---
  systemctl: {
    withValue: [
      "-H",
      "--host",
      "-M",
      "--machine",
      "-p",
      "--property",
      "-t",
      "--type",
      "--state",
      "-n",
      "--lines",
      "-o",
      "--output",
      "-s",
      "--signal",
      "--root",
    ],
  },
  // --- containers and clusters ---
  docker: {
    aliases: ["podman", "nerdctl"],
    withValue: [
      "-c",
      "--context",
      "-H",
      "--host",
      "--config",
      "-l",
      "--log-level",
      "-f",
      "--filter",
      "--format",
      "--name",
      "-v",
      "--volume",
      "-e",
      "--env",
      "-p",
      "--publish",
      "-w",
      "--workdir",
      "--network",
      "--mount",
      "-u",
      "--user",
      "--entrypoint",
      "--platform",
    ],
  },
  "docker-compose": {
    aliases: ["podman-compose"],
    withValue: ["-f", "--file", "-p", "--project-name", "--profile", "--env-file"],
  },
  kubectl: {
    aliases: ["k", "oc", "kubecolor", "microk8s.kubectl"],
    withValue: [
      "-n",
      "--namespace",
      "--context",
      "--cluster",
      "--kubeconfig",
      "-l",
      "--selector",
      "--field-selector",
      "-o",
      "--output",
      "-f",
      "--filename",
      "-c",
      "--container",
      "--user",
      "-s",
      "--server",
      "--grace-period",
      "--timeout",
      "-k",
      "--kustomize",
    ],
  },
  helm: {
    withValue: [
      "-n",
      "--namespace",
      "--kube-context",
      "--kubeconfig",
      "-f",
      "--values",
      "--set",
      "--version",
      "-o",
      "--output",
      "--timeout",
      "--repo",
    ],
  },
  // --- clouds and infrastructure ---
  aws: {
    withValue: [
      "--region",
      "--profile",
      "--output",
      "--endpoint-url",
      "--query",
      "--color",
      "--cli-input-json",
      "--cli-input-yaml",
    ],
  },
  gcloud: {
    withValue: [
      "--project",
      "--zone",
      "--region",
      "--format",
      "--account",
      "--configuration",
      "--filter",
      "--verbosity",
      "--impersonate-service-account",
    ],
  },
  az: {
    withValue: [
      "-g",
      "--resource-group",
      "-n",
      "--name",
      "--subscription",
      "-o",
      "--output",
      "--query",
      "-l",
      "--location",
    ],
  },
  terraform: { aliases: ["tofu", "terragrunt"], withValue: ["-chdir", "-var", "-var-file"] },
};

/** Tool name by every name it goes by. */
const BY_NAME: ReadonlyMap<string, string> = new Map(
  Object.entries(TOOLS).flatMap(([tool, spec]) =>
    [tool, ...(spec.aliases ?? [])].map((n) => [n, tool] as [string, string])
  ),
);

/** The names a tool goes by: itself and its aliases (just `name` for a tool not in the table). */
export function toolNames(name: string): string[] {
  const tool = BY_NAME.get(name) ?? name;
  return [tool, ...(TOOLS[tool]?.aliases ?? [])];
}

/** An invocation read through the tools table. */
export interface ToolRead {
  /** The tool's name in the table (`docker` for `podman`), else the command's own. */
  tool: string;
  /** Its words in order, options and their values left out: `["system", "prune"]`. */
  words: string[];
  /** Flags and positionals, values kept apart. */
  view: ArgView;
  /** The arguments as given. */
  args: readonly string[];
}

const cache = new WeakMap<Invocation, ToolRead>();

/** Reads `cmd` as its tool does (once per invocation; rules share the reading). */
export function readTool(cmd: Invocation): ToolRead {
  let read = cache.get(cmd);
  if (!read) {
    const tool = BY_NAME.get(cmd.key) ?? cmd.key;
    const view = argView(cmd.args, TOOLS[tool]?.withValue ?? []);
    read = { tool, words: view.positionals, view, args: cmd.args };
    cache.set(cmd, read);
  }
  return read;
}

/**
 * Whether a flag is given: `-f` (a letter, also inside `-rf`), `--force` (also `--force=x`), or a
 * single-dash word such as find's `-delete` or terraform's `-auto-approve` (also `-x=value`).
 */
export function hasOption(read: ToolRead, flag: string): boolean {
  if (flag.startsWith("--")) return read.view.long.has(flag);
  if (flag.length === 2) return read.view.short.has(flag[1]);
  return read.args.some((a) => a === flag || a.startsWith(flag + "="));
}
