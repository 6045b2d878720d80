import { assertEquals } from "../../test/support/assert.ts";
import { decodeAnsiC, unescapeBare } from "./words.ts";

Deno.test("decodeAnsiC: bash $'…' escapes", () => {
  assertEquals(decodeAnsiC("\\x72m"), "rm");
  assertEquals(decodeAnsiC("\\162\\155"), "rm");
  assertEquals(decodeAnsiC("\\u0072m"), "rm");
  assertEquals(decodeAnsiC("a\\nb\\tc\\\\d\\'e"), "a\nb\tc\\d'e");
  assertEquals(decodeAnsiC("\\q"), "\\q");
});

Deno.test("unescapeBare: a backslash quotes the next character", () => {
  assertEquals(unescapeBare("\\rm"), "rm");
  assertEquals(unescapeBare("a\\ b"), "a b");
  assertEquals(unescapeBare("a\\\nb"), "ab");
  assertEquals(unescapeBare("plain"), "plain");
});
