/** Family: `find … -exec rm` rated like `-delete` on the same root (issue 17). */

import { expectLevels } from "./levels.ts";

Deno.test("find -exec rm deletes what -delete would", () => {
  expectLevels([
    ["find . -name '*.pyc' -exec rm {} +", "moderate"],
    ["find . -name '*.pyc' -exec rm -f {} \\;", "moderate"],
    ["find . -type f -name '*.log' -exec /bin/rm {} +", "moderate"],
    ["gfind . -name '*.o' -exec grm {} +", "moderate"],
    ["find . -name '*.tmp' -execdir rm {} \\;", "moderate"],
    ["find . -name '*.bak' -exec sudo rm {} +", "moderate"],
    ["find ./build -name '*.o' -exec unlink {} \\;", "moderate"],
    ["find / -name '*.log' -exec rm {} +", "high"],
    ["find . -type f -exec rm {} +", "high"],
    ["find ~ -type f -exec rm {} +", "critical"],
    ["find /etc -type f -exec rm -f {} \\;", "critical"],
    // The same through xargs.
    ["find . -name '*.pyc' | xargs rm", "moderate"],
    ["find . -name '*.pyc' -print0 | gxargs -0 rm -f", "moderate"],
    ["find / | xargs rm -rf", "critical"],
  ]);
});

Deno.test("find running other commands, or asking first, deletes nothing", () => {
  expectLevels([
    ["find . -name '*.pyc'", "safe"],
    ["find . -name '*.pyc' -exec ls -l {} +", "safe"],
    ["find . -name '*.py' -exec grep -l TODO {} +", "safe"],
    ["find . -name '*.pyc' -ok rm {} \\;", "safe"],
    ["find . -name '*.bak' -exec rm -i {} \\;", "safe"],
    ["find . -name '*.txt' | xargs wc -l", "safe"],
  ]);
});
