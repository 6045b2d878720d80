/** Family: cron tables and container volumes (issue 17). */

import { expectLevels } from "./levels.ts";

Deno.test("removing a crontab is high, for any user", () => {
  expectLevels([
    ["crontab -r", "high"],
    ["sudo crontab -r", "high"],
    ["crontab -u bob -r", "high"],
    ["crontab -r -u root", "high"],
    ["sudo -u www-data crontab -r", "high"],
    // Benign look-alikes.
    ["crontab -l", "safe"],
    ["crontab -e", ["safe", "moderate"]],
    ["crontab -ri", ["safe", "moderate"]],
  ]);
});

Deno.test("pruning volumes is high; pruning images or containers stays moderate", () => {
  expectLevels([
    ["docker volume prune", "high"],
    ["docker volume prune --all --force", "high"],
    ["podman volume prune -f", "high"],
    ["nerdctl volume prune", "high"],
    ["docker system prune --volumes", "high"],
    ["sudo docker system prune --all --volumes --force", "high"],
    ["docker compose down -v", "high"],
    ["docker-compose down --volumes", "high"],
    ["docker compose -f prod.yml down -v --remove-orphans", "high"],
    ["podman-compose down -v", "high"],
    ["podman system reset --force", "high"],
    ["docker volume rm $(docker volume ls -q)", "high"],
    // Benign look-alikes.
    ["docker image prune -a", ["safe", "moderate"]],
    ["docker system prune -a", ["safe", "moderate"]],
    ["docker container prune -f", ["safe", "moderate"]],
    ["docker compose down", "safe"],
    ["docker compose down --rmi all", "moderate"],
    ["docker volume ls", "safe"],
  ]);
});
