import { assertEquals } from "../../test/support/assert.ts";
import { extractLine } from "./extract.ts";
import { loadBashParser } from "../syntax/bash_parser.ts";
import { cdBefore, classifyPath, locate } from "./paths.ts";

Deno.test("classifyPath: what a path points at", () => {
  const cases: [string, string][] = [
    ["/", "root"],
    ["//", "root"],
    ["/*", "root"],
    ["/usr/..", "root"],
    ["~", "home"],
    ["~/", "home"],
    ["$HOME/*", "home"],
    ["${HOME}", "home"],
    ["~/projects", "home-sub"],
    ["~alice/x", "home-sub"],
    ["/etc", "system"],
    ["/usr/local/", "system"],
    ["/etc/nginx", "system-sub"],
    ["/home/alice", "system-sub"],
    ["/tmp/build", "temp"],
    ["/tmp", "other"],
    ["$TMPDIR/x", "temp"],
    ["${TMPDIR:-/tmp}/x", "temp"],
    ["$TMPDIR/../etc", "system-sub"],
    [".", "cwd-all"],
    ["./*", "cwd-all"],
    ["*", "cwd-all"],
    ["..", "parent"],
    ["../x", "other"],
    ["./build", "other"],
    ["$DIR/x", "variable"],
    ["C:\\", "windows-root"],
    ["/mnt/data/x", "other"],
  ];
  for (const [path, want] of cases) assertEquals(classifyPath(path), want, path);
});

Deno.test("classifyPath: assignments on the same command are applied", () => {
  assertEquals(classifyPath("$TMPDIR/x", { TMPDIR: "/Users" }), "system-sub");
  assertEquals(classifyPath("$D", { D: "/" }), "root");
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
