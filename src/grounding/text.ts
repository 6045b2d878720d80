/**
 * Words of a request or of a tldr description, reduced to the terms the grounding model scores:
 * lower case, stop words dropped, a few synonyms folded together, and a light suffix stemmer
 * (`files`, `filed` → `file`; `compressed`, `compressing` → `compress`). The same function reads
 * the index's text when it is built and a request when it is grounded, so both sides agree.
 *
 * @module
 */

/** Words that say nothing about which utility a request needs. */
const STOP = new Set(
  `a an the of to in on at by for from with into onto and or but as is are be been was were it its
  this that these those there here which who whom whose what when where how than then so such can
  could should would will shall may might must do does did done has have had having i me my we our
  you your he she they them their one some any each every all both only just also very not no nor
  using use used via per e g eg ie etc specific specified given certain way get gets`
    .split(/\s+/),
);

/** Words folded onto one spelling before stemming (the tldr pages and requests differ here). */
const SYNONYMS: Record<string, string> = {
  folder: "directory",
  folders: "directory",
  dir: "directory",
  dirs: "directory",
  directories: "directory",
  subdirectory: "directory",
  subdirectories: "directory",
  subfolder: "directory",
  subfolders: "directory",
  erase: "delete",
  remove: "delete",
  removes: "delete",
  removed: "delete",
  removing: "delete",
  filename: "name",
  filenames: "name",
  named: "name",
  recursively: "recursive",
  tarball: "tar",
  tarballs: "tar",
  synchronise: "sync",
  synchronize: "sync",
  biggest: "big",
  largest: "big",
  larger: "big",
  bigger: "big",
  smallest: "small",
  smaller: "small",
};

/** Longest first, so `sses` wins over `s`. Each rule: suffix, replacement, shortest stem kept. */
const SUFFIXES: [string, string, number][] = [
  ["ational", "ate", 3],
  ["ization", "ize", 3],
  ["fulness", "ful", 3],
  ["ousness", "ous", 3],
  ["iveness", "ive", 3],
  ["ations", "ate", 3],
  ["ation", "ate", 3],
  ["ingly", "", 4],
  ["sses", "ss", 2],
  ["ies", "y", 2],
  ["ied", "y", 2],
  ["ing", "", 3],
  ["edly", "", 3],
  ["ly", "", 4],
  ["ed", "", 3],
  ["es", "e", 3],
  ["s", "", 3],
];

/** A light stemmer: one suffix off, a doubled final consonant undone, a final `e` dropped. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 3 && !/(ss|us|is|ous)$/.test(w)) {
    for (const [suffix, by, min] of SUFFIXES) {
      if (w.endsWith(suffix) && w.length - suffix.length >= min) {
        w = w.slice(0, w.length - suffix.length) + by;
        if (by === "" && /([b-df-hj-np-rtv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) {
          w = w.slice(0, -1);
        }
        break;
      }
    }
  }
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

/** Lower-case words of `text`: letters and digits, keeping `md5sum`, `7z`, `x86_64` whole. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9][a-z0-9_+]*/g) ?? [];
}

/**
 * Lead-ins that say "a command" rather than which one: "what is the bash command to", "how do I",
 * "write a shell script that". They name `bash`, `command` or `script`, which would otherwise
 * read as utilities.
 */
const LEAD_IN =
  /\b(?:what(?: is|'s)|how (?:do|can|would|should) (?:i|you|we)|how to|give me|write|show me|tell me)\b(?: (?:the|a|an|some))?(?: (?:bash|shell|linux|unix|zsh|sh|terminal))?(?: (?:command|commands|script|one-liner|code|line))?(?: (?:to|that|which|for))?\b/gi;

/** The request without lead-ins that name no task ("what is the bash command to …"). */
export function requestText(request: string): string {
  return request.replace(LEAD_IN, " ");
}

/** The terms of `text`: stemmed, synonyms folded, stop words and lone digits dropped. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (STOP.has(w) || /^\d+$/.test(w)) continue;
    out.push(stem(SYNONYMS[w] ?? w));
  }
  return out;
}
