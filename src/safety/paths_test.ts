import { assertEquals } from "../../test/support/assert.ts";
import { extractLine } from "./extract.ts";
import { loadBashParser } from "../syntax/bash_parser.ts";
import { cdBefore, locate } from "./paths.ts";

Deno.test("locate: roots, temp variables, assignments on the same command", () => {
  const cases: [string, string][] = [
    ["//", "root"],
    ["/*", "root"],
    ["C:\\", "windows-root"],
    ["${TMPDIR:-/tmp}/x", "scratch"],
    ["~alice/x", "home-top"],
    ["/usr/local/", "system"],
    ["/etc/nginx", "system-sub"],
  ];
  for (const [path, place] of cases) assertEquals(locate(path).place, place, path);
  assertEquals(locate("$TMPDIR/x", { TMPDIR: "/Users" }).place, "home");
  assertEquals(locate("$D", { D: "/" }).place, "root");
});

Deno.test("locate: every spelling of a home is a home", () => {
  const cases: [string, string, string][] = [
    ["~", "home", "~"],
    ["$HOME/*", "home", "~/*"],
    ["${HOME}", "home", "~"],
    ["${HOME:?}/", "home", "~"],
    ["~alice", "home", "~"],
    ["/home/alice/*", "home", "~/*"],
    ["/Users/bob/", "home", "~"],
    ["/root", "home", "~"],
    ["~/.*", "home", "~/.*"],
    ["~/Documents", "home-top", "~/Documents"],
    ["/home/alice/.ssh/authorized_keys", "home-sub", "~/.ssh/authorized_keys"],
    ["~/code/app/build", "home-sub", "~/code/app/build"],
    ["/home/*", "system", "/home/*"],
    ["/home", "system", "/home"],
    ["~/..", "system", "/home"],
  ];
  for (const [path, place, resolved] of cases) {
    const got = locate(path);
    assertEquals([got.place, got.path], [place, resolved], path);
  }
});

Deno.test("locate: the project, above it, temp, system", () => {
  const cases: [string, string][] = [
    [".", "project-all"],
    ["./*", "project-all"],
    ["$PWD/*", "project-all"],
    ["$(pwd)", "project-all"],
    ["build", "project"],
    ["`pwd`/build", "project"],
    ["a/../..", "parent"],
    ["../*", "parent"],
    ["../other", "outside"],
    ["/some/path", "outside"],
    ["/mnt/data", "outside"],
    ["/tmp", "outside"],
    ["/var/tmp/*", "outside"],
    ["$TMPDIR", "outside"],
    ["/tmp/x", "scratch"],
    ["$TMPDIR/x", "scratch"],
    ["$TMPDIR/../etc", "system-sub"],
    ["/tmp/../etc", "system"],
    ["/etc/*", "system"],
    ["/etc/passwd", "system-sub"],
    ["/opt/app", "system-sub"],
    ["/", "root"],
    ["/usr/..", "root"],
    ["$DIR/", "variable-root"],
    ["$DIR/*", "variable-root"],
    ["$DIR/x", "variable"],
    ["{}", "unknown"],
    ["$(ls)", "unknown"],
  ];
  for (const [path, place] of cases) assertEquals(locate(path).place, place, path);
  assertEquals(locate("*.log").glob, true);
  assertEquals(locate("/etc/*.conf").place, "system-sub");
});

Deno.test("locate: relative paths against the directory a cd moved to", () => {
  assertEquals(locate("*", {}, "/").place, "root");
  assertEquals(locate(".", {}, "~").place, "home");
  assertEquals(locate("*.conf", {}, "/etc").place, "system-sub");
  assertEquals(locate("build", {}, "..").place, "outside");
  assertEquals(locate("build", {}, "/tmp").place, "scratch");
  assertEquals(locate("/etc", {}, "/tmp").place, "system");
  assertEquals(locate("x", { D: "/" }, "$D").place, "outside");
});

Deno.test("cdBefore: cd, pushd and a bare cd, joined in order", async () => {
  const parser = await loadBashParser();
  const at = (text: string, name: string) => {
    const line = extractLine(parser, text);
    return cdBefore(line.commands.find((c) => c.name === name)!, line);
  };
  assertEquals(at("rm -rf *", "rm"), undefined);
  assertEquals(at("cd / && rm -rf *", "rm"), "/");
  assertEquals(at("cd /usr; cd lib; rm x", "rm"), "/usr/lib");
  assertEquals(at("cd && rm -rf *", "rm"), "~");
  assertEquals(at("cd -P /etc && rm x", "rm"), "/etc");
  assertEquals(at("pushd /etc; rm x", "rm"), "/etc");
  assertEquals(at("cd /etc; cd -; rm x", "rm"), undefined);
  assertEquals(at("rm x; cd /", "rm"), undefined);
  assertEquals(at("sudo bash -c 'cd / && rm -rf *'", "rm"), "/");
});
