/**
 * Cloud, infrastructure and hosting CLIs (aws, gcloud, az, terraform, pulumi, fly, heroku,
 * vercel, gh, npm publishing): infrastructure destroyed without a plan, bulk deletes in
 * storage, packages unpublished, HTTP DELETE requests. Deleting a whole app, project or
 * database with any CLI is rated by the general rules in subcommands.ts, in the same group.
 *
 * @module
 */

import { rules } from "../rule.ts";
import { hasOption, type ToolRead } from "../tools.ts";

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

export const cloudRules = rules("cloud", [
  {
    id: "iac-destroy",
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
    id: "iac-state",
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
    id: "iac-stack-remove",
    risk: "high",
    reason: "deletes a whole stack with its state and configuration",
    on: ["pulumi stack rm", "pulumi stack remove"],
    group: "iac",
    unless: ["--help", "-h"],
    examples: {
      hit: ["pulumi stack rm dev --yes", "pulumi -C infra stack rm --force prod"],
      miss: ["pulumi stack ls", "pulumi stack select dev", "pulumi stack rm --help"],
    },
  },
  {
    id: "aws-delete",
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
    id: "storage-bulk-delete",
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
    id: "unpublish",
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
    id: "heroku-change",
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
    id: "change-visibility",
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
    id: "package-deprecate",
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
    id: "http-delete",
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
