/** Family: partition tables and signatures (issue 17). */

import { expectLevels } from "./levels.ts";

Deno.test("replacing or wiping a partition table or signatures is critical", () => {
  expectLevels([
    ["sgdisk --zap-all /dev/sda", "critical"],
    ["sudo sgdisk -Z /dev/nvme0n1", "critical"],
    ["sgdisk --clear /dev/sdc", "critical"],
    ["doas sgdisk -d 1 /dev/sda", "critical"],
    ["wipefs --all /dev/sdb", "critical"],
    ["sudo wipefs -af /dev/nvme0n1", "critical"],
    ["parted -s /dev/sdb mklabel msdos", "critical"],
    ["sudo parted --script /dev/nvme0n1 mklabel gpt", "critical"],
    ["parted /dev/sda -- mklabel gpt", "critical"],
    ["parted /dev/sda rm 1", "critical"],
    ["sfdisk --delete /dev/sda 2", "critical"],
    ['echo -e "o\\nw" | fdisk /dev/sda', "critical"],
    ["mdadm --zero-superblock /dev/sdb1", "critical"],
  ]);
});

Deno.test("read-only listings are safe", () => {
  expectLevels([
    ["fdisk -l", "safe"],
    ["sudo fdisk -l /dev/nvme0n1", "safe"],
    ["blkid /dev/sda1", "safe"],
    ["lsblk -f", "safe"],
    ["sfdisk -d /dev/sda", "safe"],
    ["parted /dev/sda print", "safe"],
    ["sgdisk --print /dev/sda", "safe"],
    ["wipefs /dev/sda", "safe"],
    ["gdisk -l /dev/sda", "safe"],
    // Editing without wiping is high, not critical.
    ["sgdisk -n 1:0:+1G /dev/sdb", "high"],
    ["fdisk /dev/sdb", "high"],
  ]);
});
