/**
 * Builds the grounding index from tldr pages and NL2Bash dev requests:
 *
 * 1. each page's utility (`common/git-commit` → `git`), each example's utilities (parsed);
 * 2. the classifier's labels: everyday utilities (a hand list), those the dev commands use, and
 *    those other pages' examples run at least 3 times; only their pages are kept;
 * 3. a softmax classifier from terms to labels, trained on page summaries, example descriptions
 *    and dev requests (weighted up, as they are worded like users' requests), then pruned;
 * 4. the reranker's weights, fitted by logistic regression on features that the dev requests
 *    get from classifiers trained without them (5 folds), so the weights trust the classifier
 *    only as far as it deserves on unseen requests.
 *
 * Deterministic: the same inputs give the same index.
 *
 * @module
 */

import { commandUtilities } from "../../../src/eval/nlc2cmd.ts";
import type { BashParser } from "../../../src/syntax/bash_parser.ts";
import {
  type GroundingIndex,
  INDEX_FORMAT,
  type IndexPage,
  type RerankWeights,
} from "../../../src/grounding/index.ts";
import { candidates, FEATURES, modelOf } from "../../../src/grounding/model.ts";
import { terms, words } from "../../../src/grounding/text.ts";
import type { SourcePage } from "./pages.ts";

/** An example with the utilities its command runs. */
export interface ParsedExample {
  description: string;
  command: string;
  utilities: string[];
}

/** A page with its utility and parsed examples. */
export interface ParsedPage {
  page: string;
  summary: string;
  utility: string;
  examples: ParsedExample[];
}

/** A training request: its words and the utilities of its (first) gold command, in order. */
export interface TrainingRequest {
  nl: string;
  utilities: string[];
}

/** Placeholders that render as commands (`{{command}} | sed …`); never utilities. */
const PLACEHOLDERS = new Set(["command", "program", "cmd", "..."]);

/**
 * Everyday utilities (POSIX, GNU and BSD user land, common admin, network, archive and
 * developer tools, macOS's own): the classifier knows these even when neither the dev requests
 * nor other pages use them much.
 */
const EVERYDAY = `
alias ar at awk basename bc bg cal cat cd chgrp chmod chown cksum cmp comm cp crontab csplit cut
date dd df diff dirname du echo ed env expand expr false fg file find fold fuser getconf grep head
iconv id jobs join kill less ln locale logger logname ls make man mkdir mkfifo more mv nice nl
nohup od paste patch printf ps pwd read readlink realpath renice rm rmdir sed sh sleep sort split
strings stty tail tee test time timeout touch tput tr true tty type ulimit umask uname unexpand
uniq unlink unset vi wait wc who xargs yes zcat base32 base64 chroot factor fmt groups hostid
hostname install link md5sum mknod mktemp nproc numfmt printenv sha1sum sha256sum sha512sum shred
shuf stat sync tac truncate users whoami tree rev column look egrep fgrep locate updatedb bash zsh
source export declare local eval exec shift trap history set shopt gzip gunzip bzip2 bunzip2 xz
unxz zip unzip tar cpio 7z zstd zless zgrep bzcat xzcat top htop killall pkill pgrep pstree free
vmstat iostat uptime w last lastlog su sudo useradd userdel usermod groupadd groupdel gpasswd
passwd adduser mount umount lsblk blkid fdisk parted mkfs fsck lsof lsusb lspci lscpu lsmod
modprobe dmesg sysctl systemctl journalctl service shutdown reboot hostnamectl timedatectl watch
screen tmux ping traceroute ip ifconfig netstat ss nc curl wget ssh scp sftp rsync dig nslookup
host whois ftp telnet nmap iptables ufw git svn docker kubectl gcc python python3 perl ruby node
npm pip php java go cargo jq sqlite3 mysql psql openssl gpg ssh-keygen ssh-add nano emacs vim xxd
hexdump rename convert ffmpeg apt apt-get dpkg yum dnf rpm pacman snap brew chattr lsattr setfacl
getfacl seq pbcopy pbpaste open say diskutil defaults launchctl caffeinate pmset networksetup
scutil softwareupdate mdfind mdls ditto hdiutil sw_vers system_profiler xattr codesign spctl
plutil osascript screencapture sips textutil afplay security tmutil csrutil nvram chflags port
xclip xsel rg fd bat exa eza ncdu tldr`.trim().split(/\s+/);

/** Utilities that run the example's real one: never what a tldr example is for. */
const WRAPPERS = new Set(["sudo", "doas", "env", "nohup", "time", "nice", "watch"]);

/** How many other pages' examples must run a utility for it to be a label. */
const MIN_USES = 3;

/** The utilities of `command` as NLC2CMD reads them (in order, repeats kept). */
export function goldUtilities(parser: BashParser, command: string): string[] {
  return (commandUtilities(parser, command, true) ?? []).map((u) => u.name);
}

/** Whether a utility name can be learnt: not a placeholder, a variable or a parse fragment. */
export function isUtilityName(name: string): boolean {
  return !PLACEHOLDERS.has(name) && /^[A-Za-z_][\w.+-]*$/.test(name);
}

/** The utilities of `command`, placeholders and unparsed names left out. */
export function utilitiesOf(parser: BashParser, command: string): string[] {
  return goldUtilities(parser, command).filter(isUtilityName);
}

/**
 * The utility a page documents: its own name when its commands run it, else the utility whose
 * subcommand it documents (`git-commit` → `git`); otherwise its name (`!`, `[`), which runs
 * nothing the index knows.
 */
export function pageUtility(page: string, examples: readonly ParsedExample[]): string {
  const name = page.split("/")[1];
  if (examples.some((e) => e.utilities.includes(name))) return name;
  const votes = new Map<string, number>();
  for (const e of examples) {
    for (const u of new Set(e.utilities)) {
      if (name.startsWith(u + "-") || name.startsWith(u + ".")) {
        votes.set(u, (votes.get(u) ?? 0) + 1);
      }
    }
  }
  let best = name, most = 0;
  for (const [u, n] of votes) if (n > most) [best, most] = [u, n];
  return best;
}

/**
 * A description made short for the prompt: asides of three words or more in parentheses
 * dropped, code marks removed ("Transfer a file (use `--dry-run` to simulate the transfer)" →
 * "Transfer a file"; "a gzipped (compressed) archive" keeps its word).
 */
export function compactDescription(description: string): string {
  let text = description;
  for (let before = ""; before !== text;) {
    before = text;
    text = text.replace(
      /\s*\(([^()]*)\)/g,
      (all, inner: string) => inner.trim().split(/\s+/).length >= 3 ? "" : all,
    );
  }
  return text.replace(/`/g, "").replace(/\s+/g, " ").replace(/\s+([,.;:])/g, "$1").trim() ||
    description;
}

/**
 * Parses every page's commands. Pointers to other pages (`tldr gzip`: "View documentation for
 * the original command") are no examples and go.
 */
export function parsePages(parser: BashParser, pages: readonly SourcePage[]): ParsedPage[] {
  return pages.map((p) => {
    const examples = p.examples
      .filter((e) => !/^tldr\s/.test(e.command) || p.page.endsWith("/tldr"))
      .map((e) => ({ ...e, utilities: utilitiesOf(parser, e.command) }));
    return { page: p.page, summary: p.summary, utility: pageUtility(p.page, examples), examples };
  });
}

/** A seeded generator of numbers in [0, 1) (a 32-bit LCG; enough for shuffling). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** The classifier's labels: utilities with a page that are everyday, in dev, or much used. */
export function chooseLabels(pages: readonly ParsedPage[], dev: readonly TrainingRequest[]) {
  const documented = new Set(pages.map((p) => p.utility));
  const uses = new Map<string, number>();
  for (const p of pages) {
    for (const e of p.examples) {
      for (const u of new Set(e.utilities)) {
        if (u !== p.utility) uses.set(u, (uses.get(u) ?? 0) + 1);
      }
    }
  }
  const labels = new Set<string>();
  for (const u of EVERYDAY) labels.add(u);
  for (const r of dev) for (const u of r.utilities) labels.add(u);
  for (const [u, n] of uses) if (n >= MIN_USES) labels.add(u);
  return [...labels].filter((u) => documented.has(u)).sort();
}

/** Training knobs (defaults tuned on NL2Bash dev by cross-validation). */
export interface TrainOptions {
  /** How much one dev request weighs against one tldr description. */
  devWeight: number;
  /** A secondary utility's share of an example's target, against 1 for the main one. */
  secondary: number;
  epochs: number;
  learningRate: number;
  /** After training, weights closer than this to a term's median weight are dropped. */
  prune: number;
  /**
   * A label's tldr examples weigh at most this much together (`git`'s hundreds of pages would
   * otherwise teach the classifier that most requests want git); 0: no limit.
   */
  balance: number;
  /** Learning rate of the biases, against the weights'. */
  biasRate: number;
  seed: number;
}

/** The shipped training knobs. */
export const TRAIN: TrainOptions = {
  devWeight: 3,
  secondary: 0.5,
  epochs: 8,
  learningRate: 1,
  prune: 0.15,
  balance: 30,
  biasRate: 0.1,
  seed: 7,
};

/** {@link TRAIN} with `key=value,…` overrides (for trying other knobs). */
export function trainOptions(overrides: string): TrainOptions {
  const out: TrainOptions = { ...TRAIN };
  for (const pair of overrides.split(",").filter(Boolean)) {
    const [key, value] = pair.split("=");
    if (!(key in TRAIN) || !Number.isFinite(Number(value))) {
      throw new Error(`bad training knob "${pair}"; knobs: ${Object.keys(TRAIN).join(", ")}`);
    }
    (out as unknown as Record<string, number>)[key] = Number(value);
  }
  return out;
}

interface Sample {
  x: number[];
  y: [number, number][];
  weight: number;
}

/**
 * Trains the softmax classifier; returns it in the index's form (per term, flattened
 * `[label, weight × 64]` pairs; per label, bias × 64).
 */
export function trainClassifier(
  pages: readonly ParsedPage[],
  dev: readonly TrainingRequest[],
  labels: readonly string[],
  opts: TrainOptions = TRAIN,
): { terms: Record<string, number[]>; bias: number[] } {
  const labelOf = new Map(labels.map((u, i) => [u, i]));
  const vocab = new Map<string, number>();
  const samples: Sample[] = [];
  const add = (text: string, utilities: readonly string[], main: string, weight: number) => {
    const y: [number, number][] = [];
    for (const u of new Set(utilities)) {
      const c = labelOf.get(u);
      if (c !== undefined) y.push([c, u === main ? 1 : opts.secondary]);
    }
    const x = [...new Set(terms(text))].map((t) => {
      if (!vocab.has(t)) vocab.set(t, vocab.size);
      return vocab.get(t)!;
    });
    if (y.length === 0 || x.length === 0) return;
    const total = y.reduce((a, [, v]) => a + v, 0);
    samples.push({ x, y: y.map(([c, v]) => [c, v / total]), weight });
  };
  const count = new Map<string, number>();
  for (const p of pages) count.set(p.utility, (count.get(p.utility) ?? 0) + p.examples.length + 1);
  for (const p of pages) {
    const n = count.get(p.utility)!;
    const weight = opts.balance > 0 ? Math.min(1, opts.balance / n) : 1;
    // The page's name, as words, belongs with its summary ("ssh-keygen" → ssh, keygen).
    add(
      `${p.page.split("/")[1].replace(/[-_.]/g, " ")} ${p.summary}`,
      [p.utility],
      p.utility,
      weight,
    );
    for (const e of p.examples) {
      // `sudo` in front of an example says nothing about what the example is for.
      const utilities = e.utilities.filter((u) => !WRAPPERS.has(u) || u === p.utility);
      add(e.description, [p.utility, ...utilities], p.utility, weight);
    }
  }
  for (const r of dev) add(r.nl, r.utilities, r.utilities[0], opts.devWeight);

  const C = labels.length, V = vocab.size;
  const w = new Float32Array(V * C), b = new Float32Array(C);
  const p = new Float64Array(C);
  const rand = random(opts.seed);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const rate = opts.learningRate / (1 + epoch);
    for (let k = samples.length - 1; k > 0; k--) {
      const j = Math.floor(rand() * (k + 1));
      [samples[k], samples[j]] = [samples[j], samples[k]];
    }
    for (const s of samples) {
      let max = -Infinity;
      for (let c = 0; c < C; c++) {
        let z = b[c];
        for (const f of s.x) z += w[f * C + c];
        p[c] = z;
        if (z > max) max = z;
      }
      let sum = 0;
      for (let c = 0; c < C; c++) sum += p[c] = Math.exp(p[c] - max);
      for (let c = 0; c < C; c++) p[c] /= sum;
      for (const [c, t] of s.y) p[c] -= t;
      // Longer texts spread the step over more terms.
      const step = rate * s.weight / Math.sqrt(s.x.length);
      for (let c = 0; c < C; c++) {
        const g = p[c] * step;
        if (Math.abs(g) < 1e-7) continue;
        b[c] -= g * opts.biasRate;
        for (const f of s.x) w[f * C + c] -= g;
      }
    }
  }
  // Softmax ignores a constant added to all of a term's weights: centre each term on its median,
  // so that most weights are near zero and can go.
  const out: Record<string, number[]> = {};
  const column = new Float32Array(C);
  for (const [term, f] of vocab) {
    for (let c = 0; c < C; c++) column[c] = w[f * C + c];
    const median = Float32Array.from(column).sort()[C >> 1];
    const pairs: number[] = [];
    for (let c = 0; c < C; c++) {
      const v = column[c] - median;
      if (Math.abs(v) >= opts.prune) pairs.push(c, Math.round(v * 64));
    }
    if (pairs.length) out[term] = pairs;
  }
  return { terms: out, bias: [...b].map((v) => Math.round(v * 64)) };
}

/** Per utility, how many requests' commands use it; and its companions' shares. */
function devStatistics(dev: readonly TrainingRequest[], ids: Map<string, number>) {
  const prior = new Array<number>(ids.size).fill(0);
  const pairs = new Map<number, Map<number, number>>();
  for (const r of dev) {
    const used = [...new Set(r.utilities)].map((u) => ids.get(u)).filter((u) => u !== undefined);
    for (const u of used) {
      prior[u]++;
      let m = pairs.get(u);
      if (!m) pairs.set(u, m = new Map());
      for (const v of used) if (v !== u) m.set(v, (m.get(v) ?? 0) + 1);
    }
  }
  const companions: Record<string, number[]> = {};
  for (const [u, m] of pairs) {
    const flat: number[] = [];
    for (const [v, n] of [...m].sort((a, b) => b[1] - a[1])) {
      const share = Math.round(100 * n / (prior[u] + 1));
      if (share >= 5) flat.push(v, share);
    }
    if (flat.length) companions[u] = flat;
  }
  // Trailing zeros need not be stored.
  while (prior.length && prior[prior.length - 1] === 0) prior.pop();
  return { prior, companions };
}

/** Fits logistic regression weights (Newton's method, a little L2) to rows of features. */
export function fitLogistic(rows: readonly { x: number[]; y: number }[], l2 = 1e-4): number[] {
  const n = rows[0].x.length + 1;
  let w = new Array<number>(n).fill(0);
  for (let iter = 0; iter < 25; iter++) {
    const h = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const g = new Array<number>(n).fill(0);
    for (const { x, y } of rows) {
      const xs = [...x, 1];
      const p = 1 / (1 + Math.exp(-xs.reduce((a, v, i) => a + v * w[i], 0)));
      for (let i = 0; i < n; i++) {
        g[i] += (p - y) * xs[i];
        for (let j = 0; j < n; j++) h[i][j] += p * (1 - p) * xs[i] * xs[j];
      }
    }
    for (let i = 0; i < n - 1; i++) {
      g[i] += l2 * rows.length * w[i];
      h[i][i] += l2 * rows.length;
    }
    const step = solve(h, g);
    w = w.map((v, i) => v - step[i]);
    if (Math.max(...step.map(Math.abs)) < 1e-6) break;
  }
  return w;
}

/** Solves `a · x = b` by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c || m[c][c] === 0) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => (row[i] === 0 ? 0 : row[n] / row[i]));
}

/** Options of {@link buildIndex}. */
export interface BuildOptions {
  train: TrainOptions;
  /** Folds for fitting the reranker on unseen requests. */
  folds: number;
  notice: string;
}

/** Everything of the index except the parts learnt from dev requests. */
function assemble(pages: readonly ParsedPage[], labels: readonly string[], notice: string) {
  const ids = new Map<string, number>(labels.map((u, i) => [u, i]));
  const labelSet = new Set(labels);
  const kept = pages.filter((p) => labelSet.has(p.utility) && p.examples.length > 0);
  const id = (u: string) => {
    if (!ids.has(u)) ids.set(u, ids.size);
    return ids.get(u)!;
  };
  const df: Record<string, number> = {};
  let examples = 0;
  const indexPages: IndexPage[] = kept.map((p) => ({
    page: p.page,
    utility: id(p.utility),
    examples: p.examples.map((e) => {
      examples++;
      const description = compactDescription(e.description);
      for (const t of new Set(terms(description))) df[t] = (df[t] ?? 0) + 1;
      return [description, e.command, [...new Set(e.utilities)].map(id)];
    }),
  }));
  // A name is an everyday word when many descriptions use it as one ("sort", "find", "date").
  const wordCount = new Map<string, number>();
  for (const p of kept) {
    for (const e of p.examples) {
      for (const w of new Set(words(e.description))) wordCount.set(w, (wordCount.get(w) ?? 0) + 1);
    }
  }
  const utilities = [...ids.keys()];
  const common = utilities.flatMap((u, i) => ((wordCount.get(u) ?? 0) > 50 ? [i] : []));
  return { ids, utilities, indexPages, df, examples, common, notice };
}

const NO_RERANK: RerankWeights = {
  classifier: 1,
  named: 0,
  namedCommon: 0,
  prior: 0,
  companion: 0,
  bias: 0,
};

/** An index from its parts, with classifier and dev statistics learnt from `dev`. */
function indexFrom(
  base: ReturnType<typeof assemble>,
  pages: readonly ParsedPage[],
  dev: readonly TrainingRequest[],
  labels: readonly string[],
  train: TrainOptions,
  rerank: RerankWeights,
): GroundingIndex {
  const classifier = trainClassifier(pages, dev, labels, train);
  const { prior, companions } = devStatistics(dev, base.ids);
  return {
    format: INDEX_FORMAT,
    notice: base.notice,
    utilities: base.utilities,
    labels: labels.length,
    terms: classifier.terms,
    bias: classifier.bias,
    prior,
    companions,
    common: base.common,
    rerank,
    df: base.df,
    examples: base.examples,
    pages: base.indexPages,
  };
}

/** Builds the index (see the module's description). */
export function buildIndex(
  pages: readonly ParsedPage[],
  dev: readonly TrainingRequest[],
  opts: BuildOptions,
): GroundingIndex {
  const labels = chooseLabels(pages, dev);
  const base = assemble(pages, labels, opts.notice);
  const rows: { x: number[]; y: number }[] = [];
  for (let fold = 0; fold < opts.folds; fold++) {
    const seen = dev.filter((_, i) => i % opts.folds !== fold);
    const model = modelOf(indexFrom(base, pages, seen, labels, opts.train, NO_RERANK));
    for (const r of dev.filter((_, i) => i % opts.folds === fold)) {
      const gold = new Set(r.utilities.map((u) => base.ids.get(u)));
      for (const c of candidates(model, r.nl)) {
        rows.push({ x: c.x, y: gold.has(c.utility) ? 1 : 0 });
      }
    }
  }
  const w = fitLogistic(rows);
  const rerank = Object.fromEntries([
    ...FEATURES.map((f, i) => [f, round(w[i])]),
    ["bias", round(w[FEATURES.length])],
  ]) as unknown as RerankWeights;
  return indexFrom(base, pages, dev, labels, opts.train, rerank);
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
