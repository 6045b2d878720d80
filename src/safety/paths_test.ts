import { assertEquals } from "../../test/support/assert.ts";
import { classifyPath } from "./paths.ts";

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
