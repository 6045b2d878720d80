/**
 * Disks and filesystems: raw writes to block devices, formatting, partitioning, wiping, LVM,
 * encryption headers.
 *
 * @module
 */

import { argView, type Invocation } from "../command.ts";
import { isBlockDevice } from "../match.ts";
import type { Rule } from "../rule.ts";

const WRITE_OPS = /^(>|>>|>\||&>|&>>)$/;

/** Tools that only read or describe a device. */
const DEVICE_READERS = new Set([
  "lsblk",
  "blkid",
  "df",
  "du",
  "ls",
  "stat",
  "file",
  "smartctl",
  "udevadm",
  "findmnt",
  "lsof",
  "echo",
  "printf",
  "umount",
  "eject",
  "hdparm",
  "e2label",
  "dumpe2fs",
  "xxd",
  "hexdump",
  "od",
  "head",
  "less",
  "cat",
  "strings",
  "grep",
  "sudo",
  "doas",
]);

/** `mke2fs -n` (ext2/3/4) only shows what it would do; for other mkfs `-n` means a name. */
function extDryRun(c: Invocation): boolean {
  const ext = /^(mke2fs|mkfs\.ext[234])$/.test(c.key) ||
    (c.key === "mkfs" && c.args.some((a, i) => c.args[i - 1] === "-t" && /^ext[234]$/.test(a)));
  return ext && c.args.some((a) => /^-[a-zA-Z]*n[a-zA-Z]*$/.test(a));
}

const PARTITIONERS = [
  "fdisk",
  "gdisk",
  "sfdisk",
  "parted",
  "cfdisk",
  "cgdisk",
  "sgdisk",
  "gparted",
];

export const diskRules: Rule[] = [
  {
    id: "disk.dd-to-device",
    category: "disk",
    risk: "critical",
    reason: "writes raw data over a disk device, destroying what is on it",
    commands: ["dd", "dcfldd", "dc3dd"],
    group: "disk",
    match: (c) => c.args.some((a) => a.startsWith("of=") && isBlockDevice(a.slice(3))),
    examples: {
      hit: ["dd if=/dev/zero of=/dev/sda", "sudo dd if=img.iso of=/dev/disk2 bs=4m"],
      miss: ["dd if=/dev/sda of=backup.img", "dd if=file.txt of=output.txt"],
    },
  },
  {
    id: "disk.write-device",
    category: "disk",
    risk: "critical",
    reason: "writes over a disk device, destroying what is on it",
    group: "disk",
    evenDryRun: true,
    match: (c) =>
      c.redirects.some((r) => WRITE_OPS.test(r.op) && isBlockDevice(r.target)) ||
      (["tee", "cp"].includes(c.key) &&
        argView(c.args).positionals.slice(c.key === "cp" ? -1 : 0).some(isBlockDevice)),
    examples: {
      hit: [
        "echo garbage > /dev/sda",
        "cat image.iso | sudo tee /dev/sdb",
        "cp disk.img /dev/nvme0n1",
      ],
      miss: ["echo hi > /dev/null", "cat /dev/sda | gzip > disk.gz", "cp /dev/sda1 x.img"],
    },
  },
  {
    id: "disk.format",
    category: "disk",
    risk: "critical",
    names:
      /^(mkfs(\.\w+)?|mke2fs|mkdosfs|mkntfs|mkswap|newfs(_\w+)?|mkexfatfs|mkfs_\w+|diskutil|format)$/,
    reason: "formats a disk or partition, erasing everything on it",
    group: "disk",
    match: (c) =>
      (/^(mkfs(\.\w+)?|mke2fs|mkdosfs|mkntfs|mkswap|newfs(_\w+)?|mkexfatfs|mkfs_\w+)$/.test(
        c.key,
      ) && !extDryRun(c) &&
        (c.args.some(isBlockDevice) || c.args.some((a) => a.startsWith("$")))) ||
      (c.key === "diskutil" &&
        /^(erase\w*|zerodisk|randomdisk|securerase|secureerase|partitiondisk|reformat)$/i.test(
          c.args[0] ?? "",
        )) ||
      (c.key === "format" && /^[a-z]:$/i.test(c.args[0] ?? "")),
    examples: {
      hit: [
        "mkfs.ext4 /dev/sdb1",
        "mkfs -t ext4 /dev/sda",
        "diskutil eraseDisk JHFS+ X disk2",
        "mkfs.vfat -n USB /dev/sdb1",
      ],
      miss: ["mkfs.ext4 disk.img", "diskutil list", "mkfs.ext4 -n /dev/sda1"],
    },
  },
  {
    id: "disk.format-file",
    category: "disk",
    risk: "moderate",
    names: /^(mkfs(\.\w+)?|mke2fs|mkdosfs|mkntfs|mkswap|newfs(_\w+)?)$/,
    reason: "creates a filesystem, erasing what the target held",
    group: "disk",
    match: (c) =>
      !extDryRun(c) &&
      /^(mkfs(\.\w+)?|mke2fs|mkdosfs|mkntfs|mkswap|newfs(_\w+)?)$/.test(c.key) &&
      argView(c.args).positionals.length > 0,
    examples: { hit: ["mkfs.ext4 disk.img"], miss: ["mkfs --help"] },
  },
  {
    id: "disk.wipe",
    category: "disk",
    risk: "critical",
    commands: [
      "wipefs",
      "shred",
      "wipe",
      "scrub",
      "srm",
      "blkdiscard",
      "sg_format",
      "nvme",
      "hdparm",
    ],
    reason: "erases a disk or its signatures so its data can no longer be found",
    group: "disk",
    match: (c) =>
      // wipefs -n (--no-act) only reports what it would erase.
      (c.key === "wipefs" && !c.args.some((a) => /^-[a-z]*n[a-z]*$/.test(a)) &&
        c.args.some((a) => /^(-a|--all|-[a-z]*a[a-z]*|-o|--offset)/.test(a))) ||
      (["shred", "wipe", "scrub", "srm", "blkdiscard", "sg_format"].includes(c.key) &&
        c.args.some(isBlockDevice)) ||
      (c.key === "nvme" && /^(format|sanitize)$/.test(c.args[0] ?? "")) ||
      (c.key === "hdparm" && c.args.some((a) => /^--security-erase|^--trim-sector/.test(a))),
    examples: {
      hit: ["wipefs -a /dev/sdb", "shred -vz /dev/sda", "blkdiscard /dev/nvme0n1"],
      miss: ["wipefs /dev/sdb", "wipefs -a -n /dev/sdb", "shred notes.txt"],
    },
  },
  {
    id: "disk.partition",
    category: "disk",
    risk: "high",
    reason: "opens a disk's partition table for editing; one wrong key destroys it",
    commands: PARTITIONERS,
    group: "disk",
    match: (c) =>
      c.args.some(isBlockDevice) ||
      (c.key === "parted" && c.args.some((a) => /^(mklabel|rm|mkpart|resizepart)$/.test(a))),
    examples: {
      hit: ["fdisk /dev/sda", "parted /dev/sda mklabel gpt", "sfdisk /dev/sda < layout.txt"],
      miss: ["fdisk -l", "sfdisk -l"],
    },
  },
  {
    id: "disk.lvm-remove",
    category: "disk",
    risk: "high",
    reason: "removes an LVM volume, group or physical volume and the data on it",
    commands: [
      "lvremove",
      "vgremove",
      "pvremove",
      "lvreduce",
      "vgreduce",
      "lvresize",
      "zpool",
      "zfs",
    ],
    group: "disk",
    match: (c) =>
      ["zpool", "zfs"].includes(c.key)
        ? /^(destroy|labelclear)$/.test(c.args[0] ?? "") ||
          (c.key === "zfs" && c.args[0] === "rollback")
        : argView(c.args, ["-L", "--size", "-l", "--extents"]).positionals.length > 0,
    examples: {
      hit: ["lvremove /dev/vg0/lv1", "vgremove vg0", "zpool destroy tank"],
      miss: ["lvremove --help", "zpool status"],
    },
  },
  {
    id: "disk.encryption",
    category: "disk",
    risk: "high",
    reason: "changes a disk's encryption header; a mistake makes the data unreadable",
    commands: ["cryptsetup"],
    group: "disk",
    match: (c) =>
      c.args.some((a) =>
        /^(luksFormat|luksAddKey|luksRemoveKey|luksKillSlot|luksChangeKey|erase|luksErase|reencrypt|convert|luksHeaderRestore|format|tcryptDump|resize|luksSuspend)$/
          .test(a)
      ),
    examples: { hit: ["cryptsetup luksFormat /dev/sdb1"], miss: ["cryptsetup status root"] },
  },
  {
    id: "disk.raw-device",
    category: "disk",
    risk: "moderate",
    reason: "operates directly on a disk device",
    group: "disk",
    match: (c) =>
      !DEVICE_READERS.has(c.key) && !c.key.startsWith("mkfs") &&
      c.args.some((a) => isBlockDevice(a.replace(/^\w+=/, ""))),
    examples: {
      hit: ["mount /dev/sdb1 /mnt", "blockdev --setro /dev/sda", "dump -0u /dev/sda1"],
      miss: ["lsblk /dev/sda", "blockdev --report /tmp/test.img", "echo /dev/sda"],
    },
  },
  {
    id: "disk.remount",
    category: "disk",
    risk: "moderate",
    reason: "remounts or unmounts a filesystem",
    commands: ["mount", "umount"],
    group: "disk",
    match: (c) =>
      (c.key === "mount" && c.args.some((a) => /(^|,)remount(,|$)/.test(a))) ||
      (c.key === "umount" && c.args.some((a) => a === "/" || /^-[a-zA-Z]*[fl]/.test(a))),
    examples: {
      hit: ["mount -o remount,rw /", "umount -f /mnt/data"],
      miss: ["mount", "umount ./mnt"],
    },
  },
];
