import { assertEquals } from "../../support/assert.ts";
import { parsePage, renderCommand, renderDescription } from "./pages.ts";
import { compactDescription, pageUtility } from "./build.ts";

Deno.test("renderCommand: placeholders become their text, short option or first alternative", () => {
  assertEquals(renderCommand("cp {{path/to/file}} {{path/to/dir}}"), "cp path/to/file path/to/dir");
  assertEquals(
    renderCommand("tar xf {{a.tar}} {{[-C|--directory]}} {{dir}}"),
    "tar xf a.tar -C dir",
  );
  assertEquals(renderCommand("7z a -t{{7z|gzip|zip}} {{archive}}"), "7z a -t7z archive");
  assertEquals(renderCommand("tar xvf {{source.tar[.gz|.xz]}}"), "tar xvf source.tar.gz");
  assertEquals(renderCommand("ls {{[0-9]}}"), "ls [0-9]");
});

Deno.test("renderDescription and compactDescription: short, plain descriptions", () => {
  assertEquals(
    renderDescription("list [a]ll files, [r]ecursively:"),
    "List all files, recursively",
  );
  assertEquals(
    compactDescription("Transfer a file (use `--dry-run` to simulate the transfer)"),
    "Transfer a file",
  );
  assertEquals(
    compactDescription("Create a gzipped (compressed) archive"),
    "Create a gzipped (compressed) archive",
  );
  assertEquals(compactDescription("Print to `stdout`"), "Print to stdout");
});

Deno.test("parsePage: summary without links, examples in order", () => {
  const page = parsePage(
    "common/tar",
    "# tar\n\n> Archiving utility.\n> More information: <https://x>.\n\n- Create an archive:\n\n`tar cf {{a.tar}} {{file}}`\n",
  );
  assertEquals(page, {
    page: "common/tar",
    summary: "Archiving utility.",
    examples: [{ description: "Create an archive", command: "tar cf a.tar file" }],
  });
});

Deno.test("pageUtility: the page's own name, a subcommand's utility, or the name", () => {
  const ex = (...utilities: string[]) => ({ description: "", command: "", utilities });
  assertEquals(pageUtility("common/tar", [ex("tar")]), "tar");
  assertEquals(pageUtility("common/git-commit", [ex("git"), ex("git")]), "git");
  assertEquals(pageUtility("common/!", [ex("sudo")]), "!", "not sudo's page");
});
