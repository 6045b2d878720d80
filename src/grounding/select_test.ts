import { assert, assertEquals } from "../../test/support/assert.ts";
import { type GroundingIndex, INDEX_FORMAT } from "./index.ts";
import { modelOf, type Scored } from "./model.ts";
import {
  chooseExamples,
  HEADER,
  installedAlternatives,
  onThisMachine,
  pagesFor,
  TUNING,
} from "./select.ts";
import { formatGrounding } from "./mod.ts";

// A hand-made index: the choice of examples is tested apart from the trained classifier.
const UTILITIES = ["sed", "grep", "rg", "pbcopy", "xclip", "apt", "find", "xargs", "rm", "cd"];
const u = (name: string) => UTILITIES.indexOf(name);
const INDEX: GroundingIndex = {
  format: INDEX_FORMAT,
  notice: "test",
  utilities: UTILITIES,
  labels: UTILITIES.length,
  terms: {},
  bias: UTILITIES.map(() => 0),
  prior: [],
  companions: {},
  common: [],
  rerank: { classifier: 1, named: 0, namedCommon: 0, prior: 0, companion: 0, bias: 0 },
  df: { replac: 2, fil: 5, text: 3, search: 2, clipboard: 2, delet: 1, recursiv: 1 },
  examples: 12,
  pages: [
    {
      page: "common/sed",
      utility: u("sed"),
      examples: [["Replace text", "sed 's/a/b/' file", [0]]],
    },
    {
      page: "osx/sed",
      utility: u("sed"),
      examples: [["Replace text in place", "sed -i '' 's/a/b/' file", [0]]],
    },
    {
      page: "common/grep",
      utility: u("grep"),
      examples: [["Search files", "grep pattern file", [1]]],
    },
    {
      page: "common/rg",
      utility: u("rg"),
      examples: [["Search files recursively", "rg pattern", [2]]],
    },
    {
      page: "osx/pbcopy",
      utility: u("pbcopy"),
      examples: [["Copy to the clipboard", "pbcopy < file", [3]]],
    },
    {
      page: "linux/xclip",
      utility: u("xclip"),
      examples: [["Copy to the clipboard", "xclip -sel clip < file", [4]]],
    },
    {
      page: "linux/apt",
      utility: u("apt"),
      examples: [["Install a package", "sudo apt install pkg", [5]]],
    },
    {
      page: "common/find",
      utility: u("find"),
      examples: [
        ["Find files by extension", "find . -name '*.ext'", [6]],
        ["Delete files by name", "find . -name '*.tmp' -delete", [6]],
      ],
    },
    {
      page: "common/xargs",
      utility: u("xargs"),
      examples: [
        ["Run a command on each input", "xargs command", [7]],
        ["Delete files found by find", "find . -name '*.bak' -print0 | xargs -0 rm", [6, 7, 8]],
      ],
    },
    { page: "common/rm", utility: u("rm"), examples: [["Delete files", "rm path/to/file", [8]]] },
    {
      page: "common/cd",
      utility: u("cd"),
      examples: [["Go to a directory", "cd path/to/dir", [9]]],
    },
  ],
};
const MODEL = modelOf(INDEX);
const pageNames = (pages: number[]) => pages.map((i) => INDEX.pages[i].page);
const scored = (...pairs: [string, number][]): Scored[] =>
  pairs.map(([name, probability]) => ({ utility: u(name), probability }));

Deno.test("pagesFor: an osx page replaces the common one on macOS only", () => {
  assertEquals(pageNames(pagesFor(MODEL, u("sed"), "osx")), ["osx/sed"]);
  assertEquals(pageNames(pagesFor(MODEL, u("sed"), "linux")), ["common/sed"]);
  assertEquals(pageNames(pagesFor(MODEL, u("sed"), "windows")), ["common/sed"]);
  assertEquals(pageNames(pagesFor(MODEL, u("pbcopy"), "linux")), []);
  assertEquals(pageNames(pagesFor(MODEL, u("apt"), "osx")), []);
  assertEquals(pageNames(pagesFor(MODEL, u("apt"), "freebsd")), [], "linux/ is Linux's alone");
});

Deno.test("onThisMachine: other platforms' utilities go, or give way to this one's", () => {
  const named = (s: Scored[]) => s.map((x) => [UTILITIES[x.utility], x.probability]);
  const clip = scored(["pbcopy", 0.6], ["apt", 0.4], ["sed", 0.3]);
  assertEquals(named(onThisMachine(MODEL, clip, { os: "linux" })), [
    ["xclip", 0.6],
    ["apt", 0.4],
    ["sed", 0.3],
  ]);
  assertEquals(named(onThisMachine(MODEL, clip, { os: "osx" })), [["pbcopy", 0.6], ["sed", 0.3]]);
  const both = scored(["xclip", 0.5], ["pbcopy", 0.2]);
  assertEquals(named(onThisMachine(MODEL, both, { os: "osx" })), [["pbcopy", 0.5]], "the best");
  assertEquals(named(onThisMachine(MODEL, both, { os: "windows" })), [], "no page at all");
});

Deno.test("onThisMachine: a missing program gives way to an installed alternative", () => {
  const names = (installed: string[]) =>
    onThisMachine(MODEL, scored(["grep", 0.7], ["cd", 0.2]), {
      os: "linux",
      installed: (p) => installed.includes(p),
    }).map((x) => [UTILITIES[x.utility], x.probability]);
  assertEquals(names(["grep", "rg"]), [["grep", 0.7], ["cd", 0.2]], "installed: kept");
  assertEquals(names(["rg"]), [["rg", 0.7], ["cd", 0.2]], "rg takes grep's place");
  assertEquals(names([]), [["cd", 0.2]], "neither: dropped; a builtin needs no program");
});

Deno.test("installedAlternatives: rows that say something, for the likely utilities", () => {
  const rows = (installed: string[], likely = scored(["grep", 0.7], ["sed", 0.3])) =>
    installedAlternatives(MODEL, likely, (p) => installed.includes(p))
      .map((r) => [r.usual, ...r.installed]);
  assertEquals(rows(["grep", "rg", "sed", "gsed"]), [
    ["grep", "grep", "rg"],
    ["sed", "sed", "gsed"],
  ]);
  assertEquals(rows(["grep", "sed"]), [], "only the usual programs: nothing to say");
  assertEquals(rows(["rg", "sed"]), [["grep", "rg"]], "grep missing, rg there");
  assertEquals(rows(["grep", "rg"], scored(["grep", TUNING.abstainBelow / 2])), [], "unsure");
  assertEquals(rows(["rg", "fd"], scored(["cd", 0.9], ["grep", TUNING.minProbability / 2])), []);
});

Deno.test("chooseExamples: nothing when the likeliest utility is unlikely", () => {
  const low = scored(["sed", TUNING.abstainBelow / 2]);
  assertEquals(chooseExamples(MODEL, "replace text", low, { os: "linux" }), []);
  assertEquals(chooseExamples(MODEL, "replace text", [], { os: "linux" }), []);
  assertEquals(formatGrounding([]), "");
});

Deno.test("chooseExamples: the OS's own page, the example matching the request", () => {
  const [osx] = chooseExamples(MODEL, "replace text", scored(["sed", 0.9]), { os: "osx" });
  assertEquals(osx.page, "osx/sed");
  const [linux] = chooseExamples(MODEL, "replace text", scored(["sed", 0.9]), { os: "linux" });
  assertEquals(linux.page, "common/sed");
  const [del] = chooseExamples(MODEL, "delete the files", scored(["find", 0.9]), { os: "linux" });
  assertEquals(del.command, "find . -name '*.tmp' -delete");
});

Deno.test("chooseExamples: one pipeline covers several likely utilities", () => {
  const likely = scored(["xargs", 0.8], ["find", 0.7], ["rm", 0.6]);
  const chosen = chooseExamples(MODEL, "delete files", likely, { os: "linux" });
  assertEquals(chosen.map((g) => g.command), ["find . -name '*.bak' -print0 | xargs -0 rm"]);
  assertEquals(chosen[0].utilities, ["find", "xargs", "rm"]);
});

Deno.test("chooseExamples: the block stays within maxChars", () => {
  const likely = scored(["sed", 0.9], ["grep", 0.8], ["find", 0.7], ["cd", 0.6]);
  const all = chooseExamples(MODEL, "text", likely, { os: "linux" });
  assertEquals(all.length, 4);
  const block = formatGrounding(all);
  assert(block.startsWith(HEADER + "\n- "), block);
  const tight = { ...TUNING, maxChars: block.length - 1 };
  const fewer = chooseExamples(MODEL, "text", likely, { os: "linux" }, tight);
  assert(fewer.length < all.length && formatGrounding(fewer).length <= tight.maxChars);
});
