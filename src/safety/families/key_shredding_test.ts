/** Family: secure deletion of keys (issue 17). */

import { expectLevels } from "./levels.ts";

Deno.test("shredding private keys is high, however the home is spelled", () => {
  expectLevels([
    ["shred ~/.ssh/id_rsa", "high"],
    ["shred -u ~/.ssh/*", "high"],
    ["shred -zu ~/.ssh/id_ed25519", "high"],
    ["shred -n 5 -u $HOME/.ssh/id_ecdsa", "high"],
    ['shred -u "${HOME}/.ssh/id_rsa"', "high"],
    ["srm -r ~/.ssh", "high"],
    ["gshred -u /home/alice/.ssh/id_rsa", "high"],
    ["shred -u ~/.gnupg/private-keys-v1.d/*", "high"],
    ["wipe ~/.ssh/id_rsa", "high"],
    ["find ~/.ssh -type f -exec shred -u {} \\;", "high"],
  ]);
});

Deno.test("shredding other files, or public keys, stays moderate", () => {
  expectLevels([
    ["shred -u secret.txt", "moderate"],
    ["shred -u ~/.ssh/id_rsa.pub", "moderate"],
    ["shred ~/.ssh/known_hosts", "moderate"],
    ["ls ~/.ssh", "safe"],
    ["shred --help", "safe"],
  ]);
});
