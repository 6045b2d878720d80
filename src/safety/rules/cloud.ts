/**
 * Cloud, infrastructure and hosting CLIs (aws, gcloud, az, terraform, pulumi, fly, heroku,
 * vercel, gh, npm publishing), and two general rules for every CLI: a subcommand that deletes,
 * destroys or purges something, and one that deletes a whole app, project, repository, cluster,
 * database, bucket or account (`gcloud projects delete`, `aws rds delete-db-instance`,
 * `heroku apps:destroy`, `eksctl delete cluster`, `doctl databases delete`).
 *
 * @module
 */

import type { Invocation } from "../command.ts";
import { canonical, PACKAGE_MANAGERS, SQL_STATEMENTS, WRAPPERS } from "../programs.ts";
import { rules } from "../rule.ts";
import { hasOption, type ToolRead } from "../tools.ts";
// SQL statements typed bare are rated by the database rules.

/** Verbs that delete or disable something when used as a subcommand. */
const VERB =
  /^(delete|rdelete|del|destroy|remove|rm|rmdir|rb|purge|prune|drop|truncate|terminate|unset|unpublish|uninstall|undeploy|wipe|erase|reset|flush|flushall|flushdb|forget|compact|unregister|deregister|revoke|disable|nuke|deletefile|cleanup|expunge|evict|unlink|detach|decommission|deprovision|teardown|shred|yank)$/i;

/** Compound forms: `delete-bucket`, `apps:destroy`, `delete_user`, `remove-secret`. */
const COMPOUND =
  /^(delete|destroy|remove|drop|purge|terminate|deregister|unregister|revoke|clear|wipe|erase|reset|disable|unset|unpublish|force-delete)[-_:.][\w-]+$|^[\w-]+[-:._](delete|destroy|remove|rm|drop|purge|unset|reset|wipe|clear|disable|stop|rotate|kill|uninstall|unpublish)$/i;

/** Flags that turn a command into a deleting one (`kafka-topics --delete`, `--prune`). */
const FLAG =
  /^--(delete|remove|purge|prune|destroy|drop|wipe|force-delete[\w-]*|delete-[\w-]+|remove-[\w-]+)(=.*)?$/;

/** Verbs that take a whole thing away (`delete`, `apps:destroy`, `close-account`). */
const DESTROY =
  /^(delete|del|destroy|purge|drop|terminate|teardown|nuke|wipe|erase|decommission|deprovision|undeploy)$/i;

/** Verbs that also take a thing out of a list (`helm repo remove`): whole only for apps, stacks, … */
const REMOVE = /^(remove|rm)$/i;

/** Verbs that empty a data store (`heroku pg:reset`, `wp db reset`). */
const EMPTY = /^(reset|flush|truncate|empty|clear)$/i;

/**
 * What a whole app, site, repository, cluster, database or account is called (the last word).
 * Not buckets (they must be empty unless forced), DNS zones or key vaults: one resource each.
 */
const WHOLE =
  /(^|[-_.:])((?<!service-)accounts?|(web|function|container|logic|static|spring)?apps?|applications?|projects?|sites?|repos?|repositor(y|ies)|organi[sz]ations?|orgs?|clusters?|aks|kubernetes|k8s|stacks?|environments?|namespaces?|workspaces?|vhosts?|databases?|dbs?|keyspaces?|tables?|datasets?|file-?systems?|pg|postgres(ql)?|mysql|mariadb|redis|mongo(db)?|cosmosdb|firestore|d1)$/i;

/** A data service's instances, servers and domains are databases (`gcloud sql instances`). */
const DATA_SERVER =
  /(^|[-_.:])(sql|db|rds|redis|memcached?|elasticache|spanner|bigtable|alloydb|filestore|postgres(ql)?|mysql|mariadb|mongo(db)?|cosmosdb|docdb|neptune|opensearch|elasticsearch|es|kafka)[-_.:](.+[-_.:])?(instances?|servers?|domains?|replication-groups?)$/i;

/** Data stores whose emptying loses everything in them. */
const DATA = /(^|[-_.:])(pg|postgres(ql)?|mysql|redis|dbs?|databases?|buckets?|tables?)$/i;

/** What `remove` and `rm` take away whole: `vercel project rm`, `pulumi stack rm`. */
const WHOLE_REMOVED = /(^|[-_.:])(apps?|projects?|stacks?|clusters?|databases?|dbs?)$/i;

/** The noun right after a bare verb: `eksctl delete cluster`, `kops delete cluster`. */
const NOUN = /^(apps?|projects?|clusters?|stacks?|databases?|namespaces?|environments?)$/i;

/** Deployment CLIs whose bare delete verb deletes the whole app or stack (`vercel rm`). */
const DEPLOY = new Set(
  "vercel heroku flyctl serverless sam amplify cdk wrangler surge cf eb kamal okteto railway dokku"
    .split(" "),
);

/** Further names for a whole thing in one CLI: an Azure resource group holds everything. */
const WHOLE_IN: Readonly<Record<string, RegExp>> = { az: /^group$/ };

/** Local sandboxes: deleting their clusters and machines loses nothing shared. */
const LOCAL = new Set(
  "kind k3d minikube microk8s vagrant multipass limactl colima docker-machine lxc incus virsh mutagen"
    .split(" "),
);

/** Commands whose words are data (`echo delete`), or that have finer rules of their own. */
const NOT_SUBCOMMANDS = new Set([
  ...PACKAGE_MANAGERS,
  ...`echo printf grep egrep fgrep rg ag ack sed awk cat less more head tail man info help tldr
    which whereis type hash whatis apropos alias unalias export set unset test [ [[ true false cd
    ls touch mkdir cp mv ln tar zip unzip gzip jq yq wc sort uniq cut tr tee xargs read history
    git docker kubectl helm helmfile terraform rm find rsync rclone kill pkill killall systemctl
    service ssh scp sudo doas env command builtin exec eval nohup time timeout nice watch
    iptables ip6tables nft ufw crontab journalctl redis-cli psql mysql sqlite3 mongosh mongo ip
    ifconfig nmcli make cmake go deno node bun say notify-send code vim vi nano emacs open
    xdg-open diff cmp comm file stat du df date cal sleep wait jobs fg bg disown shift return
    exit logout source . curl wget http`.split(/\s+/),
]);

/** CLIs people use daily; a name one letter away from one is a typo that runs nothing. */
const KNOWN_CLIS = `k aws gcloud gsutil az fly flyctl heroku vercel netlify gh glab kubectl helm
  terraform pulumi doctl docker podman git npm yarn pnpm brew vault consul nomad redis-cli psql
  mysql mongosh restic borg rclone velero nats op doppler circleci firebase supabase wrangler
  railway eksctl kafka-topics rabbitmqctl rabbitmqadmin gitlab-runner systemctl launchctl apt dnf
  yum pacman snap cargo pip gem`.split(/\s+/);

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

const takes = (verb: string) => DESTROY.test(verb) || REMOVE.test(verb) || EMPTY.test(verb);

/**
 * The destroying verb in `words[i]` and what it destroys, named by the words before it and the
 * rest of a compound: `sql instances delete` → `sql-instances`, `rds delete-db-instance` →
 * `rds-db-instance`, `apps:destroy` → `apps`.
 */
function verbAt(words: readonly string[], i: number): [string, string] | undefined {
  const word = words[i];
  const before = words.slice(0, i);
  if (takes(word)) return [word, before.join("-")];
  const first = /^([a-z]+)[-_:](.+)$/i.exec(word);
  const last = /^(.+)[-_:.]([a-z]+)$/i.exec(word);
  // `close` only in compounds: `close-account`, not `gh issue close`.
  const [verb, object] = first && (takes(first[1]) || /^close$/i.test(first[1]))
    ? [first[1], first[2]]
    : last && takes(last[2])
    ? [last[2], last[1]]
    : [];
  return verb ? [verb, [...before, object].join("-")] : undefined;
}

/** Whether `verb` on `thing` takes away a whole app, database, cluster, … */
function isWhole(r: ToolRead, verb: string, thing: string, next = ""): boolean {
  if (EMPTY.test(verb)) return DATA.test(thing);
  // A bare verb: `vercel rm` removes the project; `eksctl delete cluster`.
  if (thing === "") return DEPLOY.has(r.tool) || NOUN.test(next);
  if (REMOVE.test(verb)) return WHOLE_REMOVED.test(thing);
  return WHOLE.test(thing) || DATA_SERVER.test(thing) || (WHOLE_IN[r.tool]?.test(thing) ?? false);
}

/** Every verb above, anywhere in a word: a word without one is passed over at once. */
const ANY_VERB =
  /del|destroy|purge|drop|termin|teardown|nuke|wipe|erase|decommission|deprovision|undeploy|remove|rm|rb|reset|flush|truncate|empty|clear|close|prune|unset|unpublish|uninstall|forget|compact|regist|revoke|disable|cleanup|expunge|evict|unlink|detach|shred|yank|stop|rotate|kill/i;

/** How much a command's subcommand destroys: a whole thing, something, or nothing. */
type Destruction = "whole" | "some" | undefined;

/**
 * Every command but those: the general rules are `on` this pattern, so that the commands they
 * pass over are not even read (aliases included: `podman` is `docker`).
 */
const SUBCOMMANDS = new RegExp(
  `^(?!(${
    [...NOT_SUBCOMMANDS, ...WRAPPERS, ...SQL_STATEMENTS].map(canonical)
      .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")
  })$)`,
);

/** A command with no destructive word at all: most commands, passed over at once. */
function harmless(r: ToolRead, cmd: Invocation): boolean {
  for (let i = 0; i < 4 && i < r.words.length; i++) if (ANY_VERB.test(r.words[i])) return false;
  return !ANY_VERB.test(cmd.key) && !cmd.args.some((a) => a.startsWith("--") && FLAG.test(a));
}

const seen = new WeakMap<ToolRead, Destruction>();

/** Reads the command's first words for a destructive subcommand (once per command). */
function destruction(r: ToolRead, cmd: Invocation): Destruction {
  if (harmless(r, cmd)) return undefined;
  if (!seen.has(r)) seen.set(r, findDestruction(r, cmd));
  return seen.get(r);
}

function findDestruction(r: ToolRead, cmd: Invocation): Destruction {
  const key = cmd.key;
  const words = r.words.slice(0, 4);
  let found: Destruction;
  for (let i = 0; i < words.length && !found; i++) {
    const word = words[i];
    if (!ANY_VERB.test(word)) continue;
    const some = VERB.test(word) || COMPOUND.test(word);
    const taken = verbAt(words, i);
    // `rb` is "remove bucket" (`aws s3 rb`, `mc rb`): only an empty one unless forced.
    const bucket = word === "rb" && hasOption(r, "--force");
    if (bucket || taken && isWhole(r, taken[0], taken[1], words[i + 1])) found = "whole";
    else if (some) found = "some";
  }
  if (!found) {
    if (/(^|[-_])(delete|destroy|purge|wipe|nuke|drop)([-_]|$)/.test(key)) found = "some";
    else if (cmd.args.some((a) => a.startsWith("--") && FLAG.test(a))) found = "some";
  }
  // `awss ec2 terminate-instances` fails with "command not found".
  if (found && looksLikeTypo(key)) return undefined;
  // Deleting a local sandbox's cluster loses nothing shared.
  return found === "whole" && LOCAL.has(key) ? "some" : found;
}

/** Options that skip the plan-and-confirm step of an infrastructure tool. */
const APPROVE: Readonly<Record<string, readonly string[]>> = {
  terraform: ["-auto-approve", "--auto-approve", "-force"],
  pulumi: ["--yes", "-y", "--skip-preview", "--non-interactive"],
};

/** terragrunt's `run-all destroy` and `run --all destroy` are `destroy`. */
const iac = (r: ToolRead) => /^run(-all)?$/.test(r.words[0] ?? "") ? r.words.slice(1) : r.words;

/** `-X DELETE`, `--request=DELETE`, `--method DELETE`: the HTTP method asked for. */
function httpMethod(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const m = /^(-X|--request|--method)(=?)(.*)$/.exec(args[i]);
    if (m) return m[3] || m[2] ? m[3] : args[i + 1];
  }
  return undefined;
}

export const cloudRules = rules([
  {
    id: "cloud.iac-destroy",
    risk: "high",
    reason: "destroys or changes infrastructure without showing the plan or asking first",
    on: ["destroy", "apply", "run", "run-all"].map((w) => `terraform ${w}`)
      .concat("pulumi destroy", "pulumi up", "pulumi update"),
    group: "iac",
    unless: ["-help"],
    match: (r) =>
      ["destroy", "apply", "up", "update"].includes(iac(r)[0]) &&
      APPROVE[r.tool].some((f) => hasOption(r, f)),
    examples: {
      hit: [
        "terraform destroy -target=aws_instance.foo -auto-approve",
        "tofu -chdir=infra destroy -auto-approve",
        "terragrunt run-all destroy --auto-approve",
        "pulumi destroy --yes",
        "pulumi -s prod up -y",
        "terraform apply -var='foo=bar' -auto-approve",
      ],
      miss: [
        "terraform plan",
        "terraform apply",
        "terraform destroy",
        "terraform apply -auto-approv",
        "terraform apply -destroy",
        "pulumi destroy",
      ],
    },
  },
  {
    id: "cloud.iac-state",
    risk: "moderate",
    reason: "changes infrastructure state, or destroys it after asking",
    on: ["destroy", "state", "taint", "import", "force-unlock", "workspace", "run", "run-all"]
      .map((w) => `terraform ${w}`).concat("pulumi destroy", "pulumi state", "pulumi import"),
    group: "iac",
    unless: ["-help"],
    match: (r) => {
      const [a, b] = iac(r);
      // force-unlock and workspace delete refuse (or ask) unless forced.
      const forced = hasOption(r, "-force");
      return a === "destroy" || a === "taint" || a === "import" ||
        (a === "state" && /^(rm|mv|move|rename|replace-provider|push|delete|edit|unprotect)$/
          .test(b)) ||
        (a === "force-unlock" && forced) || (a === "workspace" && b === "delete" && forced);
    },
    examples: {
      hit: [
        "terraform state rm aws_instance.foo",
        "terraform destroy",
        "terraform force-unlock -force 1",
        "terraform workspace delete -force dev",
        "pulumi state delete 'urn:pulumi:dev::app::aws:s3/bucket:Bucket::b'",
        "pulumi import aws:iam/user:User u u",
      ],
      miss: [
        "terraform state show aws_instance.foo",
        "terraform apply",
        "terraform force-unlock 1",
        "terraform state mv -dry-run a b",
        "terraform workspace delete dev",
        "terraform destroy -help",
      ],
    },
  },
  {
    id: "cloud.aws-delete",
    risk: "moderate",
    reason: "deletes, stops or changes cloud resources",
    on: "aws",
    group: "cloud",
    match: (r) => {
      const [svc, op = ""] = r.words;
      if (svc === "s3") {
        return /^(rm|rb|mv)$/.test(op) || (op === "sync" && hasOption(r, "--delete"));
      }
      return /^(delete|terminate|remove|deregister|detach|disassociate|revoke|purge|stop|reboot|cancel|disable|reset|update|put|modify|unsubscribe|batch-delete|force|abort|reject|restore|change|replace|close|schedule-key-deletion)(-|$)/
        .test(op);
    },
    examples: {
      hit: [
        "aws ec2 terminate-instances --instance-ids i-1",
        "aws s3 rm s3://b/ --recursive",
        "aws --region us-east-1 dynamodb delete-table --table-name t",
        "aws s3 sync s3://b /x --delete",
        "aws kms schedule-key-deletion --key-id k",
      ],
      miss: ["aws s3 ls", "aws ec2 describe-instances", "aws s3 rm s3://b/ --recursive --dryrun"],
    },
  },
  {
    id: "cloud.storage-bulk-delete",
    risk: "high",
    reason: "deletes everything under a storage prefix or in a bucket",
    on: ["aws s3 rm", "gsutil rm", "gcloud storage rm", "s3cmd rm", "s3cmd del", "mc rm", "b2 rm"]
      .concat("azcopy remove", "azcopy rm", "bq rm", "az storage blob", "az storage file"),
    group: "cloud",
    // bq rm -r deletes a dataset and its tables; az's delete-batch empties a container.
    match: (r) =>
      ["-r", "-R", "--recursive"].some((f) => hasOption(r, f)) ||
      r.words[2] === "delete-batch",
    examples: {
      hit: [
        "aws s3 rm s3://mybucket/ --recursive",
        "aws --profile prod s3 rm --recursive s3://b/path",
        "gsutil -m rm -r gs://b/",
        "gsutil rm gs://b/ -r",
        "gcloud storage rm -r gs://b",
        "mc rm --recursive --force local/bucket",
        "az storage blob delete-batch --source c --account-name a",
        "bq rm -r -f mydataset",
      ],
      miss: ["gsutil ls gs://b", "aws s3 rm s3://b/one.txt", "az storage blob list -c x"],
    },
  },
  {
    id: "cloud.destroy-whole",
    risk: "high",
    reason: "deletes a whole app, project, repository, cluster, database, bucket or account",
    on: SUBCOMMANDS,
    group: "cloud",
    match: (r, cmd) => destruction(r, cmd) === "whole",
    examples: {
      hit: [
        "fly apps destroy my-app",
        "flyctl postgres destroy my-db",
        "fly destroy my-app --yes",
        "heroku apps:destroy",
        "heroku pg:reset DATABASE_URL --confirm app",
        "vercel rm my-project",
        "vercel project rm web",
        "netlify sites:delete",
        "gh repo delete owner/repo --yes",
        "glab repo delete group/project",
        "az group delete --name prod --yes",
        "az aks delete --name c -g rg",
        "az sql server delete -n s -g rg",
        "az storage account delete --name acct",
        "gcloud projects delete my-project",
        "gcloud --project p container clusters delete prod --zone z",
        "gcloud sql instances delete db-1",
        "aws opensearch delete-domain --domain-name logs",
        "aws rds delete-db-instance --db-instance-identifier db",
        "aws cloudformation delete-stack --stack-name s",
        "aws dynamodb delete-table --table-name t",
        "aws eks delete-cluster --name c",
        "aws s3 rb s3://bucket --force",
        "aws organizations close-account --account-id 1",
        "mc rb --force local/old-bucket",
        "eksctl delete cluster --name prod",
        "pulumi stack rm dev --yes",
        "serverless remove --stage prod",
        "sls remove",
        "cdk destroy --force",
        "doctl kubernetes cluster delete prod",
        "doctl databases delete 1234",
        "doppler projects delete backend -y",
        "wrangler kv:namespace delete --namespace-id x",
        "turso db destroy mydb",
        "rails db:drop",
      ],
      miss: [
        "fly apps list",
        "fly volumes destroy vol_1",
        "heroku apps:info",
        "heroku addons:destroy redis-x",
        "vercel list",
        "vercel env rm MY_VAR",
        "gh repo view",
        "gh release delete v1",
        "gh repo deletee",
        "gcloud compute instances delete vm-1",
        "gcloud iam service-accounts delete sa@p.iam",
        "gcloud pubsub topics delete t",
        "aws ec2 terminate-instances --instance-ids i-1",
        "aws iam delete-user-policy --user-name u --policy-name p",
        "aws s3api delete-bucket-policy --bucket b",
        "aws rds delete-db-snapshot --db-snapshot-identifier s",
        "az vm delete -n vm",
        "kind delete cluster --name dev",
        "minikube delete",
        "kubectl delete ns x",
        "terraform workspace delete dev",
        "echo gcloud projects delete p",
        "pulumi destroy",
        "gh project close 3",
        "eselect repository remove guru",
        "update-rc.d -f mysql remove",
        "vercel domains rm example.com",
        "aws route53 delete-hosted-zone --id Z1",
        "gsutil rb gs://old-bucket",
        "aws s3api delete-bucket --bucket b",
      ],
    },
  },
  {
    id: "cloud.unpublish",
    risk: "high",
    reason: "removes a published package from the registry for everyone who depends on it",
    // `yarn npm unpublish` reads as npm's words `npm unpublish`.
    on: ["npm unpublish", "npm npm unpublish"],
    group: "cloud",
    examples: {
      hit: ["npm unpublish my-package@1.0.0", "yarn npm unpublish", "pnpm unpublish --force"],
      miss: ["npm publish", "npm unpublishh", "npm run unpublish"],
    },
  },
  {
    id: "cloud.heroku-change",
    risk: "moderate",
    reason: "changes or stops a live Heroku app",
    on: "heroku",
    group: "cloud",
    match: (r) =>
      /^[\w-]+:(rename|update|leave|restart|stop|kill|destroy|remove|rm|unset|reset|disable|rotate|transfer|detach|promote|rollback|scale|type|resize|clear|revoke|off)$|^(maintenance:on|ps:scale|releases:rollback)$/
        .test(r.words[0] ?? ""),
    examples: {
      hit: ["heroku apps:rename new", "heroku ps:restart", "heroku access:update"],
      miss: ["heroku apps:info", "heroku logs"],
    },
  },
  {
    id: "cloud.change-visibility",
    risk: "moderate",
    reason: "renames, archives or transfers a repository, or changes who can see it",
    on: ["gh repo rename", "gh repo archive", "gh repo transfer", "gh repo edit"],
    group: "cloud",
    match: (r) => r.words[1] !== "edit" || hasOption(r, "--visibility"),
    examples: {
      hit: ["gh repo rename new-name", "gh repo edit --visibility public", "gh repo archive o/r"],
      miss: ["gh repo edit --description x", "gh repo unarchive o/r"],
    },
  },
  {
    id: "cloud.package-deprecate",
    risk: "moderate",
    reason: "changes a published package for everyone who depends on it",
    on: ["npm deprecate", "npm owner", "npm dist-tag", "cargo yank", "gem yank"],
    group: "cloud",
    match: (r) => !/^(owner|dist-tag)$/.test(r.words[0]) || /^(rm|remove)$/.test(r.words[1]),
    examples: {
      hit: ["npm deprecate my-package 'no longer supported'", "cargo yank --version 1.0.0"],
      miss: ["npm install", "npm owner ls pkg"],
    },
  },
  {
    id: "ops.destructive-subcommand",
    risk: "moderate",
    reason: "the subcommand deletes, destroys or disables something",
    on: SUBCOMMANDS,
    group: "cloud",
    match: (r, cmd) => destruction(r, cmd) !== undefined,
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
        "minikube delete",
        "stripe customers delete cus_1",
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
        "python drop_table.py",
      ],
    },
  },
  {
    id: "cloud.http-delete",
    risk: "moderate",
    reason: "sends an HTTP request that deletes data on a server",
    on: ["curl", "http", "https", "xh", "wget", "httpie", "gh api"],
    group: "cloud",
    match: (r) => {
      const a = r.args;
      const method = httpMethod(a);
      if (method && /^DELETE$/i.test(method)) return true;
      if (/^(http|https|xh|httpie)$/.test(r.tool) && a.some((x) => /^DELETE$/i.test(x))) {
        return true;
      }
      // POSTs to delete endpoints (`…/doDelete`, `_delete_by_query`).
      return method !== undefined && /^(POST|PUT|PATCH)$/i.test(method) &&
        a.some((x) => /^https?:\/\/.*([/_.-]|do)(delete|destroy|remove|purge|wipe|drop)/i.test(x));
    },
    examples: {
      hit: [
        "curl -X DELETE 'http://localhost:9200/_all'",
        "curl -XDELETE localhost:9200/logs",
        "curl --request=DELETE https://api/x/1",
        "wget --method=DELETE https://api/x/1",
        "curl -X POST http://jenkins.local/job/x/doDelete",
        "http DELETE example.com/items/1",
        "gh api -X DELETE repos/o/r",
        "gh api --method DELETE /repos/o/r",
      ],
      miss: [
        "curl -X GET 'http://localhost:9200/_cat/indices'",
        "curl https://example.com/delete-me.txt",
        "gh api repos/o/r",
      ],
    },
  },
]);
