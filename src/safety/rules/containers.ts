/**
 * Containers and Kubernetes: pruning images and volumes, removing every container, privileged
 * containers, deleting namespaces and workloads, draining nodes.
 *
 * @module
 */

import { argView, hasFlag, type Invocation } from "../command.ts";
import type { Rule } from "../rule.ts";

const DOCKER = ["docker", "podman", "nerdctl"];
const COMPOSE = ["docker-compose", "podman-compose"];
const KUBE = ["kubectl", "k", "oc", "kubecolor", "microk8s.kubectl"];

/** Docker's global options that take a value (`docker --context prod rm …`). */
const DOCKER_GLOBAL = ["-c", "--context", "-H", "--host", "--config", "-l", "--log-level"];

/** Positionals after docker's global options: `["system", "prune"]`. */
function dockerWords(c: Invocation): string[] {
  return argView(c.args, [...DOCKER_GLOBAL, "-f", "--filter", "--format"]).positionals;
}

/** Kubernetes options that take a value, so `-n prod delete` reads as `delete`. */
const KUBE_WITH_VALUE = [
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
];

function kube(c: Invocation): { words: string[]; view: ReturnType<typeof argView> } {
  const view = argView(c.args, KUBE_WITH_VALUE);
  return { words: view.positionals, view };
}

export const containerRules: Rule[] = [
  {
    id: "container.prune",
    category: "containers",
    risk: "moderate",
    reason: "deletes unused containers, images, build cache or volumes",
    commands: DOCKER,
    match: (c) => {
      const [a, b] = dockerWords(c);
      const v = argView(c.args);
      const all = hasFlag(v, "a", "--all", "--volumes");
      if (a === "system" && b === "prune") return all;
      if (a === "volume" && b === "prune") return true;
      if (["image", "builder", "buildx", "container", "network"].includes(a) && b === "prune") {
        return all || a === "container";
      }
      return false;
    },
    examples: {
      hit: ["docker system prune -a", "docker volume prune -f", "docker image prune --all"],
      miss: ["docker image prune", "docker ps -a", "docker system prune"],
    },
  },
  {
    id: "container.remove-all",
    category: "containers",
    risk: "moderate",
    reason: "stops or removes every container or image",
    commands: DOCKER,
    match: (c) => {
      const [a] = dockerWords(c);
      return ["rm", "rmi", "stop", "kill", "container", "image", "volume"].includes(a ?? "") &&
        c.args.some((x) =>
          /\$\(\s*(docker|podman)\s+(ps|images|container\s+ls|image\s+ls|volume\s+ls)/.test(x)
        );
    },
    examples: {
      hit: ["docker stop $(docker ps -a -q)", "docker rmi -f $(docker images -q)"],
      miss: ["docker stop web"],
    },
  },
  {
    id: "container.remove-force",
    category: "containers",
    risk: "moderate",
    reason: "force-removes containers, images or networks (running ones included)",
    commands: DOCKER,
    match: (c) => {
      const [a, b] = dockerWords(c);
      const force = hasFlag(argView(c.args), "f", "--force");
      if (a === "network") return ["rm", "remove", "prune"].includes(b ?? "");
      if (["rm", "rmi"].includes(a ?? "")) return force;
      if (["container", "image"].includes(a ?? "")) {
        return ["rm", "remove"].includes(b ?? "") && force;
      }
      return false;
    },
    examples: {
      hit: ["docker rmi -f image:tag", "docker rm -f web", "docker network rm net1"],
      miss: ["docker rmi myimage:latest", "docker rm old-container"],
    },
  },
  {
    id: "container.volume-rm",
    category: "containers",
    risk: "moderate",
    reason: "deletes container volumes and the data in them",
    commands: DOCKER,
    match: (c) => {
      const [a, b] = dockerWords(c);
      return a === "volume" && ["rm", "remove"].includes(b ?? "");
    },
    examples: { hit: ["docker volume rm pgdata"], miss: ["docker volume inspect pgdata"] },
  },
  {
    id: "container.compose-down-volumes",
    category: "containers",
    risk: "moderate",
    commands: [...DOCKER, ...COMPOSE],
    reason: "takes the stack down and deletes its volumes (data) or images",
    match: (c) => {
      const words = COMPOSE.includes(c.key)
        ? argView(c.args, ["-f", "--file", "-p", "--project-name"]).positionals
        : DOCKER.includes(c.key) && dockerWords(c)[0] === "compose"
        ? argView(c.args.slice(c.args.indexOf("compose") + 1), [
          "-f",
          "--file",
          "-p",
          "--project-name",
          "--rmi",
        ]).positionals
        : [];
      if (words[0] !== "down" && words[0] !== "rm") return false;
      return c.args.some((a) => /^(-v|--volumes|--rmi|-[a-z]*v[a-z]*)$/.test(a));
    },
    examples: {
      hit: ["docker compose down -v", "docker-compose down --volumes"],
      miss: ["docker compose down"],
    },
  },
  {
    id: "container.privileged",
    category: "containers",
    risk: "moderate",
    reason: "runs a container with full access to the host",
    commands: DOCKER,
    match: (c) => {
      const [a] = dockerWords(c);
      if (!["run", "create", "exec", "container"].includes(a ?? "")) return false;
      return c.args.some((x, i) =>
        /^--privileged(=true)?$/.test(x) || /^--(pid|net|network|ipc|userns|uts)=host$/.test(x) ||
        (/^--(pid|net|network|ipc)$/.test(x) && c.args[i + 1] === "host") ||
        /^--cap-add=(ALL|SYS_ADMIN)$/i.test(x) || /^--security-opt=?.*unconfined/.test(x) ||
        ((x === "-v" || x === "--volume") && /^\/(:|$)/.test(c.args[i + 1] ?? "")) ||
        /^(-v|--volume=)\/:/.test(x) || /^\/var\/run\/docker\.sock:/.test(x)
      );
    },
    examples: {
      hit: [
        "docker run --privileged nginx",
        "docker run -v /:/host alpine",
        "docker run --pid=host x",
      ],
      miss: ["docker run --privileged=false nginx", "docker run -it ubuntu bash"],
    },
  },
  {
    id: "kube.delete-namespace",
    category: "kubernetes",
    risk: "high",
    reason: "deletes a whole namespace (or all resources) and everything running in it",
    commands: KUBE,
    group: "kube-delete",
    match: (c) => {
      const { words, view } = kube(c);
      if (words[0] !== "delete") return false;
      return /^(ns|namespaces?|nodes?|no|pv|persistentvolumes?|crd|customresourcedefinitions?)(\/|$)/
        .test(words[1] ?? "") ||
        hasFlag(view, "--all", "-A", "--all-namespaces") || view.short.has("A");
    },
    examples: {
      hit: [
        "kubectl delete ns staging",
        "kubectl --context prod delete namespace x",
        "k delete pods --all",
      ],
      miss: ["kubectl delete ns staging --dry-run=client", "kubectl get ns"],
    },
  },
  {
    id: "kube.delete",
    category: "kubernetes",
    risk: "moderate",
    reason: "deletes Kubernetes resources",
    commands: KUBE,
    group: "kube-delete",
    match: (c) => kube(c).words[0] === "delete",
    examples: {
      hit: ["kubectl delete pod web-1", "k delete -n test deploy/x"],
      miss: ["kubectl get pods"],
    },
  },
  {
    id: "kube.disrupt",
    category: "kubernetes",
    risk: "moderate",
    reason: "changes running workloads or takes a node out of service",
    commands: KUBE,
    match: (c) => {
      const { words, view } = kube(c);
      const [a, b] = words;
      if (
        ["drain", "cordon", "taint", "scale", "set", "patch", "edit", "replace", "autoscale"]
          .includes(a ?? "")
      ) {
        if (a === "replace") return hasFlag(view, "--force");
        return a !== "set" || b !== undefined;
      }
      if (a === "rollout") return ["restart", "undo", "pause", "resume"].includes(b ?? "");
      if (a === "apply") return hasFlag(view, "--force", "--prune");
      return false;
    },
    examples: {
      hit: [
        "kubectl drain node01",
        "kubectl scale deploy/web --replicas=0",
        "kubectl rollout undo deploy/x",
        "kubectl apply -f x.yaml --force",
      ],
      miss: [
        "kubectl apply -f deployment.yaml",
        "kubectl replace -f deployment.yaml",
        "kubectl get nodes",
      ],
    },
  },
  {
    id: "kube.helm-uninstall",
    category: "kubernetes",
    risk: "moderate",
    reason: "uninstalls or rolls back a Helm release",
    commands: ["helm"],
    match: (c) =>
      ["uninstall", "delete", "del", "rollback", "un"].includes(
        argView(c.args, ["-n", "--namespace", "--kube-context"]).positionals[0] ?? "",
      ),
    examples: { hit: ["helm uninstall my-release"], miss: ["helm history my-release"] },
  },
];
