import { assertEquals, assertStringIncludes } from "../../test/support/assert.ts";
import {
  formatTable,
  rowJson,
  type RowResult,
  type RunFacts,
  summarize,
  summaryJson,
} from "./report.ts";

const facts: RunFacts = {
  file: "d.tsv",
  format: "nl2bash",
  shell: "bash",
  backend: "embedded",
  model: "m.gguf",
  requests: 4,
  parseCheck: "tree-sitter-bash",
  interrupted: false,
};

const row = (over: Partial<RowResult>): RowResult => ({
  index: 0,
  request: "r",
  golds: ["ls"],
  prediction: "ls",
  exact: true,
  nlc2cmd: 1,
  parses: true,
  risk: "safe",
  ms: 100,
  ...over,
});

const rows: RowResult[] = [
  row({}),
  row({ index: 1, prediction: "ls -l", exact: false, nlc2cmd: 0, ms: 300 }),
  row({ index: 2, prediction: "rm -rf ~", exact: false, nlc2cmd: -1, risk: "critical", ms: 200 }),
  row({
    index: 3,
    prediction: undefined,
    exact: false,
    nlc2cmd: -1,
    parses: false,
    risk: undefined,
    error: "timed out after 1 s",
    ms: 1000,
  }),
];

Deno.test("the summary is over finished requests, failures included", () => {
  const s = summarize(rows, facts);
  assertEquals(
    [s.done, s.exact, s.nlc2cmd, s.parses, s.highRisk, s.failures, s.msPerRequest],
    [4, 0.25, -0.25, 0.75, 0.25, 1, 400],
  );
  assertEquals(
    summaryJson(s),
    '{"file":"d.tsv","format":"nl2bash","shell":"bash","backend":"embedded","model":"m.gguf",' +
      '"requests":4,"done":4,"exact":0.25,"nlc2cmd":-0.25,"parses":0.75,' +
      '"parse_check":"tree-sitter-bash","high_risk":0.25,"failures":1,"ms_per_request":400,' +
      '"interrupted":false}',
  );
  assertEquals(
    formatTable(s),
    "d.tsv: nl2bash, shell bash, embedded m.gguf\n" +
      "  requests       4\n" +
      "  exact match    25.0%  (1)\n" +
      "  NLC2CMD        -0.250\n" +
      "  parses (bash)  75.0%  (3)\n" +
      "  risk >= high   25.0%  (1)\n" +
      "  failures       1\n" +
      "  ms / request   400\n",
  );
});

Deno.test("an unavailable parse check is reported as such", () => {
  const s = summarize([row({ parses: undefined })], {
    ...facts,
    shell: "fish",
    parseCheck: "fish --no-execute",
    parseUnavailable: "fish is not installed",
    interrupted: true,
  });
  assertEquals(s.parses, undefined);
  const json = JSON.parse(summaryJson(s));
  assertEquals([json.parses, json.parse_check], [null, "unavailable: fish is not installed"]);
  const table = formatTable(s);
  assertStringIncludes(table, "parses (fish)  unavailable (fish is not installed)");
  assertStringIncludes(table, "1 of 4 (interrupted)");
});

Deno.test("a row's JSON line names every field, null when absent", () => {
  assertEquals(
    JSON.parse(rowJson(rows[3])),
    {
      index: 3,
      request: "r",
      golds: ["ls"],
      prediction: null,
      explanation: null,
      exact: false,
      nlc2cmd: -1,
      parses: false,
      risk: null,
      error: "timed out after 1 s",
      ms: 1000,
    },
  );
});
