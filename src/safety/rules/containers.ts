/**
 * Containers and Kubernetes: pruning images and volumes, removing every container, privileged
 * containers, deleting namespaces and workloads, draining nodes, uninstalling releases.
 *
 * @module
 */

import { rules } from "../rule.ts";
import { hasOption, readArgs, type ToolRead } from "../tools.ts";

/** `docker compose …` reads like `docker-compose …`: its words after `compose`. */
function compose(r: ToolRead): string[] {
  if (r.tool !== "docker") return r.words;
  const rest = r.args.slice(r.args.indexOf("compose") + 1);
  return readArgs("docker-compose", rest).words;
}

/** A `$(docker ps -q)`-style argument: every container, image or volume there is. */
const EVERY = /\$\(\s*(docker|podman|nerdctl)\s+(ps|images|(container|image|volume)\s+ls)\b/;

/** Kubernetes kinds whose deletion takes everything in them (a CRD takes all its objects). */
const KUBE_WHOLE =
  /^(all|ns|namespaces?|projects?|pv|persistentvolumes?|crds?|customresourcedefinitions?|clusters?)([/.,]|$)/;

export const containerRules = rules([
  {
    id: "container.prune",
    risk: "moderate",
    reason: "deletes unused containers, images, build cache or volumes",
    on: [
      "docker system prune",
      "docker volume prune",
      "docker container prune",
      "docker image prune",
      "docker builder prune",
      "docker buildx prune",
      "docker network prune",
    ],
    // Without --all, image and cache pruning only drops dangling layers.
    match: (r) =>
      ["volume", "container", "network"].includes(r.words[0]) ||
      ["-a", "--all", "--volumes"].some((f) => hasOption(r, f)),
    examples: {
      hit: [
        "docker system prune -a",
        "docker system prune -f --all",
        "docker volume prune -f",
        "docker image prune --all",
        "podman container prune",
        "docker --context prod system prune --volumes",
      ],
      miss: ["docker image prune", "docker ps -a", "docker system prune", "docker system df"],
    },
  },
  {
    id: "container.reset",
    risk: "high",
    reason: "deletes every container, image, volume and network on the machine",
    on: "docker system reset",
    examples: { hit: ["podman system reset -f"], miss: ["podman system info"] },
  },
  {
    id: "container.remove-all",
    risk: "moderate",
    reason: "stops or removes every container, image or volume",
    on: ["rm", "rmi", "stop", "kill", "container rm", "container stop", "image rm", "volume rm"]
      .map((w) => `docker ${w}`),
    // podman's `rm --all`; docker's `rm $(docker ps -aq)`.
    match: (r) => hasOption(r, "--all") || hasOption(r, "-a") || r.args.some((a) => EVERY.test(a)),
    examples: {
      hit: [
        "docker stop $(docker ps -a -q)",
        "docker rmi -f $(docker images -q)",
        "podman rm --all --force",
        "docker volume rm $(docker volume ls -q)",
      ],
      miss: ["docker stop web", "docker container ls -a"],
    },
  },
  {
    id: "container.remove-force",
    risk: "moderate",
    reason: "force-removes containers, images or networks (running ones included)",
    on: ["docker rm", "docker rmi", "docker container rm", "docker image rm", "docker network"],
    match: (r) =>
      r.words[0] === "network"
        ? ["rm", "remove", "prune"].includes(r.words[1])
        : hasOption(r, "-f") || hasOption(r, "--force"),
    examples: {
      hit: ["docker rmi -f image:tag", "docker rm -f web", "docker network rm net1"],
      miss: ["docker rmi myimage:latest", "docker rm old-container", "docker network ls"],
    },
  },
  {
    id: "container.volume-rm",
    risk: "moderate",
    reason: "deletes container volumes and the data in them",
    on: ["docker volume rm", "docker volume remove"],
    examples: { hit: ["docker volume rm pgdata"], miss: ["docker volume inspect pgdata"] },
  },
  {
    id: "container.swarm-remove",
    risk: "moderate",
    reason: "removes a swarm service, secret or node, or leaves the swarm by force",
    on: ["docker service", "docker secret", "docker config", "docker node", "docker swarm leave"],
    match: (r) => {
      const force = hasOption(r, "-f") || hasOption(r, "--force");
      return r.words[0] === "swarm" ? force : r.words[1] === "rm" || r.words[1] === "remove";
    },
    examples: {
      hit: ["docker service rm web", "docker secret rm db_pass", "docker swarm leave --force"],
      miss: ["docker service ls", "docker swarm leave"],
    },
  },
  {
    id: "container.stack-remove",
    risk: "high",
    reason: "takes down a whole swarm stack: every service in it",
    on: ["docker stack rm", "docker stack remove", "docker stack down"],
    examples: { hit: ["docker stack rm prod"], miss: ["docker stack ls"] },
  },
  {
    id: "container.compose-down-volumes",
    risk: "moderate",
    reason: "takes the stack down and deletes its volumes (data) or images",
    on: ["docker compose", "docker-compose"],
    flags: ["-v", "--volumes", "--rmi"],
    match: (r) => ["down", "rm"].includes(compose(r)[0]),
    examples: {
      hit: [
        "docker compose down -v",
        "docker-compose down --volumes",
        "docker compose -f prod.yml -p shop down --rmi all",
        "podman-compose -f x.yml down -v",
      ],
      miss: ["docker compose down", "docker compose up -v", "docker compose -f down.yml up"],
    },
  },
  {
    id: "container.privileged",
    risk: "moderate",
    reason: "runs a container with full access to the host",
    on: ["docker run", "docker create", "docker exec", "docker container"],
    match: (r) =>
      r.args.some((x, i) =>
        /^--privileged(=true)?$/.test(x) || /^--(pid|net|network|ipc|userns|uts)=host$/.test(x) ||
        (/^--(pid|net|network|ipc)$/.test(x) && r.args[i + 1] === "host") ||
        /^--cap-add=(ALL|SYS_ADMIN)$/i.test(x) || /^--security-opt=?.*unconfined/.test(x) ||
        ((x === "-v" || x === "--volume") && /^\/(:|$)/.test(r.args[i + 1] ?? "")) ||
        /^(-v|--volume=)\/:/.test(x) || /^\/var\/run\/docker\.sock:/.test(x)
      ),
    examples: {
      hit: [
        "docker run --privileged nginx",
        "docker run -v /:/host alpine",
        "docker run --pid=host x",
        "docker run -v /var/run/docker.sock:/var/run/docker.sock x",
      ],
      miss: ["docker run --privileged=false nginx", "docker run -it ubuntu bash"],
    },
  },
  {
    id: "kube.delete-namespace",
    risk: "high",
    reason: "deletes a whole namespace or volume, or every resource of a kind",
    on: "kubectl delete",
    group: "kube-delete",
    // `-A` with a selector deletes what matches everywhere, not everything.
    match: (r) =>
      KUBE_WHOLE.test(r.words[1] ?? "") || hasOption(r, "--all") ||
      (hasOption(r, "-A") || hasOption(r, "--all-namespaces")) &&
        !["-l", "--selector", "--field-selector"].some((f) => hasOption(r, f)),
    examples: {
      hit: [
        "kubectl delete ns staging",
        "kubectl --context prod delete namespace x",
        "k delete pods --all",
        "oc delete project demo",
        "kubectl delete all --all -n prod",
        "kubectl -n kube-system delete crd certificates.cert-manager.io",
        "kubectl delete pv pv-data-0",
        "kubectl delete deploy -A",
      ],
      miss: [
        "kubectl delete ns staging --dry-run=client",
        "kubectl get ns",
        "kubectl delete pod nsq-0",
        "kubectl delete node worker-3",
        "kubectl delete pods -A --field-selector status.phase=Failed",
      ],
    },
  },
  {
    id: "kube.delete",
    risk: "moderate",
    reason: "deletes Kubernetes resources",
    on: "kubectl delete",
    group: "kube-delete",
    examples: {
      hit: ["kubectl delete pod web-1", "k delete -n test deploy/x", "kubectl delete -f app.yaml"],
      miss: ["kubectl get pods", "kubectl describe pod delete"],
    },
  },
  {
    id: "kube.disrupt",
    risk: "moderate",
    reason: "changes running workloads or takes a node out of service",
    on: ["drain", "cordon", "taint", "scale", "autoscale", "patch", "edit", "set", "replace"]
      .concat(["rollout", "apply"]).map((w) => `kubectl ${w}`),
    match: (r) => {
      const [a, b] = r.words;
      if (a === "replace") return hasOption(r, "--force");
      if (a === "apply") return hasOption(r, "--force") || hasOption(r, "--prune");
      if (a === "rollout") return ["restart", "undo", "pause", "resume"].includes(b);
      return a !== "set" || b !== undefined;
    },
    examples: {
      hit: [
        "kubectl drain node01 --ignore-daemonsets",
        "kubectl cordon node01",
        "kubectl scale deploy/web --replicas=0",
        "kubectl rollout undo deploy/x",
        "kubectl apply -f x.yaml --force",
        "k set env deploy/x A=1",
      ],
      miss: [
        "kubectl apply -f deployment.yaml",
        "kubectl replace -f deployment.yaml",
        "kubectl get nodes",
        "kubectl uncordon node01",
        "k set",
      ],
    },
  },
  {
    id: "kube.helm-uninstall",
    risk: "moderate",
    reason: "uninstalls or rolls back a Helm release",
    on: ["helm uninstall", "helm delete", "helm del", "helm un", "helm rollback"],
    examples: {
      hit: ["helm uninstall my-release", "helm -n prod delete web", "helm rollback web 3"],
      miss: ["helm history my-release", "helm repo remove bitnami", "helm plugin uninstall x"],
    },
  },
  {
    id: "kube.destroy-all-releases",
    risk: "high",
    reason: "uninstalls every release the helmfile describes",
    on: ["helmfile destroy", "helmfile delete"],
    examples: { hit: ["helmfile -e prod destroy"], miss: ["helmfile diff"] },
  },
]);
