/**
 * What grounding in the tldr pages costs (`deno task bench`): the index read and parsed as a
 * cold start does it, the first request on a fresh index (nothing cached yet), a warm request as
 * the resident server makes it, and a whole new process with and without grounding.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { INDEX_URL, readIndex } from "../../src/grounding/index.ts";
import { modelOf, scoreUtilities } from "../../src/grounding/model.ts";
import { chooseExamples } from "../../src/grounding/select.ts";
import { ground } from "../../src/grounding/mod.ts";

const REQUESTS = [
  "find all log files bigger than 100 MB under /var",
  "show the disk usage of each folder here",
  "list files modified in the last hour",
  "count the lines of all python files recursively",
  "kill the process listening on port 3000",
  "show the last 50 lines of the system journal",
  "extract a tar.gz archive into a new folder",
  "replace tabs with spaces in every markdown file",
];
const OPTS = { os: "linux" };

Deno.bench("grounding: cold load (read + parse the index)", { group: "load" }, () => {
  modelOf(readIndex(INDEX_URL));
});

const parsed = readIndex(INDEX_URL);
let n = 0;
Deno.bench("grounding: first request on a fresh index", { group: "request" }, () => {
  const model = modelOf(parsed);
  const request = REQUESTS[n++ % REQUESTS.length];
  chooseExamples(model, request, scoreUtilities(model, request), OPTS);
});

for (const r of REQUESTS) ground(r, OPTS); // warm: the index loaded, its pages looked at
let m = 0;
Deno.bench("grounding: warm request", { group: "request", baseline: true }, () => {
  ground(REQUESTS[m++ % REQUESTS.length], OPTS);
});

// A cold start as a user meets it: a new Deno process importing the module, with and without
// one request grounded (the difference is what the index adds).
const DENO = Deno.execPath();
const MOD = fileURLToPath(new URL("../../src/grounding/mod.ts", import.meta.url));
const run = async (code: string) => {
  const out = await new Deno.Command(DENO, {
    args: ["eval", "--cached-only", `import { ground } from "${MOD}"; ${code}`],
    stdout: "null",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("deno eval failed");
};
Deno.bench("grounding: new process, module imported only", {
  group: "process",
  baseline: true,
  n: 10,
  warmup: 2,
}, async () => {
  await run("void ground;");
});
Deno.bench("grounding: new process, one request grounded", {
  group: "process",
  n: 10,
  warmup: 2,
}, async () => {
  await run(`ground(${JSON.stringify(REQUESTS[0])}, { os: "linux" });`);
});
