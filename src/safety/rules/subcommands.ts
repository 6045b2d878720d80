/**
 * Two general rules for every CLI the other rules do not know: a subcommand that deletes,
 * destroys or purges something, and one that deletes a whole app, project, repository,
 * cluster, database, bucket or account (`gcloud projects delete`, `aws rds delete-db-instance`,
 * `heroku apps:destroy`, `eksctl delete cluster`, `doctl databases delete`). Both are catch-alls:
 * they read a program only where no rule outside their group (`cloud`) is about it.
 *
 * @module
 */

import type { Invocation } from "../command.ts";
import { NO_SUBCOMMANDS, WRAPPERS } from "../programs.ts";
import { rules } from "../rule.ts";
import { hasOption, type ToolRead } from "../tools.ts";

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
 * Whether a command's words are its own subcommands: not a wrapper's (`sudo rm x`: `rm`'s) and
 * not text, files or URLs (`echo delete`, `grep drop`, `scp delete.txt host:`).
 */
const ownWords = (cmd: Invocation) => !NO_SUBCOMMANDS.has(cmd.key) && !WRAPPERS.has(cmd.key);

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

export const subcommandRules = rules("ops", [
  {
    id: "destroy-whole",
    risk: "high",
    reason: "deletes a whole app, project, repository, cluster, database, bucket or account",
    on: "*",
    fallback: true,
    group: "cloud",
    match: (r, cmd) => ownWords(cmd) && destruction(r, cmd) === "whole",
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
        "serverless remove --stage prod",
        "sls remove",
        "cdk destroy --force",
        "doctl kubernetes cluster delete prod",
        "doctl databases delete 1234",
        "doppler projects delete backend -y",
        "wrangler kv:namespace delete --namespace-id x",
        "turso db destroy mydb",
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
    id: "destructive-subcommand",
    risk: "moderate",
    reason: "the subcommand deletes, destroys or disables something",
    on: "*",
    fallback: true,
    group: "cloud",
    match: (r, cmd) => ownWords(cmd) && destruction(r, cmd) !== undefined,
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
]);
