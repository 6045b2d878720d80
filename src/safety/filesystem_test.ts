/**
 * The deletion and overwrite scales end to end (rules/filesystem.ts): what is deleted or
 * overwritten decides the level, however the path is spelled and wherever a `cd` moved to.
 */

import { assertEquals } from "../../test/support/assert.ts";
import { createRater } from "./mod.ts";
import type { Risk } from "./risk.ts";

const rater = await createRater();

/** Rate each line alone and compare the levels all at once, so one failure shows them all. */
function expectLevels(cases: [string, Risk][]) {
  const got = cases.map(([line]) => [line, rater.rateRules(line).risk]);
  assertEquals(got, cases);
}

Deno.test("deletion scale: by what is deleted", () => {
  expectLevels([
    // a file in the project, anything in a temp directory
    ["rm notes.txt", "safe"],
    ["rm -f build.log", "safe"],
    ["rm *.log", "safe"],
    ["rm -rf /tmp/build", "safe"],
    ["rm -rf $TMPDIR/x", "safe"],
    // a tree in the project
    ["rm -rf ./build", "moderate"],
    ["rm -r -f node_modules", "moderate"],
    ["rm --recursive --force dist", "moderate"],
    // outside the project
    ["rm -rf ../other", "moderate"],
    ["rm -f /mnt/data/x.bin", "moderate"],
    ["rm ~/notes.txt", "moderate"],
    ["rm -rf ~/code/app/build", "moderate"],
    ["rm -rf /tmp/*", "moderate"],
    // everything in the project or above it; a home's top folder; a system path
    ["rm -rf .", "high"],
    ["rm -f *", "high"],
    ["rm -r ..", "high"],
    ["rm -rf ~/Documents", "high"],
    ["rm /etc/passwd", "high"],
    ["rm -f /etc/hosts", "high"],
    ["rm -rf /var/log/nginx", "high"],
    // a system directory, a home, the root
    ["rm -rf /etc", "critical"],
    ["rm -rf /usr/lib/", "critical"],
    ["rm -rf ~", "critical"],
    ["rm -f /", "critical"],
    ["rm -rf /*", "critical"],
  ]);
});

Deno.test("deletion scale: a home however it is spelled", () => {
  expectLevels([
    ["rm -rf ~/*", "critical"],
    ["rm -rf $HOME/*", "critical"],
    ['rm -rf "${HOME}"', "critical"],
    ["rm -rf /home/alice/*", "critical"],
    ["rm -rf /Users/bob", "critical"],
    ["rm -rf ~alice/", "critical"],
    ["sudo rm -rf /root/*", "critical"],
    ["rm -rf /home/*", "critical"],
    ["rm -rf /home/alice/.config", "high"],
    ["rm -rf /home/alice/src/app/dist", "moderate"],
    ["rm -rf ~/Documents/*", "high"],
    ["cd ~/Downloads && rm -rf *", "high"],
  ]);
});

Deno.test("deletion scale: relative paths after a cd on the same line", () => {
  expectLevels([
    ["cd / && rm -rf *", "critical"],
    ["cd /; rm -rf .", "critical"],
    ["cd ~; rm -rf .", "critical"],
    ["cd && rm -rf ./*", "critical"],
    ["cd $HOME/.. && rm -rf *", "critical"],
    ["cd / && rm -rf $PWD/*", "critical"],
    ["cd /etc && rm *.conf", "high"],
    ["cd /var; cd log; rm -rf nginx", "high"],
    ["bash -c 'cd /usr && rm -rf lib'", "critical"],
    // a cd that fails (or sits in a subshell) leaves the path in the project: the worse counts
    ["cd /tmp && rm -rf build", "moderate"],
    ["cd /tmp && rm -f x.log", "safe"],
    ["cd src && rm -rf build", "moderate"],
    ["rm -rf build; cd /", "moderate"],
  ]);
});

Deno.test("deletion scale: globs and .. are read, not matched as text", () => {
  expectLevels([
    ["rm -rf ./*", "high"],
    ["rm -rf .*", "high"],
    ["rm -rf ../*", "high"],
    ["rm -rf a/../..", "high"],
    ["rm -rf /usr/../", "critical"],
    ["rm -rf /tmp/../etc", "critical"],
    ["rm -rf ${TMPDIR}/../etc", "high"],
    ["rm -rf /etc/nginx/../../", "critical"],
    ["rm -rf /tmp/foo..bar", "safe"],
    ["rm -rf $DIR/*", "high"],
    ["rm -rf $DIR/build", "moderate"],
  ]);
});

Deno.test("find and rsync --delete on the same scale", () => {
  expectLevels([
    ["find / -delete", "critical"],
    ["find ~ -exec rm -rf {} +", "critical"],
    ["find ~ -type f -exec rm {} +", "critical"],
    ["find /var/log -type f -delete", "critical"],
    ["find . -mindepth 1 -delete", "high"],
    ["find . -type f -delete", "high"],
    ["find /var/log -name '*.gz' -delete", "high"],
    ["find . -name '*.pyc' -delete", "moderate"],
    ["find . -type d -empty -delete", "moderate"],
    ["find /tmp/x -name '*.o' -delete", "safe"],
    ["find / -name '*.log' -exec rm -f {} \\;", "high"],
    // `-exec rm` deletes what `-delete` would (issue 17).
    ["find . -name '*.tmp' -exec rm -f {} +", "moderate"],
    ["find . -name '*.tmp' -ok rm -f {} \\;", "safe"],
    ["find . -exec rm -f {} \\;", "high"],
    ["find . -name '*.pyc' -print", "safe"],
    ["rsync -a --delete empty/ ~/", "critical"],
    ["rsync -a --delete --exclude .git empty/ /home/alice/", "critical"],
    ["rsync -a --delete build/ .", "high"],
    ["rsync -a --delete src/ dst/", "moderate"],
    ["rsync -e ssh -a --delete src/ host:/srv/", "moderate"],
    ["rsync -an --delete empty/ ~/", "safe"],
    ["rsync -a empty/ ~/", "safe"],
  ]);
});

Deno.test("overwrite scale: redirections and writing tools", () => {
  expectLevels([
    ["> ~/.bashrc", "moderate"],
    [": > ~/.zshrc", "moderate"],
    ["echo x > $HOME/.profile", "moderate"],
    ["truncate -s 0 ~/.profile", "moderate"],
    ["cat x > ~/.ssh/authorized_keys", "high"],
    ["cat id.pub >> ~/.ssh/authorized_keys", "high"],
    ["echo > /etc/hosts", "high"],
    ["echo x | tee /etc/passwd", "high"],
    ["cat hosts.new | sudo tee /etc/hosts > /dev/null", "high"],
    ["echo x >> ~/.bashrc", "safe"],
    ["echo x >> /etc/hosts", "moderate"],
    ["echo x > out.txt", "safe"],
    ["echo x > /tmp/out.txt", "safe"],
    ["echo x > ~/notes.txt", "safe"],
    ["ls 2>&1 > /dev/null", "safe"],
  ]);
});

Deno.test("--help is trusted only without a target", () => {
  expectLevels([
    ["dd --help", "safe"],
    ["mkfs.ext4 --help", "safe"],
    ["git reset --help --hard", "safe"],
    ["dd --help if=/dev/zero of=/dev/sda", "critical"],
    ["mkfs.ext4 --help /dev/sda1", "critical"],
    ["rm -rf --help /", "critical"],
    ["rm -rf -- --help", "moderate"],
  ]);
});

Deno.test("option values are not paths", () => {
  expectLevels([
    ["tar -C / -xf backup.tar", "high"],
    ["tar -C build -xf /etc.tar", "safe"],
    ["tar -xzf x.tgz -C ~/restore", "safe"],
    ["cp -t /tmp ~/.bashrc", "safe"],
    ["cp -t ~ x.conf", "safe"],
    ["mv -t /backup /etc", "high"],
    ["mv -S .bak new.conf /etc/nginx/nginx.conf", "high"],
    ["rsync -e 'ssh -i ~/.ssh/id' -a --delete src/ dst/", "moderate"],
    ["truncate -s 10G /tmp/disk.img", "safe"],
    ["truncate -r /etc/passwd copy.txt", "safe"],
  ]);
});
