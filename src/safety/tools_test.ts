/**
 * A command read as its program reads it: subcommand words found past options and their
 * values, wherever they stand, and flags however they are spelled.
 */

import { assert, assertEquals } from "../../test/support/assert.ts";
import { makeInvocation } from "./command.ts";
import { namesOf } from "./programs.ts";
import { hasOption, readTool } from "./tools.ts";

/** `line` split on spaces, read through the table. */
const read = (line: string) => readTool(makeInvocation(line.split(" ")));

/** Each line's tool and words. */
function expectWords(cases: Record<string, [string, string[]]>) {
  for (const [line, [tool, words]] of Object.entries(cases)) {
    const r = read(line);
    assertEquals(r.tool, tool, line);
    assertEquals(r.words, words, line);
  }
}

Deno.test("readTool: aliases read as their tool", () => {
  assertEquals(read("podman rm -f web").tool, "docker");
  assertEquals(read("k get pods").tool, "kubectl");
  assertEquals(read("oc delete project x").tool, "kubectl");
  assertEquals(read("fly apps destroy x").tool, "flyctl");
  assertEquals(read("sls remove").tool, "serverless");
  assertEquals(read("tofu destroy").tool, "terraform");
  assertEquals(read("glab repo delete x").tool, "gh");
  assertEquals(read("apt-get remove x").tool, "apt");
  assertEquals(read("yum remove x").tool, "dnf");
  assertEquals(read("ls -la").tool, "ls");
  assertEquals(namesOf("docker"), ["docker", "podman", "nerdctl"]);
});

Deno.test("readTool: option values before and after the subcommand are skipped", () => {
  expectWords({
    "docker --context prod -H tcp://h system prune -a": ["docker", ["system", "prune"]],
    "docker run -v /:/host -e A=1 --name web alpine sh": ["docker", ["run", "alpine", "sh"]],
    "docker compose --rmi all down": ["docker", ["compose", "down"]],
    "docker-compose -f prod.yml -p shop down -v": ["docker-compose", ["down"]],
    "kubectl -n prod --context c delete ns x": ["kubectl", ["delete", "ns", "x"]],
    "kubectl delete pods -l app=web -n prod": ["kubectl", ["delete", "pods"]],
    "kubectl patch deploy x --patch {} --type merge": ["kubectl", ["patch", "deploy", "x"]],
    "helm -n prod --kube-context c uninstall web": ["helm", ["uninstall", "web"]],
    "helmfile -e prod destroy": ["helmfile", ["destroy"]],
    "aws --region us-east-1 --profile p s3 rb s3://b": ["aws", ["s3", "rb", "s3://b"]],
    "gcloud --project p sql instances delete db": ["gcloud", ["sql", "instances", "delete", "db"]],
    "az storage account delete -n acct -g rg": ["az", ["storage", "account", "delete"]],
    "doctl -t tok -o json databases delete 1": ["doctl", ["databases", "delete", "1"]],
    "pulumi -s prod -C infra stack rm dev": ["pulumi", ["stack", "rm", "dev"]],
    "eksctl delete cluster -n prod -r eu-west-1": ["eksctl", ["delete", "cluster"]],
    "fly -a app postgres destroy": ["flyctl", ["postgres", "destroy"]],
    "heroku pg:reset -a app --confirm app": ["heroku", ["pg:reset"]],
    "vercel --scope team rm web": ["vercel", ["rm", "web"]],
    "gh -R o/r api -X DELETE repos/o/r": ["gh", ["api", "repos/o/r"]],
    "apt-get -o Dpkg::Options::=--force-confold remove sudo": ["apt", ["remove", "sudo"]],
    "mysqladmin -u root -h db drop shop": ["mysqladmin", ["drop", "shop"]],
    "systemctl -H host --job-mode fail stop nginx": ["systemctl", ["stop", "nginx"]],
  });
});

Deno.test("readTool: --opt=value keeps its value to itself", () => {
  expectWords({
    "kubectl --namespace=prod delete ns x": ["kubectl", ["delete", "ns", "x"]],
    "gcloud --project=p projects delete p": ["gcloud", ["projects", "delete", "p"]],
    "docker --context=prod volume rm data": ["docker", ["volume", "rm", "data"]],
    "aws --region=eu-west-1 rds delete-db-instance": ["aws", ["rds", "delete-db-instance"]],
  });
  const r = read("kubectl delete ns x --dry-run=client");
  assertEquals(r.options.get("--dry-run"), "client");
});

Deno.test("readTool: flags that take no value are never given one", () => {
  // `-f` is `--force` to docker rm and prune, so the next word stays a word.
  expectWords({
    "docker rm -f web": ["docker", ["rm", "web"]],
    "docker system prune -f --all": ["docker", ["system", "prune"]],
    "kubectl delete pods -A": ["kubectl", ["delete", "pods"]],
  });
  assert(hasOption(read("docker system prune -f --all"), "--all"));
});

Deno.test("hasOption: combined short flags, long flags, single-dash words", () => {
  const prune = read("docker system prune -af --volumes");
  assert(hasOption(prune, "-a") && hasOption(prune, "-f") && hasOption(prune, "--volumes"));
  assert(!hasOption(prune, "--all"));
  const pacman = read("pacman -Rns vim");
  assert(hasOption(pacman, "-R") && !hasOption(pacman, "-S"));
  assert(hasOption(read("terraform destroy -auto-approve"), "-auto-approve"));
  assert(!hasOption(read("terraform apply -auto-approv"), "-auto-approve"));
  assert(hasOption(read("terraform destroy -force=true"), "-force"));
  assert(hasOption(read("gh repo edit --visibility=public"), "--visibility"));
  assert(hasOption(read("gh repo edit --visibility public"), "--visibility"));
  // A value is not a flag: `-n ns-all` does not say `--all`, `-l a=b` does not say `-a`.
  assert(!hasOption(read("kubectl delete pods -l a=b"), "-a"));
});
