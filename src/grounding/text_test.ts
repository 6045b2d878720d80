import { assertEquals } from "../../test/support/assert.ts";
import { requestText, stem, terms } from "./text.ts";

Deno.test("stem: inflections of one word meet", () => {
  for (
    const group of [
      ["file", "files"],
      ["compress", "compressed", "compressing", "compresses"],
      ["modify", "modified", "modifies"],
      ["delete", "deleted", "deleting"],
      ["process", "processes"],
      ["stop", "stopped", "stopping"],
    ]
  ) {
    assertEquals(new Set(group.map(stem)).size, 1, group.join(" "));
  }
  assertEquals(stem("ls"), "ls", "short words stay");
  assertEquals(stem("status"), "status", "-us is no plural");
});

Deno.test("terms: stop words and numbers go, synonyms fold", () => {
  assertEquals(terms("Find all the files in /tmp older than 7 days"), [
    "find",
    "fil",
    "tmp",
    "older",
    "day",
  ]);
  assertEquals(terms("remove the folder"), terms("delete the directory"));
  assertEquals(terms(""), []);
});

Deno.test("requestText: lead-ins that name no utility go", () => {
  assertEquals(
    terms(requestText("What is the bash command to create a new group called slackers?")),
    ["creat", "new", "group", "call", "slacker"],
  );
  assertEquals(terms(requestText("How do I list open files")), ["list", "open", "fil"]);
});
