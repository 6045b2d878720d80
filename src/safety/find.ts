/**
 * Reads a `find` command line the way find does: start paths, then an expression of tests and
 * actions, where some tests take a value (`-name -delete` looks for files named `-delete`).
 *
 * @module
 */

import { words } from "./programs.ts";

/** Tests that narrow what the actions apply to and take a value (`-name x`). */
const VALUE_TESTS = words(`
  -name -iname -path -ipath -regex -iregex -wholename -iwholename -lname -ilname -mtime -mmin
  -atime -amin -ctime -cmin -newer -anewer -cnewer -size -user -group -perm -links -inum
  -samefile -uid -gid -fstype -used -context
`);

/** Tests without a value. */
const FLAG_TESTS = words("-empty -nouser -nogroup -prune -executable -readable -writable");

/** Options that are not tests but take a value. */
const VALUE_OPTIONS = words(`
  -type -xtype -maxdepth -mindepth -printf -fprint -fprint0 -fls -regextype -D -O -files0-from
`);

/** Tests: any of them narrows the matches. */
const TESTS = new Set([...VALUE_TESTS, ...FLAG_TESTS]);

/** Primaries followed by one value. */
const WITH_VALUE = new Set([...VALUE_TESTS, ...VALUE_OPTIONS]);

/** What a find command does. */
export interface FindView {
  /** Start paths (`.` when none is given). */
  starts: string[];
  /**
   * True when a test narrows the matches: `-name`, `-mtime`, …, `-type l`; not `-type f` or
   * `-type d`, which leave every file or every directory (`find /var/log -type f -delete`).
   */
  filtered: boolean;
  /** The values of `-type` and `-xtype` (`["f"]`). */
  types: string[];
  /** True when the `-delete` action is present. */
  deletes: boolean;
  /** Commands run by `-exec`, `-execdir`, `-ok`, `-okdir`. */
  execs: { action: string; argv: string[] }[];
}

/** Parse find's arguments (after the program name). */
export function parseFind(args: readonly string[]): FindView {
  let i = 0;
  // Leading options: -H -L -P, -D debugopts, -Olevel.
  while (i < args.length && /^-[HLP]$|^-D$|^-O\d*$/.test(args[i])) i += args[i] === "-D" ? 2 : 1;
  const starts: string[] = [];
  while (i < args.length && !/^[-!(),]/.test(args[i])) starts.push(args[i++]);
  const view: FindView = {
    starts: starts.length ? starts : ["."],
    filtered: false,
    types: [],
    deletes: false,
    execs: [],
  };
  for (; i < args.length; i++) {
    const a = args[i];
    if (TESTS.has(a) || /^-newer\w\w$/.test(a)) view.filtered = true;
    if ((a === "-type" || a === "-xtype") && i + 1 < args.length) {
      view.types.push(args[i + 1]);
      if (!/^[fd](,[fd])*$/.test(args[i + 1])) view.filtered = true;
    }
    if (a === "-delete") view.deletes = true;
    if (/^-(exec|execdir|ok|okdir)$/.test(a)) {
      let end = i + 1;
      while (end < args.length && args[end] !== ";" && args[end] !== "+" && args[end] !== "\\;") {
        end++;
      }
      view.execs.push({ action: a, argv: args.slice(i + 1, end) });
      i = end;
      continue;
    }
    if (WITH_VALUE.has(a) || /^-newer\w\w$/.test(a)) i++;
  }
  return view;
}
