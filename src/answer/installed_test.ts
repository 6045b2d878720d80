import { join } from "node:path";
import { assert, assertEquals } from "../../test/support/assert.ts";
import { tempDir } from "../../test/support/temp.ts";
import { installedPrograms } from "./installed.ts";

/** Writes `name` into `dir`, executable or not. */
async function tool(dir: string, name: string, executable = true): Promise<void> {
  await Deno.writeTextFile(join(dir, name), "#!/bin/sh\n");
  await Deno.chmod(join(dir, name), executable ? 0o755 : 0o644);
}

Deno.test("installed: PATH's executables, the shell's builtins, the user's names", async () => {
  await using tmp = await tempDir();
  const [a, b] = [join(tmp.path, "a"), join(tmp.path, "b")];
  await Deno.mkdir(a);
  await Deno.mkdir(b);
  await tool(a, "fdx");
  await tool(b, "notes.txt", false);
  const here = installedPrograms({
    path: `${a}:relative/dir:${b}`,
    shell: "zsh",
    known: ["ll", "myfn"],
    cwd: tmp.path,
  });
  assertEquals(here.missing(["fdx", "notes.txt", "ll", "myfn", "cd", "zle", "jqx"]), [
    "notes.txt",
    "jqx",
  ]);
  // Builtins are the target shell's: fish has no `zle`, bash no `string`.
  assert(!installedPrograms({ path: "", shell: "fish" }).has("zle"));
  assert(installedPrograms({ path: "", shell: "fish" }).has("string"));
  assert(!installedPrograms({ path: "", shell: "bash" }).has("string"));
  // A path as written is looked up from the request's directory.
  await tool(tmp.path, "build.sh");
  assertEquals(here.missing(["./build.sh", "./nothere.sh", `${a}/fdx`]), ["./nothere.sh"]);
});

Deno.test("installed: a directory is scanned again once it changes; a new PATH is read", async () => {
  await using tmp = await tempDir();
  const dir = join(tmp.path, "bin");
  await Deno.mkdir(dir);
  const lookup = () => installedPrograms({ path: dir, shell: "bash" });
  assert(!lookup().has("newtool"));
  await tool(dir, "newtool");
  // The directory's mtime moves when an entry is added: set it apart from the first scan's.
  await Deno.utime(dir, new Date(), new Date(Date.now() + 2000));
  assert(lookup().has("newtool"));
  const other = join(tmp.path, "other");
  await Deno.mkdir(other);
  await tool(other, "elsewhere");
  assert(!lookup().has("elsewhere"));
  assert(installedPrograms({ path: `${dir}:${other}`, shell: "bash" }).has("elsewhere"));
});
