/**
 * From utility probabilities to the few examples worth showing: only pages for the user's OS
 * (an `osx/` page replaces the `common/` page of the same name on macOS, as tldr clients do),
 * installed programs first (a missing one gives way to an installed alternative, or is dropped),
 * then per likely utility the example that best matches the request's words, within a budget of
 * characters. Nothing at all when the best utility is not likely enough.
 *
 * @module
 */

import type { Model, Scored } from "./model.ts";
import { terms } from "./text.ts";
import { SHELL_BUILTINS } from "../syntax/builtins.ts";

/** One example chosen for a request. */
export interface Grounding {
  /** The tldr page, e.g. `common/find`. */
  page: string;
  /** The example's command, placeholders rendered (`find path/to/directory -name '*.ext'`). */
  command: string;
  /** What it does, as the page says it. */
  description: string;
  /** The utilities the command runs (`find`, `xargs`), for measuring. */
  utilities: string[];
}

/** What {@link chooseExamples} needs to know about the user's machine. */
export interface GroundOptions {
  /** `linux`, `osx` (macOS), or another platform (then only `common/` pages). */
  os: "linux" | "osx" | string;
  /**
   * Whether a program is installed; without it every program counts as installed. Asked about a
   * dozen names per request (shell builtins never), so a cached PATH lookup suits it.
   */
  installed?: (program: string) => boolean;
}

/** The knobs of the choice, tuned on NL2Bash dev (see test/eval/grounding.ts). */
export interface Tuning {
  /** Add nothing unless the likeliest utility has at least this probability. */
  abstainBelow: number;
  /** Show a utility only from this probability on. */
  minProbability: number;
  /** At most this many utilities. */
  maxUtilities: number;
  /** The rendered block's length at most (characters, header included). */
  maxChars: number;
  /** Weight of the other likely utilities an example also runs (`… | xargs rm`). */
  coverWeight: number;
  /** Cost of an example's utility that is not among the likely ones. */
  strangerCost: number;
  /** Cost per character of an example's line. */
  lengthCost: number;
  /** Cost per place down the page (tldr puts the commonest uses first). */
  positionCost: number;
}

/** The tuning cmdai ships. */
export const TUNING: Tuning = {
  abstainBelow: 0.2,
  minProbability: 0.03,
  maxUtilities: 7,
  maxChars: 450,
  coverWeight: 3,
  strangerCost: 3,
  lengthCost: 0.08,
  positionCost: 0,
};

/** The header of the rendered block. */
export const HEADER = "Examples from tldr pages:";

/** One example as a line of the rendered block. */
export function exampleLine(g: Pick<Grounding, "description" | "command">): string {
  return `- ${g.description}: ${g.command}`;
}

/** Shell builtins and keywords (bash's): always there, whatever `installed` says of PATH. */
const BUILTINS = SHELL_BUILTINS.bash;

/**
 * Programs that do one job in different ways, on one system or across systems: when one is not
 * installed, or has no page for the user's OS, an installed one of the same row with a page takes
 * its place (`rg` for `grep`, `pbcopy` for `xclip` on macOS). The GNU tools Homebrew installs
 * on macOS under a `g` (`gsed`) are rows' members too: the model is told they are there.
 */
const ALTERNATIVES: readonly (readonly string[])[] = [
  ["grep", "rg", "ag", "ack", "ggrep"],
  ["find", "fd", "gfind"],
  ["ls", "eza", "exa", "lsd", "gls"],
  ["cat", "bat"],
  ["top", "htop", "btop"],
  ["du", "ncdu", "dust"],
  ["df", "duf"],
  ["sed", "gsed", "sd"],
  ["awk", "gawk", "mawk"],
  ["xargs", "gxargs"],
  ["date", "gdate"],
  ["stat", "gstat"],
  ["tar", "gtar"],
  ["curl", "wget"],
  ["vim", "vi", "nvim", "nano"],
  ["python3", "python"],
  ["pip3", "pip"],
  ["ip", "ifconfig"],
  ["ss", "netstat"],
  ["dig", "nslookup", "host"],
  ["md5sum", "md5"],
  ["sha256sum", "shasum"],
  ["xxd", "hexdump", "od"],
  ["docker", "podman"],
  ["xclip", "xsel", "wl-copy", "pbcopy"],
  ["xdg-open", "open"],
  ["apt", "apt-get", "dnf", "yum", "pacman", "zypper", "brew", "port"],
  ["systemctl", "service", "launchctl"],
  ["lsblk", "fdisk", "diskutil"],
  ["hostnamectl", "hostname", "scutil"],
  ["free", "vmstat", "vm_stat"],
  ["lscpu", "sysctl"],
  ["lsb_release", "sw_vers"],
];

const ALTERNATIVE_OF = new Map<string, readonly string[]>();
for (const row of ALTERNATIVES) for (const p of row) ALTERNATIVE_OF.set(p, row);

/** The platform folders whose pages fit `os`, the OS's own first. */
function folders(os: string): string[] {
  return os === "linux" || os === "osx" ? [os, "common"] : ["common"];
}

/**
 * The pages of utility `u` fit for `os`: the OS's own and `common/` ones, where an OS page
 * replaces the `common/` page of the same name.
 */
export function pagesFor(model: Model, u: number, os: string): number[] {
  const [own, ...rest] = folders(os);
  const pages = model.pagesOf.get(u) ?? [];
  const name = (i: number) => model.index.pages[i].page.split("/")[1];
  const ownNames = new Set(
    pages.filter((i) => model.index.pages[i].page.startsWith(own + "/")).map(name),
  );
  return pages.filter((i) => {
    const folder = model.index.pages[i].page.split("/")[0];
    if (folder === own) return true;
    return rest.includes(folder) && !ownNames.has(name(i));
  });
}

/**
 * The scored utilities as they apply on this machine: a utility that is not installed or has no
 * page for the OS gives way to an alternative that is and has, or is dropped.
 */
export function onThisMachine(model: Model, scored: Scored[], opts: GroundOptions): Scored[] {
  const fits = (name: string, id: number | undefined): id is number =>
    id !== undefined && pagesFor(model, id, opts.os).length > 0 &&
    (!opts.installed || BUILTINS.has(name) || opts.installed(name));
  const best = new Map<number, number>();
  for (const { utility, probability } of scored) {
    const name = model.index.utilities[utility];
    let u: number | undefined = fits(name, utility) ? utility : undefined;
    for (const alt of u === undefined ? ALTERNATIVE_OF.get(name) ?? [] : []) {
      const id = model.ids.get(alt);
      if (fits(alt, id)) {
        u = id;
        break;
      }
    }
    if (u !== undefined && (best.get(u) ?? -1) < probability) best.set(u, probability);
  }
  return [...best].map(([utility, probability]) => ({ utility, probability }))
    .sort((a, b) => b.probability - a.probability);
}

/** The distinct terms of an example's description, worked out once per process. */
function exampleTerms(model: Model, page: number, example: number): string[] {
  let list = model.exampleTerms.get(page);
  if (!list) model.exampleTerms.set(page, list = []);
  list[example] ??= [...new Set(terms(model.index.pages[page].examples[example][0]))];
  return list[example];
}

/** Weighs the request's terms by how rare they are among the example descriptions. */
function termWeights(model: Model, request: string): Map<string, number> {
  const out = new Map<string, number>();
  const n = model.index.examples;
  for (const t of terms(request)) {
    const df = Object.hasOwn(model.index.df, t) ? model.index.df[t] : 0;
    out.set(t, Math.log((n + 1) / (df + 1)));
  }
  return out;
}

/**
 * The examples to show for a request, given its scored utilities (from `scoreUtilities`):
 * [] when the likeliest utility is below `tuning.abstainBelow`.
 */
export function chooseExamples(
  model: Model,
  request: string,
  scored: Scored[],
  opts: GroundOptions,
  tuning: Tuning = TUNING,
): Grounding[] {
  const likely = onThisMachine(model, scored, opts);
  if (likely.length === 0 || likely[0].probability < tuning.abstainBelow) return [];
  const p = new Map(likely.map((s) => [s.utility, s.probability]));
  const weights = termWeights(model, request);
  const chosen: Grounding[] = [];
  const covered = new Set<number>();
  let used = HEADER.length + 1;
  for (const { utility, probability } of likely.slice(0, tuning.maxUtilities)) {
    if (probability < tuning.minProbability) break;
    if (covered.has(utility)) continue;
    let best: { value: number; page: number; example: number; length: number } | undefined;
    for (const pi of pagesFor(model, utility, opts.os)) {
      model.index.pages[pi].examples.forEach(([description, command, utilities], ei) => {
        const length = exampleLine({ description, command }).length + 1;
        if (used + length > tuning.maxChars) return;
        let value = -tuning.lengthCost * length - tuning.positionCost * ei;
        for (const t of exampleTerms(model, pi, ei)) value += weights.get(t) ?? 0;
        for (const v of new Set(utilities)) {
          if (v === utility || covered.has(v)) continue;
          const pv = p.get(v) ?? 0;
          value += pv >= tuning.minProbability ? tuning.coverWeight * pv : -tuning.strangerCost;
        }
        if (!best || value > best.value) best = { value, page: pi, example: ei, length };
      });
    }
    if (!best) continue;
    const page = model.index.pages[best.page];
    const [description, command, utilities] = page.examples[best.example];
    chosen.push({
      page: page.page,
      command,
      description,
      utilities: [...new Set(utilities)].map((v) => model.index.utilities[v]),
    });
    for (const v of utilities) covered.add(v);
    used += best.length;
  }
  return chosen;
}

/** The installed members of a row of alternatives, and the row's usual program. */
export interface Alternatives {
  /** The program the row is named after (`grep`), installed or not. */
  usual: string;
  /** The row's installed programs, in the row's order. */
  installed: string[];
}

/**
 * The installed programs among the usual alternatives for the utilities a request likely needs
 * (`grep` and `rg`, `sed` and `gsed` on macOS), for the model to pick from. A row appears only
 * when it says something: an alternative is installed, or the usual program is not. Nothing when
 * the likeliest utility is below `tuning.abstainBelow`, as for the examples.
 */
export function installedAlternatives(
  model: Model,
  scored: Scored[],
  installed: (program: string) => boolean,
  tuning: Tuning = TUNING,
): Alternatives[] {
  if (scored.length === 0 || scored[0].probability < tuning.abstainBelow) return [];
  const rows = new Set<readonly string[]>();
  for (const { utility, probability } of scored.slice(0, tuning.maxUtilities)) {
    if (probability < tuning.minProbability) break;
    const row = ALTERNATIVE_OF.get(model.index.utilities[utility]);
    if (row) rows.add(row);
  }
  const out: Alternatives[] = [];
  for (const row of rows) {
    const here = row.filter(installed);
    if (here.length > 0 && (here.length > 1 || here[0] !== row[0])) {
      out.push({ usual: row[0], installed: here });
    }
  }
  return out;
}
