/**
 * What telling the model more costs (`deno task bench`): the recent commands, the lookup of what
 * is installed (PATH scanned once, then from memory) and the tldr examples, for a request on a
 * warm server and in a new process (`--print-prompt`, which runs everything up to the model).
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tellModel } from "../../src/answer/answer.ts";
import { installedPrograms } from "../../src/answer/installed.ts";
import { createRater } from "../../src/safety/mod.ts";

const REQUESTS = [
  "find all log files bigger than 100 MB under /var",
  "push the image I just tagged",
  "count the lines of all python files recursively",
  "kill the process listening on port 3000",
];
const RECENT = ["cd ~/src/app", "docker build -t app .", "docker tag app registry/app:1.4"];
const PATH = Deno.env.get("PATH") ?? "/usr/bin:/bin";
const settings = (vars: Record<string, string>) => ({
  get: (k: string) => k === "PATH" ? PATH : vars[k],
});
const where = (vars: Record<string, string> = {}) => ({
  shell: "zsh" as const,
  cwd: "/home/me",
  env: settings(vars),
  recent: RECENT,
});

const aided = where(), bare = where({ CMDAI_GROUND: "0", CMDAI_HISTORY: "0" });
for (const r of REQUESTS) tellModel({ request: r }, aided); // warm: index read, PATH scanned
let i = 0, j = 0;
Deno.bench("prompt, no aids (warm)", { group: "warm", baseline: true }, () => {
  tellModel({ request: REQUESTS[i++ % REQUESTS.length] }, bare);
});
Deno.bench("prompt with history, installed alternatives, tldr examples (warm)", {
  group: "warm",
}, () => {
  tellModel({ request: REQUESTS[j++ % REQUESTS.length] }, aided);
});

// The lookup of a command's programs once it is whole, as every request does.
const rater = await createRater();
const installed = installedPrograms({ path: PATH, shell: "zsh", known: ["ll"] });
Deno.bench("programs looked up: sudo find … -exec … | xargs … (warm)", { group: "lookup" }, () => {
  installed.missing(rater.programs("sudo find . -name '*.log' -exec gzip {} + | xargs -0 ls -l"));
});

// A cold start as a user meets it: a new process printing the prompt, with and without the aids.
const CMDAI = join(fileURLToPath(new URL("../..", import.meta.url)), "bin", "cmdai");
const print = async (vars: Record<string, string>) => {
  const out = await new Deno.Command(CMDAI, {
    args: ["--print-prompt", "--shell", "zsh", ...RECENT.map((c) => `--recent=${c}`), REQUESTS[0]],
    env: { CMDAI_SERVER: "0", ...vars },
    stdout: "null",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("cmdai --print-prompt failed");
};
Deno.bench("new process: --print-prompt, no aids", {
  group: "cold",
  baseline: true,
  n: 10,
  warmup: 1,
}, async () => await print({ CMDAI_GROUND: "0", CMDAI_HISTORY: "0" }));
Deno.bench("new process: --print-prompt with the aids", {
  group: "cold",
  n: 10,
  warmup: 1,
}, async () => await print({}));
