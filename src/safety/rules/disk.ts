/**
 * Disks and filesystems: raw writes to block devices, formatting, partitioning, wiping, LVM,
 * encryption headers. Creating a filesystem in an image file is writing one file: safe in the
 * project or a temp directory, like any other write there.
 *
 * @module
 */

import type { Invocation } from "../command.ts";
import { words } from "../programs.ts";
import { isBlockDevice, stdinLiteral } from "../match.ts";
import { locateArg } from "../paths.ts";
import { rules } from "../rule.ts";
import { optionValue } from "../options.ts";
import { hasOption, type ToolRead } from "../tools.ts";

const WRITE_OPS = /^(>|>>|>\||&>|&>>)$/;

/** Tools that only read or describe a device (wipefs without -a only lists signatures). */
const DEVICE_READERS = new Set(words(`
  lsblk blkid df du ls stat file smartctl udevadm findmnt lsof echo printf umount eject hdparm
  e2label dumpe2fs xxd hexdump od head less cat strings grep sudo doas wipefs
`));

/** Partition table editors. */
const PARTITIONERS = words("fdisk gdisk sfdisk parted cfdisk cgdisk sgdisk gparted");

/** Options with which a partition tool only lists, prints or checks (`fdisk -l`, `sgdisk -p`). */
const LISTING: Readonly<Record<string, readonly string[]>> = {
  fdisk: words("-l --list -x --list-details"),
  gdisk: words("-l"),
  sfdisk: words(`
    -l --list -d --dump -J --json -s --show-size -V --verify -g --show-geometry -F --list-free
    --list-types -T
  `),
  sgdisk: words(
    "-p --print -i --info -v --verify -b --backup -O --print-mbr -L --list-types -P --pretend",
  ),
  parted: words("-l --list"),
};

/** parted commands that only show something (`parted /dev/sda print`). */
const PARTED_SHOWS = /^(print|p|unit|u|help|h|version|v|align-check|select|quit|q)$/;

/** Whether a partition tool only lists or prints (a table, free space, types). */
function onlyLists(r: ToolRead): boolean {
  if (LISTING[r.tool]?.some((f) => hasOption(r, f))) return true;
  // parted DEVICE COMMAND…: only showing commands, and their arguments.
  return r.tool === "parted" && r.words.length >= 2 && PARTED_SHOWS.test(r.words[1]) &&
    !r.words.some((w) => PARTED_WRITES.test(w));
}

/** parted commands that replace the table or delete a partition. */
const PARTED_DESTROYS = /^(mklabel|mktable|rm)$/;
/** parted commands that change the table. */
const PARTED_WRITES =
  /^(mklabel|mktable|rm|mkpart|mkpartfs|resizepart|resize|move|cp|name|set|toggle|disk_set|disk_toggle|rescue|mkfs)$/;

/**
 * sgdisk options that destroy the table or its partitions: zap, clear, delete, load a backup
 * over it, replicate it onto another disk, convert between MBR and GPT.
 */
const SGDISK_DESTROYS = words(`
  -Z --zap-all -z --zap -o --clear -d --delete -l --load-backup -R --replicate -g --mbrtogpt -m
  --gpttombr
`);

/**
 * fdisk or gdisk driven by a script on stdin that makes a new table (`o`, `g`, `G`, `s`) or
 * deletes a partition (`d`), then writes it (`w`): `printf 'o\nw\n' | fdisk /dev/sda`.
 */
function scriptedWipe(cmd: Invocation): boolean {
  const script = stdinLiteral(cmd);
  if (script === undefined) return false;
  const keys = script.split(/\s+/);
  return keys.includes("w") && keys.some((k) => /^[oOgGsd]$/.test(k));
}

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
    on: words("wipefs shred wipe scrub srm blkdiscard sg_format nvme hdparm mdadm"),
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
        case "mdadm": // A RAID member's superblock: the array no longer knows the disk.
          return hasOption(r, "--zero-superblock");
        default:
          return devices(r);
      }
    },
    examples: {
      hit: [
        "wipefs -a /dev/sdb",
        "wipefs --all --force /dev/nvme0n1p2",
        "shred -vz /dev/sda",
        "blkdiscard /dev/nvme0n1",
        "mdadm --zero-superblock /dev/sdb1",
      ],
      miss: [
        "wipefs /dev/sdb",
        "wipefs -a -n /dev/sdb",
        "shred notes.txt",
        "mdadm --detail /dev/md0",
      ],
    },
  },
  {
    id: "partition-table",
    risk: "critical",
    reason: "replaces or wipes a disk's partition table, or deletes partitions: the data on the " +
      "disk can no longer be found",
    on: ["sgdisk", "parted", "sfdisk", "fdisk", "gdisk"],
    group: "disk",
    match: (r, c) => {
      switch (r.tool) {
        case "sgdisk":
          return SGDISK_DESTROYS.some((f) => hasOption(r, f)) && !hasOption(r, "-P") &&
            !hasOption(r, "--pretend");
        case "parted":
          return r.words.some((w) => PARTED_DESTROYS.test(w));
        case "sfdisk":
          return hasOption(r, "--delete") ||
            ["-w", "--wipe", "-W", "--wipe-partitions"].some((f) => r.options.get(f) === "always");
        default:
          return scriptedWipe(c);
      }
    },
    examples: {
      hit: [
        "sgdisk --zap-all /dev/sda",
        "sudo sgdisk -Z /dev/nvme0n1",
        "sgdisk -o /dev/sdb",
        "sgdisk -d 2 /dev/sda",
        "parted /dev/sda mklabel gpt",
        "parted -s /dev/sdb -- mktable msdos",
        "parted --script /dev/sdc rm 1",
        "sfdisk --delete /dev/sda",
        "sfdisk --delete /dev/sda 2",
        "printf 'g\\nw\\n' | fdisk /dev/sdb",
        "gdisk /dev/sda <<< $'o\\ny\\nw\\ny'",
      ],
      miss: [
        "sgdisk -p /dev/sda",
        "sgdisk -n 1:0:0 /dev/sda",
        "sgdisk -P -Z /dev/sda",
        "parted /dev/sda print",
        "parted -l",
        "sfdisk -d /dev/sda",
        "fdisk -l /dev/sda",
        "printf 'p\\nq\\n' | fdisk /dev/sda",
      ],
    },
  },
  {
    id: "partition",
    risk: "high",
    reason: "opens a disk's partition table for editing; one wrong key destroys it",
    on: PARTITIONERS,
    group: "disk",
    match: (r) =>
      !onlyLists(r) &&
      (devices(r) || (r.tool === "parted" && r.words.some((w) => PARTED_WRITES.test(w)))),
    examples: {
      hit: [
        "fdisk /dev/sda",
        "parted /dev/sda mkpart primary ext4 1MiB 100%",
        "sfdisk /dev/sda < layout.txt",
        "sgdisk -n 1:0:+512M /dev/sdb",
        "parted /dev/sda",
      ],
      miss: [
        "fdisk -l",
        "sfdisk -l",
        "fdisk -l /dev/sda",
        "sgdisk --print /dev/sda",
        "gdisk -l /dev/nvme0n1",
      ],
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
      !DEVICE_READERS.has(r.tool) && !MKFS.test(r.tool) && !PARTITIONERS.includes(r.tool) &&
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
