import { assert, assertEquals } from "../../test/support/assert.ts";
import { formatGrounding, ground, type Grounding } from "./mod.ts";
import { HEADER, TUNING } from "./select.ts";

// These run the shipped index (src/grounding/tldr_index.json).

const REQUESTS = [
  "find all files larger than 100 MB under my home directory",
  "copy the output of a command to the clipboard",
  "replace every occurrence of a word in a file with sed",
  "show disk usage of each folder here, biggest first",
  "list open network ports",
  "count the lines of all python files recursively",
  "compress the logs directory into a tar.gz archive",
  "kill the process listening on port 8080",
  "print the current date in ISO format",
  "delete all .tmp files older than 7 days",
];

const folders = (examples: Grounding[]) => examples.map((e) => e.page.split("/")[0]);

Deno.test("ground: nothing for an empty or meaningless request", () => {
  for (const os of ["linux", "osx"]) {
    assertEquals(ground("", { os }), []);
    assertEquals(ground("   ", { os }), []);
    assertEquals(ground("qwzx blorf vlemp", { os }), []);
    assertEquals(ground("?!", { os }), []);
  }
});

Deno.test("ground: examples of the utilities the request needs", () => {
  const utilities = (r: string) => ground(r, { os: "linux" }).flatMap((e) => e.utilities);
  assert(utilities("find all files larger than 100 MB").includes("find"));
  assert(utilities("show the last 20 lines of a log file").includes("tail"));
  assert(utilities("sort the lines of a file and remove duplicates").includes("sort"));
  assert(utilities("back up my photos folder to a server with rsync").includes("rsync"), "named");
});

Deno.test("ground: macOS gets osx/ pages first and never linux/ ones", () => {
  const clipboard = ground("copy the output of a command to the clipboard", { os: "osx" });
  assert(clipboard.some((e) => e.page === "osx/pbcopy"), JSON.stringify(clipboard));
  const sed = ground("replace every occurrence of a word in a file with sed", { os: "osx" });
  assert(sed.some((e) => e.page === "osx/sed"), JSON.stringify(sed));
  assert(!sed.some((e) => e.page === "common/sed"), "osx/sed replaces common/sed");
  for (const r of REQUESTS) {
    assert(!folders(ground(r, { os: "osx" })).includes("linux"), r);
  }
});

Deno.test("ground: Linux never gets osx/ pages; other systems only common/ ones", () => {
  const clipboard = ground("copy the output of a command to the clipboard", { os: "linux" });
  assert(!clipboard.some((e) => e.utilities.includes("pbcopy")), JSON.stringify(clipboard));
  for (const r of REQUESTS) {
    assert(!folders(ground(r, { os: "linux" })).includes("osx"), r);
    assert(folders(ground(r, { os: "freebsd" })).every((f) => f === "common"), r);
  }
});

Deno.test("ground: a program that is not installed gives way to one that is", () => {
  const request = "search for the word TODO in all files recursively";
  const withGrep = ground(request, { os: "linux", installed: () => true });
  assert(withGrep.some((e) => e.utilities.includes("grep")), JSON.stringify(withGrep));
  const noGrep = ground(request, { os: "linux", installed: (p) => p !== "grep" });
  assert(!noGrep.some((e) => e.page.endsWith("/grep")), JSON.stringify(noGrep));
  assert(noGrep.some((e) => e.page === "common/rg"), JSON.stringify(noGrep));
  const nothing = ground(request, { os: "linux", installed: () => false });
  assert(nothing.every((e) => e.page === "common/cd" || e.utilities.length), "builtins only");
  assert(!nothing.some((e) => e.page.endsWith("/grep") || e.page.endsWith("/rg")));
});

Deno.test("ground: the block stays within the character budget", () => {
  for (const r of REQUESTS) {
    for (const os of ["linux", "osx"]) {
      const block = formatGrounding(ground(r, { os }));
      assert(block.length <= TUNING.maxChars, `${r}: ${block.length} chars`);
      assert(block === "" || block.startsWith(HEADER + "\n- "), block);
    }
  }
});
