/**
 * Cloud and hosting CLIs (aws, gcloud, az, terraform, fly, heroku, vercel, netlify, gh, npm
 * publishing) and a general rule for any CLI whose subcommand deletes, destroys or purges.
 *
 * @module
 */

import { argView, type Invocation } from "../command.ts";
import type { Rule } from "../rule.ts";
import { WRAPPERS } from "../wrappers.ts";
// SQL statements typed bare are rated by the database rules.
import { SQL_STATEMENTS } from "./database.ts";
import { PACKAGE_MANAGERS } from "./packages.ts";

/** Verbs that delete or disable something when used as a subcommand. */
const VERB =
  /^(delete|rdelete|del|destroy|remove|rm|rmdir|purge|prune|drop|truncate|terminate|unset|unpublish|uninstall|wipe|erase|reset|flush|flushall|flushdb|forget|compact|unregister|deregister|revoke|disable|nuke|deletefile|cleanup|expunge|evict|unlink|detach|decommission|shred|yank)$/i;

/** Compound forms: `delete-bucket`, `apps:destroy`, `delete_user`, `remove-secret`. */
const COMPOUND =
  /^(delete|destroy|remove|drop|purge|terminate|deregister|unregister|revoke|clear|wipe|erase|reset|disable|unset|unpublish|force-delete)[-_:.][\w-]+$|^[\w-]+[-:._](delete|destroy|remove|rm|drop|purge|unset|reset|wipe|clear|disable|stop|rotate|kill|uninstall|unpublish)$/i;

/** Flags that turn a command into a deleting one (`kafka-topics --delete`, `--prune`). */
const FLAG =
  /^--(delete|remove|purge|prune|destroy|drop|wipe|force-delete[\w-]*|delete-[\w-]+|remove-[\w-]+)(=.*)?$/;

/** Commands whose words are data, or that have their own, finer rules. */
const NOT_SUBCOMMANDS = new Set([
  "echo",
  "printf",
  "grep",
  "egrep",
  "fgrep",
  "rg",
  "ag",
  "ack",
  "sed",
  "awk",
  "cat",
  "less",
  "more",
  "head",
  "tail",
  "man",
  "info",
  "help",
  "tldr",
  "which",
  "whereis",
  "type",
  "hash",
  "whatis",
  "apropos",
  "alias",
  "unalias",
  "export",
  "set",
  "unset",
  "test",
  "[",
  "[[",
  "true",
  "false",
  "cd",
  "ls",
  "touch",
  "mkdir",
  "cp",
  "mv",
  "ln",
  "tar",
  "zip",
  "unzip",
  "gzip",
  "jq",
  "yq",
  "wc",
  "sort",
  "uniq",
  "cut",
  "tr",
  "tee",
  "xargs",
  "read",
  "history",
  "git",
  "docker",
  "podman",
  "kubectl",
  "k",
  "oc",
  "helm",
  "rm",
  "find",
  "rsync",
  "rclone",
  "kill",
  "pkill",
  "killall",
  "systemctl",
  "service",
  // Package managers have their own rules (packages.ts).
  ...PACKAGE_MANAGERS,
  "ssh",
  "scp",
  "sudo",
  "doas",
  "env",
  "command",
  "builtin",
  "exec",
  "eval",
  "nohup",
  "time",
  "timeout",
  "nice",
  "watch",
  "iptables",
  "ip6tables",
  "nft",
  "ufw",
  "crontab",
  "journalctl",
  "redis-cli",
  "psql",
  "mysql",
  "sqlite3",
  "mongosh",
  "mongo",
  "ip",
  "ifconfig",
  "nmcli",
  "make",
  "cmake",
  "go",
  "deno",
  "node",
  "bun",
  "say",
  "notify-send",
  "code",
  "vim",
  "vi",
  "nano",
  "emacs",
  "open",
  "xdg-open",
  "diff",
  "cmp",
  "comm",
  "file",
  "stat",
  "du",
  "df",
  "date",
  "cal",
  "sleep",
  "wait",
  "jobs",
  "fg",
  "bg",
  "disown",
  "shift",
  "return",
  "exit",
  "logout",
  "source",
  ".",
  "curl",
  "wget",
  "http",
  "terraform",
  "tofu",
]);

/** CLIs people use daily; a name one letter away from one is a typo that runs nothing. */
const KNOWN_CLIS = [
  "k",
  "aws",
  "gcloud",
  "gsutil",
  "az",
  "fly",
  "flyctl",
  "heroku",
  "vercel",
  "netlify",
  "gh",
  "glab",
  "kubectl",
  "helm",
  "terraform",
  "pulumi",
  "doctl",
  "docker",
  "podman",
  "git",
  "npm",
  "yarn",
  "pnpm",
  "brew",
  "vault",
  "consul",
  "nomad",
  "redis-cli",
  "psql",
  "mysql",
  "mongosh",
  "restic",
  "borg",
  "rclone",
  "velero",
  "nats",
  "op",
  "doppler",
  "circleci",
  "firebase",
  "supabase",
  "wrangler",
  "railway",
  "eksctl",
  "kafka-topics",
  "rabbitmqctl",
  "rabbitmqadmin",
  "gitlab-runner",
  "systemctl",
  "launchctl",
  "apt",
  "dnf",
  "yum",
  "pacman",
  "snap",
  "cargo",
  "pip",
  "gem",
];

/** True when `name` is one edit away from a known CLI name (and is not one itself). */
function looksLikeTypo(name: string): boolean {
  if (KNOWN_CLIS.includes(name) || name.length < 2) return false;
  return KNOWN_CLIS.some((k) => oneEditApart(name, k) && name.startsWith(k[0]));
}

function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Flags that skip a confirmation prompt. */
function noPrompt(c: Invocation): boolean {
  return c.args.some((a) =>
    /^-{1,2}(auto-approve|yes|y|force|skip-preview|non-interactive|quiet)$/.test(a)
  );
}

/** The first few positional words: where a subcommand lives. */
function subcommands(c: Invocation, n = 4): string[] {
  return argView(c.args).positionals.slice(0, n);
}

/** A CLI's first positionals, ignoring options that take values (best effort). */
function words(c: Invocation, withValue: string[] = []): string[] {
  return argView(c.args, withValue).positionals;
}

const AWS_GLOBAL = [
  "--region",
  "--profile",
  "--output",
  "--endpoint-url",
  "--query",
  "--color",
  "--cli-input-json",
  "--cli-input-yaml",
];

/** Resource words whose deletion loses a whole app, site, repo, database or account. */
const WHOLE =
  /^(apps?|projects?|sites?|repos?|repository|organi[sz]ations?|orgs?|accounts?|clusters?|stacks?|databases?|db|postgres|mysql|redis|buckets?|groups?|subscriptions?|workspaces?|environments?|envs?|zones?|domains?)$/i;

export const cloudRules: Rule[] = [
  {
    id: "cloud.iac-destroy",
    category: "cloud",
    risk: "high",
    reason: "destroys or changes infrastructure without showing the plan or asking first",
    commands: [
      "terraform",
      "tofu",
      "terragrunt",
      "pulumi",
      "cdk",
      "cdktf",
      "serverless",
      "sls",
      "sam",
      "eksctl",
      "copilot",
    ],
    group: "iac",
    match: (c) => {
      const w = words(c, ["-chdir", "-var", "-target", "--stack", "-s", "--region"]);
      const destroys = w[0] === "destroy" ||
        c.args.some((a) => a === "-destroy" || a === "--destroy") ||
        (w[0] === "delete" && ["serverless", "sls", "sam", "eksctl", "copilot"].includes(c.key));
      const applies = w[0] === "apply" || w[0] === "up";
      // Without these flags the tool shows the plan and asks first.
      return (destroys || applies) && noPrompt(c);
    },
    examples: {
      hit: [
        "terraform destroy -target=aws_instance.foo -auto-approve",
        "pulumi destroy --yes",
        "terraform apply -var='foo=bar' -auto-approve",
      ],
      miss: [
        "terraform plan",
        "terraform apply",
        "terraform destroy",
        "terraform apply -auto-approv",
      ],
    },
  },
  {
    id: "cloud.iac-state",
    category: "cloud",
    risk: "moderate",
    reason: "changes infrastructure state or applies changes without asking",
    commands: ["terraform", "tofu", "terragrunt", "pulumi"],
    group: "iac",
    match: (c) => {
      const w = words(c);
      if (w[0] === "destroy") return true; // asks first, but still the whole stack
      if (w[0] === "state") {
        return /^(rm|mv|replace-provider|push|delete|edit|unprotect)$/.test(w[1] ?? "");
      }
      if (["taint", "import"].includes(w[0] ?? "")) return true;
      // These refuse or ask unless forced.
      if (w[0] === "force-unlock") return noPrompt(c);
      if (w[0] === "workspace") return w[1] === "delete" && noPrompt(c);
      return false;
    },
    examples: {
      hit: [
        "terraform state rm aws_instance.foo",
        "terraform destroy",
        "terraform force-unlock -force 1",
      ],
      miss: [
        "terraform state show aws_instance.foo",
        "terraform apply",
        "terraform force-unlock 1",
        "terraform state mv -dry-run a b",
        "terraform workspace delete dev",
      ],
    },
  },
  {
    id: "cloud.aws-delete",
    category: "cloud",
    risk: "moderate",
    reason: "deletes, stops or changes cloud resources",
    commands: ["aws", "awslocal"],
    group: "cloud",
    match: (c) => {
      const [svc, op] = words(c, AWS_GLOBAL);
      if (svc === "s3") {
        return op === "rm" || op === "rb" ||
          (["sync", "mv"].includes(op ?? "") && (op === "mv" || c.args.includes("--delete")));
      }
      return /^(delete|terminate|remove|deregister|detach|disassociate|revoke|purge|stop|reboot|cancel|disable|reset|update|put|modify|unsubscribe|batch-delete|force|abort|reject|restore|change|replace)(-|$)/
        .test(op ?? "");
    },
    examples: {
      hit: [
        "aws ec2 terminate-instances --instance-ids i-1",
        "aws s3 rm s3://b/ --recursive",
        "aws --region us-east-1 dynamodb delete-table --table-name t",
        "aws s3 sync s3://b /x --delete",
      ],
      miss: ["aws s3 ls", "aws ec2 describe-instances", "aws s3 rm s3://b/ --recursive --dryrun"],
    },
  },
  {
    id: "cloud.storage-bulk-delete",
    category: "cloud",
    risk: "high",
    commands: ["aws", "gsutil", "gcloud"],
    reason: "deletes a whole bucket or everything under a storage prefix",
    group: "cloud",
    match: (c) => {
      const w = words(c, AWS_GLOBAL);
      if (c.key === "aws" && w[0] === "s3") {
        return (w[1] === "rm" && c.args.includes("--recursive")) ||
          (w[1] === "rb" && c.args.includes("--force"));
      }
      if (c.key === "gsutil") {
        return (w[0] === "rm" && c.args.some((a) => /^-[a-zA-Z]*[rR]/.test(a))) || w[0] === "rb";
      }
      if (c.key === "gcloud") {
        return w[0] === "storage" &&
          (w[1] === "rm" && c.args.some((a) => /^(-r|--recursive)$/.test(a)) ||
            w[1] === "buckets" && w[2] === "delete");
      }
      return false;
    },
    examples: {
      hit: [
        "aws s3 rm s3://mybucket/ --recursive",
        "gsutil -m rm -r gs://b/",
        "gsutil rm gs://b/ -r",
      ],
      miss: ["gsutil ls gs://b", "aws s3 rm s3://b/one.txt"],
    },
  },
  {
    id: "cloud.destroy-app",
    category: "cloud",
    risk: "high",
    commands: [
      "fly",
      "flyctl",
      "heroku",
      "vercel",
      "vc",
      "now",
      "netlify",
      "gh",
      "glab",
      "gcloud",
      "az",
      "npm",
      "pnpm",
      "yarn",
      "bun",
      "firebase",
      "supabase",
      "railway",
      "render",
    ],
    reason: "deletes a whole app, project, site, repository or database",
    group: "cloud",
    match: (c) => {
      const w = words(c, [
        "--app",
        "-a",
        "--project",
        "--region",
        "-r",
        "--org",
        "--scope",
        "--token",
        "--name",
        "-n",
        "--resource-group",
        "-g",
        "--id",
      ]);
      const key = c.key;
      if (key === "fly" || key === "flyctl") {
        return WHOLE.test(w[0] ?? "") && /^(destroy|delete|remove|rm)$/.test(w[1] ?? "");
      }
      if (key === "heroku") {
        return /^(apps|pg|addons):(destroy|delete|reset)$/.test(w[0] ?? "") || w[0] === "destroy";
      }
      if (key === "vercel" || key === "vc" || key === "now") {
        return /^(rm|remove)$/.test(w[0] ?? "") ||
          (w[0] === "project" && /^(rm|remove)$/.test(w[1] ?? ""));
      }
      if (key === "netlify") return /^(sites:delete|sites:remove)$/.test(w[0] ?? "");
      if (key === "gh" || key === "glab") {
        return /^(repo|project)$/.test(w[0] ?? "") && /^(delete|archive)$/.test(w[1] ?? "");
      }
      if (key === "gcloud") return w[0] === "projects" && w[1] === "delete";
      if (key === "az") {
        return (w[0] === "group" && w[1] === "delete") || (w[0] === "account" && w[1] === "delete");
      }
      if (/^(npm|pnpm|yarn|bun)$/.test(key)) return w.includes("unpublish");
      if (key === "firebase") {
        return /^(projects:delete|hosting:disable|database:remove|firestore:delete)$/.test(
          w[0] ?? "",
        );
      }
      if (key === "supabase" || key === "railway" || key === "render") {
        return w.slice(0, 2).some((x) => /^(delete|destroy)$/.test(x)) && WHOLE.test(w[0] ?? "");
      }
      return false;
    },
    examples: {
      hit: [
        "fly apps destroy my-app",
        "heroku apps:destroy",
        "vercel rm my-project",
        "netlify sites:delete",
        "gh repo delete owner/repo --yes",
        "npm unpublish my-package@1.0.0",
        "yarn npm unpublish",
        "az group delete --name prod --yes",
      ],
      miss: ["fly apps list", "heroku apps:info", "vercel list", "gh repo view", "npm publish"],
    },
  },
  {
    id: "cloud.heroku-change",
    category: "cloud",
    risk: "moderate",
    reason: "changes or stops a live Heroku app",
    commands: ["heroku"],
    group: "cloud",
    match: (c) =>
      /^[\w-]+:(rename|update|leave|restart|stop|kill|destroy|remove|rm|unset|reset|disable|rotate|transfer|detach|promote|rollback|scale|type|resize|clear|revoke|off)$/
        .test(words(c)[0] ?? "") ||
      /^(maintenance:on|ps:scale|releases:rollback)$/.test(words(c)[0] ?? ""),
    examples: {
      hit: ["heroku apps:rename new", "heroku ps:restart", "heroku access:update"],
      miss: ["heroku apps:info", "heroku logs"],
    },
  },
  {
    id: "cloud.change-visibility",
    category: "cloud",
    risk: "moderate",
    reason: "renames a repository or changes who can see it",
    commands: ["gh", "glab"],
    group: "cloud",
    match: (c) => {
      const w = words(c);
      return w[0] === "repo" &&
        (w[1] === "rename" ||
          (w[1] === "edit" && c.args.some((a) => a.startsWith("--visibility"))));
    },
    examples: {
      hit: ["gh repo rename new-name", "gh repo edit --visibility public"],
      miss: ["gh repo edit --description x"],
    },
  },
  {
    id: "cloud.package-deprecate",
    category: "cloud",
    risk: "moderate",
    reason: "changes a published package for everyone who depends on it",
    commands: ["npm", "pnpm", "yarn", "cargo", "gem"],
    group: "cloud",
    match: (c) => {
      const w = words(c);
      return ["deprecate", "yank", "owner", "dist-tag"].includes(w[0] ?? "") &&
        (w[0] !== "owner" || /^(rm|remove)$/.test(w[1] ?? "")) &&
        (w[0] !== "dist-tag" || /^(rm|remove)$/.test(w[1] ?? ""));
    },
    examples: {
      hit: ["npm deprecate my-package 'no longer supported'", "cargo yank --version 1.0.0"],
      miss: ["npm install"],
    },
  },
  {
    id: "ops.destructive-subcommand",
    category: "cloud",
    risk: "moderate",
    reason: "the subcommand deletes, destroys or disables something",
    group: "cloud",
    match: (c) => {
      if (NOT_SUBCOMMANDS.has(c.key) || WRAPPERS.has(c.key) || SQL_STATEMENTS.has(c.key)) {
        return false;
      }
      // `awss ec2 terminate-instances` fails with "command not found".
      if (looksLikeTypo(c.key)) return false;
      if (/(^|[-_])(delete|destroy|purge|wipe|nuke|drop)([-_]|$)/.test(c.key)) return true;
      const first = subcommands(c);
      return first.some((w) => VERB.test(w) || COMPOUND.test(w)) ||
        c.args.some((a) => FLAG.test(a));
    },
    examples: {
      hit: [
        "borg rdelete",
        "gcloud compute instances delete myvm",
        "heroku config:unset X",
        "vault secrets disable kv/",
        "kafka-topics --bootstrap-server localhost:9092 --delete --topic users",
        "restic forget --prune",
        "rabbitmqctl delete_user deployer",
        "nats stream delete ORDERS",
        "kafka-delete-records --offset-json-file o.json",
        "az keyvault delete --name v",
      ],
      miss: [
        "gcloud compute instances list",
        "echo delete everything",
        "kafka-topics --describe",
        "velero backup get",
        "grep delete log.txt",
        "awss ec2 terminate-instances",
        "busybox rm -f x",
        "DELETE FROM users WHERE id = 1",
      ],
    },
  },
  {
    id: "cloud.http-delete",
    category: "cloud",
    risk: "moderate",
    reason: "sends an HTTP request that deletes data on a server",
    commands: ["curl", "http", "https", "xh", "wget", "httpie"],
    group: "cloud",
    match: (c) => {
      const a = c.args;
      const method = a.findIndex((x) => x === "-X" || x === "--request");
      const m = method >= 0
        ? a[method + 1]
        : a.find((x) => /^(-X|--request=)/.test(x))?.replace(/^(-X|--request=)/, "");
      if (m && /^DELETE$/i.test(m)) return true;
      if (/^(http|https|xh|httpie)$/.test(c.key) && a.some((x) => /^DELETE$/i.test(x))) return true;
      if (c.key === "wget" && a.some((x) => /^--method=DELETE$/i.test(x))) return true;
      // POSTs to delete endpoints (`…/doDelete`, `_delete_by_query`).
      return m !== undefined && /^(POST|PUT|PATCH)$/i.test(m) &&
        a.some((x) => /^https?:\/\/.*([/_.-]|do)(delete|destroy|remove|purge|wipe|drop)/i.test(x));
    },
    examples: {
      hit: [
        "curl -X DELETE 'http://localhost:9200/_all'",
        "curl -X POST http://jenkins.local/job/x/doDelete",
        "http DELETE example.com/items/1",
      ],
      miss: [
        "curl -X GET 'http://localhost:9200/_cat/indices'",
        "curl https://example.com/delete-me.txt",
      ],
    },
  },
];
