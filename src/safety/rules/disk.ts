/**
 * Disks and filesystems: raw writes to block devices, formatting, partitioning, wiping, LVM,
 * encryption headers. Creating a filesystem in an image file is writing one file: safe in the
 * project or a temp directory, like any other write there.
 *
 * @module
 */

import { words } from "../programs.ts";
import { isBlockDevice } from "../match.ts";
import { locateArg } from "../paths.ts";
import { rules } from "../rule.ts";
import { optionValue } from "../options.ts";
import { hasOption, type ToolRead } from "../tools.ts";

const WRITE_OPS = /^(>|>>|>\||&>|&>>)$/;

/** Tools that only read or describe a device. */
const DEVICE_READERS = new Set(words(`
  lsblk blkid df du ls stat file smartctl udevadm findmnt lsof echo printf umount eject hdparm
  e2label dumpe2fs xxd hexdump od head less cat strings grep sudo doas
`));

/** Programs that create a filesystem. */
const MKFS = /^(mkfs(\.\w+)?|mke2fs|mkdosfs|mkntfs|mkswap|newfs(_\w+)?|mkexfatfs|mkfs_\w+)$/;

/** `mke2fs -n` (ext2/3/4) only shows what it would do; for other mkfs `-n` means a name. */
function extDryRun(r: ToolRead): boolean {
  const ext = /^(mke2fs|mkfs\.ext[234])$/.test(r.tool) ||
    (r.tool === "mkfs" && r.args.some((a, i) => r.args[i - 1] === "-t" && /^ext[234]$/.test(a)));
  return ext && hasOption(r, "-n");
}

const devices = (r: ToolRead) => r.args.some(isBlockDevice);

export const diskRules = rules("disk", [
  {
    id: "dd-to-device",
    risk: "critical",
    reason: "writes raw data over a disk device, destroying what is on it",
    on: ["dd", "dcfldd", "dc3dd"],
    group: "disk",
    match: (r) => r.args.some((a) => a.startsWith("of=") && isBlockDevice(a.slice(3))),
    examples: {
      hit: [
        "dd if=/dev/zero of=/dev/sda",
        "sudo dd if=img.iso of=/dev/disk2 bs=4m",
        "dd --help if=/dev/zero of=/dev/sda",
      ],
      miss: ["dd if=/dev/sda of=backup.img", "dd if=file.txt of=output.txt", "dd --help"],
    },
  },
  {
    id: "write-device",
    risk: "critical",
    reason: "writes over a disk device, destroying what is on it",
    on: "*",
    group: "disk",
    evenDryRun: true,
    match: (r, c) =>
      c.redirects.some((d) => WRITE_OPS.test(d.op) && isBlockDevice(d.target)) ||
      (r.tool === "tee" && r.words.some(isBlockDevice)) ||
      (r.tool === "cp" && isBlockDevice(r.words[r.words.length - 1] ?? "")),
    examples: {
      hit: [
        "echo garbage > /dev/sda",
        "cat image.iso | sudo tee /dev/sdb",
        "cp disk.img /dev/nvme0n1",
        "cat x --help > /dev/sda",
      ],
      miss: ["echo hi > /dev/null", "cat /dev/sda | gzip > disk.gz", "cp /dev/sda1 x.img"],
    },
  },
  {
    id: "format",
    risk: "critical",
    reason: "formats a disk or partition, erasing everything on it",
    on:
      /^(mkfs(\.\w+)?|mke2fs|mkdosfs|mkntfs|mkswap|newfs(_\w+)?|mkexfatfs|mkfs_\w+|diskutil|format)$/,
    group: "disk",
    match: (r) =>
      (MKFS.test(r.tool) && !extDryRun(r) &&
        (devices(r) || r.words.some((a) => a.startsWith("$")))) ||
      (r.tool === "diskutil" &&
        /^(erase\w*|zerodisk|randomdisk|securerase|secureerase|partitiondisk|reformat)$/i.test(
          r.words[0] ?? "",
        )) ||
      (r.tool === "format" && /^[a-z]:$/i.test(r.words[0] ?? "")),
    examples: {
      hit: [
        "mkfs.ext4 /dev/sdb1",
        "mkfs -t ext4 /dev/sda",
        "diskutil eraseDisk JHFS+ X disk2",
        "mkfs.vfat -n USB /dev/sdb1",
        "mkfs.ext4 --help /dev/sda1",
        "mkfs.xfs -f $DEVICE",
      ],
      miss: ["mkfs.ext4 disk.img", "diskutil list", "mkfs.ext4 -n /dev/sda1", "mkfs --help"],
    },
  },
  {
    id: "format-file",
    risk: "moderate",
    reason: "creates a filesystem on a device or file outside the project, erasing what it held",
    on: MKFS,
    group: "disk",
    match: (r, c, l) =>
      !extDryRun(r) &&
      r.words.some((w) =>
        locateArg(w, c, l).some((t) => !/^(project|project-all|scratch)$/.test(t.place))
      ),
    examples: {
      hit: ["mkfs.ext4 /dev/sdXY", "mkswap -L swap /dev/mapper/x", "mkfs.ext4 ~/disk.img"],
      miss: ["mkfs.ext4 disk.img", "mkfs /tmp/test.img", "mkfs --help", "mkswap path/to/file"],
    },
  },
  {
    id: "wipe",
    risk: "critical",
    reason: "erases a disk or its signatures so its data can no longer be found",
    on: ["wipefs", "shred", "wipe", "scrub", "srm", "blkdiscard", "sg_format", "nvme", "hdparm"],
    group: "disk",
    match: (r) => {
      switch (r.tool) {
        case "wipefs": // -n (--no-act) only reports what it would erase.
          return !hasOption(r, "-n") && !hasOption(r, "--no-act") &&
            (hasOption(r, "-a") || hasOption(r, "--all") || hasOption(r, "-o") ||
              hasOption(r, "--offset"));
        case "nvme":
          return /^(format|sanitize)$/.test(r.words[0] ?? "");
        case "hdparm":
          return r.args.some((a) => /^--(security-erase|trim-sector)/.test(a));
        default:
          return devices(r);
      }
    },
    examples: {
      hit: ["wipefs -a /dev/sdb", "shred -vz /dev/sda", "blkdiscard /dev/nvme0n1"],
      miss: ["wipefs /dev/sdb", "wipefs -a -n /dev/sdb", "shred notes.txt"],
    },
  },
  {
    id: "partition",
    risk: "high",
    reason: "opens a disk's partition table for editing; one wrong key destroys it",
    on: ["fdisk", "gdisk", "sfdisk", "parted", "cfdisk", "cgdisk", "sgdisk", "gparted"],
    group: "disk",
    match: (r) =>
      devices(r) ||
      (r.tool === "parted" && r.words.some((a) => /^(mklabel|rm|mkpart|resizepart)$/.test(a))),
    examples: {
      hit: ["fdisk /dev/sda", "parted /dev/sda mklabel gpt", "sfdisk /dev/sda < layout.txt"],
      miss: ["fdisk -l", "sfdisk -l"],
    },
  },
  {
    id: "lvm-remove",
    risk: "high",
    reason: "removes or shrinks a volume, volume group or physical volume and the data on it",
    on: [
      "lvremove",
      "vgremove",
      "pvremove",
      "lvreduce",
      "vgreduce",
      "lvresize",
      "zpool destroy",
      "zpool labelclear",
      "zfs destroy",
      "zfs rollback",
    ],
    group: "disk",
    match: (r) => {
      if (r.tool === "zpool" || r.tool === "zfs") return true;
      // `lvresize -L +10G` only grows the volume.
      const size = optionValue(r, ["-L", "--size", "-l", "--extents"]);
      return r.words.length > 0 && !(r.tool === "lvresize" && /^\+/.test(String(size)));
    },
    examples: {
      hit: ["lvremove /dev/vg0/lv1", "vgremove vg0", "zpool destroy tank", "lvresize -L 5G vg/lv"],
      miss: [
        "lvremove --help",
        "zpool status",
        "lvresize -L +10G vg/lv",
        "lvresize -l +100%FREE vg/lv",
      ],
    },
  },
  {
    id: "encryption",
    risk: "high",
    reason: "changes a disk's encryption header or keys; a mistake makes the data unreadable",
    on: [
      "cryptsetup luksFormat",
      "cryptsetup erase",
      "cryptsetup luksErase",
      "cryptsetup luksKillSlot",
      "cryptsetup luksRemoveKey",
      "cryptsetup luksHeaderRestore",
      "cryptsetup reencrypt",
      "cryptsetup convert",
      "cryptsetup format",
      "cryptsetup luksAddKey",
      "cryptsetup luksChangeKey",
      "cryptsetup resize",
      "cryptsetup luksSuspend",
    ],
    group: "disk",
    examples: {
      hit: ["cryptsetup luksFormat /dev/sdb1", "cryptsetup --type luks2 luksFormat /dev/sdb1"],
      miss: ["cryptsetup status root", "cryptsetup luksDump /dev/sdb1"],
    },
  },
  {
    id: "raw-device",
    risk: "moderate",
    reason: "operates directly on a disk device",
    on: "*",
    group: "disk",
    match: (r) =>
      !DEVICE_READERS.has(r.tool) && !MKFS.test(r.tool) &&
      r.args.some((a) => isBlockDevice(a.replace(/^\w+=/, ""))),
    examples: {
      hit: ["mount /dev/sdb1 /mnt", "blockdev --setro /dev/sda", "dump -0u /dev/sda1"],
      miss: ["lsblk /dev/sda", "blockdev --report /tmp/test.img", "echo /dev/sda"],
    },
  },
  {
    id: "remount",
    risk: "moderate",
    reason: "remounts or unmounts a filesystem",
    on: ["mount", "umount"],
    group: "disk",
    match: (r) =>
      r.tool === "mount"
        ? r.args.some((a) => /(^|,)remount(,|$)/.test(a))
        : r.args.some((a) => a === "/" || /^-[a-zA-Z]*[fl]/.test(a)),
    examples: {
      hit: ["mount -o remount,rw /", "umount -f /mnt/data"],
      miss: ["mount", "umount ./mnt"],
    },
  },
]);
