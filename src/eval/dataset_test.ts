import { join } from "node:path";
import { assertEquals, assertRejects, assertThrows } from "../../test/support/assert.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import { parseDataset, readDataset } from "./dataset.ts";
import { tempDir } from "../../test/support/temp.ts";

Deno.test("NL2Bash: rows with the same request are one request with several golds", () => {
  const text = "list files\tls\nshow date\tdate\r\nlist files\tls -l\nlist files\tls\n\n";
  assertEquals(parseDataset(text, "t.tsv"), {
    format: "nl2bash",
    requests: [
      { nl: "list files", golds: ["ls", "ls -l"], line: 1 },
      { nl: "show date", golds: ["date"], line: 2 },
    ],
  });
});

Deno.test("InterCode-ALFA: six columns, both gold columns are golds", () => {
  const text = "list files\tls\tls -l\tfs_1\t0\t0\nprint hello\techo hi\techo hi\tfs_1\t0\t1\n";
  assertEquals(parseDataset(text, "a.tsv"), {
    format: "intercode-alfa",
    requests: [
      { nl: "list files", golds: ["ls", "ls -l"], line: 1 },
      { nl: "print hello", golds: ["echo hi"], line: 2 },
    ],
  });
});

Deno.test("a wrong column count is a usage error naming the line", () => {
  const first = assertThrows(() => parseDataset("a\tb\tc\n", "x.tsv"), CmdaiError) as CmdaiError;
  assertEquals(first.code, ExitCode.usage);
  assertEquals(
    first.message,
    "x.tsv line 1 has 3 columns; expected 2 (nl, cmd: NL2Bash) or 6 (InterCode-ALFA)",
  );
  const later = assertThrows(() => parseDataset("a\tb\n\nc\td\te\n", "x.tsv"), CmdaiError);
  assertEquals(later.message, "x.tsv line 3 has 3 columns, not 2 like the lines before it");
  assertEquals(
    assertThrows(() => parseDataset("just words\n", "x.tsv")).message,
    "x.tsv line 1 has 1 column; expected 2 (nl, cmd: NL2Bash) or 6 (InterCode-ALFA)",
  );
  assertEquals(
    assertThrows(() => parseDataset("a\t \n", "x.tsv")).message,
    "x.tsv line 1 has no gold command",
  );
  assertEquals(
    assertThrows(() => parseDataset("\n\n", "x.tsv")).message,
    "x.tsv holds no requests",
  );
});

Deno.test("a missing file is a one-line usage error", async () => {
  await using tmp = await tempDir();
  const path = join(tmp.path, "nope.tsv");
  const e = await assertRejects(() => readDataset(path), CmdaiError) as CmdaiError;
  assertEquals([e.code, e.message], [ExitCode.usage, `no such file: ${path}`]);
});
