/**
 * Containers: pruning images and volumes, removing every container, taking stacks down,
 * privileged containers.
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

export const containerRules = rules("container", [
  {
    id: "prune-volumes",
    risk: "high",
    reason: "deletes volumes and the data in them (databases, uploads): it cannot be rebuilt",
    on: ["docker volume prune", "docker system prune", "docker volume rm", "docker volume remove"],
    group: "prune",
    match: (r) =>
      r.words[1] === "prune"
        ? r.words[0] === "volume" || hasOption(r, "--volumes")
        : hasOption(r, "--all") || r.args.some((a) => EVERY.test(a)),
    examples: {
      hit: [
        "docker volume prune",
        "podman volume prune -f",
        "sudo docker system prune -af --volumes",
        "nerdctl volume prune --all",
        "docker volume rm $(docker volume ls -q)",
      ],
      miss: ["docker system prune -a", "docker volume ls", "docker volume rm pgdata"],
    },
  },
  {
    id: "prune",
    risk: "moderate",
    reason: "deletes unused containers, images, build cache or volumes",
    group: "prune",
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
    id: "reset",
    risk: "high",
    reason: "deletes every container, image, volume and network on the machine",
    on: "docker system reset",
    examples: { hit: ["podman system reset -f"], miss: ["podman system info"] },
  },
  {
    id: "remove-all",
    risk: "moderate",
    reason: "stops or removes every container, image or volume",
    group: "prune",
    on: ["rm", "rmi", "stop", "kill", "container rm", "container stop", "image rm", "volume rm"]
      .map((w) => `docker ${w}`),
    // podman's `rm --all`; docker's `rm $(docker ps -aq)`.
    match: (r) => hasOption(r, "--all") || hasOption(r, "-a") || r.args.some((a) => EVERY.test(a)),
    examples: {
      hit: [
        "docker stop $(docker ps -a -q)",
        "docker rmi -f $(docker images -q)",
        "podman rm --all --force",
        "docker image rm $(docker image ls -q)",
      ],
      miss: ["docker stop web", "docker container ls -a"],
    },
  },
  {
    id: "remove-force",
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
    id: "volume-rm",
    risk: "moderate",
    group: "prune",
    reason: "deletes container volumes and the data in them",
    on: ["docker volume rm", "docker volume remove"],
    examples: { hit: ["docker volume rm pgdata"], miss: ["docker volume inspect pgdata"] },
  },
  {
    id: "swarm-remove",
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
    id: "stack-remove",
    risk: "high",
    reason: "takes down a whole swarm stack: every service in it",
    on: ["docker stack rm", "docker stack remove", "docker stack down"],
    examples: { hit: ["docker stack rm prod"], miss: ["docker stack ls"] },
  },
  {
    id: "compose-down-volumes",
    risk: "high",
    reason: "takes the stack down and deletes its volumes, with the data in them",
    on: ["docker compose", "docker-compose"],
    group: "compose",
    flags: ["-v", "--volumes"],
    match: (r) => ["down", "rm"].includes(compose(r)[0]),
    examples: {
      hit: [
        "docker compose down -v",
        "docker-compose down --volumes",
        "podman-compose -f x.yml down -v",
        "docker compose -p shop down --remove-orphans -v",
      ],
      miss: ["docker compose down", "docker compose up -v", "docker compose -f down.yml up"],
    },
  },
  {
    id: "compose-down-images",
    risk: "moderate",
    reason: "takes the stack down and deletes its images",
    on: ["docker compose", "docker-compose"],
    group: "compose",
    flags: ["--rmi"],
    match: (r) => ["down", "rm"].includes(compose(r)[0]),
    examples: {
      hit: ["docker compose -f prod.yml -p shop down --rmi all", "docker-compose down --rmi local"],
      miss: ["docker compose down", "docker compose pull"],
    },
  },
  {
    id: "privileged",
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
]);
