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
import { words } from "./programs.ts";

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
    withValue: words(`
      -C -c --git-dir --work-tree --namespace --exec-path --config-env --super-prefix -m
      --message -b -B --orphan --conflict -o --push-option --repo -e --exclude -F --file --depth
      --reference --create --force-create
    `),
  },
  npm: {
    aliases: ["pnpm", "yarn", "bun"],
    withValue: ["--prefix", "-C", "--dir", "--filter", "-w", "--workspace", "--registry", "--tag"],
  },
  // --- services ---
  systemctl: {
    withValue: words(`
      -H --host -M --machine -p --property -t --type --state -n --lines -o --output -s --signal
      --root --job-mode --kill-whom --what --timestamp --preset-mode --image --boot-loader-entry
      --reboot-argument --message --when
    `),
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
      // Not `-f`: a filter or file for some subcommands, `--force` for `rm`, `prune`, `logs`.
      "--filter",
      "--file",
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
      "--rmi",
    ],
  },
  "docker-compose": {
    aliases: ["podman-compose"],
    withValue: ["-f", "--file", "-p", "--project-name", "--profile", "--env-file", "--rmi"],
  },
  kubectl: {
    aliases: ["k", "oc", "kubecolor", "microk8s.kubectl"],
    withValue: words(`
      -n --namespace --context --cluster --kubeconfig -l --selector --field-selector -o --output
      -f --filename -c --container --user -s --server --grace-period --timeout -k --kustomize
      --as --as-group --token --request-timeout --patch --type --image --replicas --sort-by
      --template --field-manager
    `),
  },
  helm: {
    aliases: ["helm3"],
    withValue: words(`
      -n --namespace --kube-context --kubeconfig -f --values --set --set-string --set-file
      --version -o --output --timeout --repo --description --cascade --registry-config
      --repository-config
    `),
  },
  helmfile: {
    withValue: ["-e", "--environment", "-f", "--file", "-l", "--selector", "-n", "--namespace"],
  },
  // --- clouds and infrastructure ---
  aws: {
    aliases: ["awslocal"],
    withValue: words(`
      --region --profile --output --endpoint-url --query --color --cli-input-json
      --cli-input-yaml --ca-bundle --cli-read-timeout --cli-connect-timeout --cli-binary-format
    `),
  },
  gcloud: {
    withValue: words(`
      --project --zone --region --location --format --account --configuration --filter
      --verbosity --impersonate-service-account --billing-project --flags-file --limit --sort-by
    `),
  },
  gsutil: { withValue: ["-h", "-o", "-u"] },
  az: {
    withValue: words(`
      -g --resource-group -n --name --subscription -o --output --query -l --location
      --account-name --vault-name --cluster-name --namespace-name --workspace-name
    `),
  },
  doctl: {
    withValue: words("-t --access-token -c --config --context -o --output --format"),
  },
  // Single-dash options (`-var x`) are not read as taking values; `-chdir=dir` needs no entry.
  terraform: { aliases: ["tofu", "terragrunt"], withValue: ["-chdir", "-var", "-var-file"] },
  pulumi: {
    withValue: ["-s", "--stack", "-C", "--cwd", "-c", "--config", "--config-file", "-m"],
  },
  cdk: { aliases: ["cdktf"], withValue: ["-a", "--app", "-c", "--context", "--profile"] },
  serverless: {
    aliases: ["sls"],
    withValue: ["-s", "--stage", "-r", "--region", "-c", "--config", "--aws-profile", "--app"],
  },
  eksctl: {
    withValue: ["-n", "--name", "-r", "--region", "-f", "--config-file", "-p", "--profile"],
  },
  // --- hosting and code platforms ---
  flyctl: {
    aliases: ["fly"],
    withValue: ["-a", "--app", "-c", "--config", "-r", "--region", "-o", "--org", "-t"],
  },
  heroku: { withValue: ["-a", "--app", "-r", "--remote", "-t", "--team", "--confirm"] },
  vercel: {
    aliases: ["vc", "now"],
    withValue: ["--scope", "-S", "--token", "-t", "--cwd", "-A", "--local-config", "-T", "--team"],
  },
  netlify: { withValue: ["--site", "--auth", "--context", "--filter"] },
  firebase: { withValue: ["-P", "--project", "--token", "--config"] },
  gh: {
    aliases: ["glab"],
    withValue: words(`
      -R --repo --hostname -X --method -H --header -f --raw-field -F --field -q --jq -t
      --template -e --env -o --org -L --limit --visibility
    `),
  },
  // --- files and disks ---
  rm: { aliases: ["grm"] },
  find: { aliases: ["gfind"] },
  cp: { aliases: ["gcp"], withValue: ["-t", "--target-directory", "-S", "--suffix"] },
  mv: { aliases: ["gmv"], withValue: ["-t", "--target-directory", "-S", "--suffix"] },
  ln: { aliases: ["gln"], withValue: ["-t", "--target-directory", "-S", "--suffix"] },
  install: {
    aliases: ["ginstall"],
    withValue: words("-t --target-directory -S --suffix -m --mode -o --owner -g"),
  },
  truncate: { aliases: ["gtruncate"], withValue: ["-s", "--size", "-r", "--reference"] },
  shred: { aliases: ["gshred"], withValue: ["-n", "--iterations", "-s", "--size"] },
  tar: {
    aliases: ["gtar", "bsdtar"],
    withValue: words(`
      -f --file -C --directory -T --files-from -X --exclude-from --exclude -b -H --format -N
      --newer -g --listed-incremental -V --label -I --use-compress-program --transform
    `),
  },
  rsync: {
    withValue: words(`
      -e --rsh --rsync-path -f --filter --exclude --include --exclude-from --include-from
      --files-from -T --temp-dir --partial-dir --backup-dir --suffix --compare-dest --copy-dest
      --link-dest --chmod --chown -B -M --remote-option --log-file --password-file --port
      --timeout --bwlimit --max-size --min-size --out-format
    `),
  },
  // --- network transfers (what they send is read from their operands and option values) ---
  scp: {
    aliases: ["sftp"],
    withValue: ["-i", "-P", "-o", "-F", "-c", "-l", "-S", "-J", "-D", "-X", "-b"],
  },
  curl: {
    withValue: words(`
      -T --upload-file -F --form -d --data --data-binary --data-ascii --data-urlencode
      --data-raw --json -o --output -H --header -X --request -u --user -A --user-agent -e
      --referer -b --cookie -c --cookie-jar -K --config -E --cert --key --cacert -x --proxy -m
      --max-time --connect-timeout -w --write-out --resolve -r --range --retry
    `),
  },
  wget: {
    withValue: ["--post-file", "--body-file", "-O", "--output-document", "-o", "-P", "-U", "-e"],
  },
  mail: { aliases: ["mailx", "mutt"], withValue: ["-a", "-A", "-s", "-c", "-b", "-r", "-S"] },
  crontab: { withValue: ["-u"] },
  // --- permissions ---
  chmod: { withValue: ["--reference"] },
  chown: { withValue: ["--reference", "--from"] },
  chgrp: { withValue: ["--reference"] },
  lvresize: { withValue: ["-L", "--size", "-l", "--extents"] },
  lvreduce: { withValue: ["-L", "--size", "-l", "--extents"] },
  cryptsetup: {
    withValue: words(`
      -c --cipher -h --hash -s --key-size -d --key-file -S --key-slot --type --label --header
      --pbkdf -i --iter-time --offset
    `),
  },
  // --- databases ---
  mysqladmin: {
    withValue: ["-u", "--user", "-h", "--host", "-P", "--port", "-S", "--socket"],
  },
  // --- package managers ---
  apt: { aliases: ["apt-get", "aptitude"], withValue: ["-o", "--option", "-c", "-t"] },
  dnf: {
    aliases: ["yum", "microdnf", "dnf5"],
    withValue: ["-c", "--config", "--installroot", "--releasever", "-x", "--exclude"],
  },
  pacman: { aliases: ["yay", "paru"], withValue: ["-r", "--root", "-b", "--dbpath", "--config"] },
  pip: { aliases: ["pip3"], withValue: ["-r", "--requirement", "-c", "--constraint"] },
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
    const withValue = TOOLS[tool]?.withValue ?? [];
    // A `--` before a subcommand word ends the tool's global options (`git -- reset --hard`);
    // the subcommand's own flags after it are still flags. (`rm -- --help` keeps its `--`.)
    const dd = cmd.args.indexOf("--");
    const first = argView(cmd.args.slice(0, Math.max(dd, 0)), withValue).positionals.length;
    const subcommand = dd >= 0 && first === 0 && /^[a-z]/.test(cmd.args[dd + 1] ?? "");
    const args = subcommand && TOOLS[tool] ? cmd.args.toSpliced(dd, 1) : cmd.args;
    const view = argView(args, withValue);
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
