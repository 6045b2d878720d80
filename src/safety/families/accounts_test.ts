/** Family: accounts (issue 17) — passwords removed or expired, accounts locked or deleted. */

import { expectLevels } from "./levels.ts";

Deno.test("removing or expiring passwords, locking and deleting users with homes are high", () => {
  expectLevels([
    ["sudo passwd -d root", "high"],
    ["passwd --delete bob", "high"],
    ["sudo passwd --lock alice", "high"],
    ["passwd -e alice", "high"],
    ["sudo usermod --lock alice", "high"],
    ["usermod --expiredate 1970-01-02 bob", "high"],
    ["doas usermod -p '' alice", "high"],
    ["sudo chage -E 0 alice", "high"],
    ["sudo userdel --remove bob", "high"],
    ["userdel -rf carol", "high"],
    ["sudo deluser --remove-all-files bob", "high"],
    ["sysadminctl -deleteUser alice", "high"],
  ]);
});

Deno.test("looking at accounts, or changing them mildly, is not high", () => {
  expectLevels([
    ["passwd", "safe"],
    ["chage -l alice", "safe"],
    ["id alice", "safe"],
    ["getent passwd alice", "safe"],
    ["passwd -S root", ["safe", "moderate"]],
    ["userdel alice", "moderate"],
    ["usermod -c 'Alice A' alice", ["safe", "moderate"]],
    ["chage -E -1 alice", ["safe", "moderate"]],
    ["usermod -e 2999-12-31 contractor", ["safe", "moderate"]],
  ]);
});
