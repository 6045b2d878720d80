import { assertEquals } from "../../test/support/assert.ts";
import { parseFind } from "./find.ts";

Deno.test("parseFind: start paths, tests, actions", () => {
  const f = parseFind(["/", "-name", "*.log", "-exec", "rm", "-f", "{}", ";", "-delete"]);
  assertEquals(f.starts, ["/"]);
  assertEquals(f.filtered, true);
  assertEquals(f.deletes, true);
  assertEquals(f.execs, [{ action: "-exec", argv: ["rm", "-f", "{}"] }]);
});

Deno.test("parseFind: a test's value is not an action", () => {
  const f = parseFind([".", "-name", "-delete", "-print"]);
  assertEquals(f.deletes, false);
  assertEquals(parseFind(["-L", "-delete"]).starts, ["."]);
  assertEquals(parseFind(["a", "b", "-delete"]).filtered, false);
});

Deno.test("parseFind: -type f and -type d leave every file or directory", () => {
  assertEquals(parseFind(["/var/log", "-type", "f", "-delete"]).filtered, false);
  assertEquals(parseFind([".", "-type", "d", "-delete"]).types, ["d"]);
  assertEquals(parseFind([".", "-type", "l", "-delete"]).filtered, true);
  assertEquals(parseFind([".", "-mindepth", "1", "-maxdepth", "2", "-delete"]).filtered, false);
});
