// Warm versus cold, side by side in one run (deno task bench:warm):
//   (a) a cold request: a new process (no server) loads the model and answers;
//   (b) a warm request as the widget makes it, through the resident server, each one different:
//       zsh talks to the server's socket itself, fish through a perl client; scripts (and fish
//       without perl) run `cmdai`, which does;
//   (c) the floor: llama.cpp in-process, model loaded and prefix cached, for the same prompts
//       and output tokens;
//   (d) prompt tokens evaluated per request, without and with the cached prefix.
// With CMDAI_BENCH_SHAPED=1 the model has the default's exact shape (Qwen2.5-1.5B dimensions,
// random weights, the real Qwen2 tokenizer; 1.65 GB, written once into .test-cache), and every
// reply is cut at 8 tokens (random weights never end one); otherwise a tiny scripted model with
// the Qwen2 tokenizer answers exactly, and the figures show what cmdai adds around llama.cpp.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadModel } from "../../src/backends/embedded.ts";
import { gatherContext } from "../../src/answer/context.ts";
import { inferenceThreads } from "../../src/backends/cpus.ts";
import { buildPrompt } from "../../src/answer/prompt.ts";
import { REPLY_CONTRACT } from "../../src/answer/reply.ts";
import { cachedModel, scriptedModel, writeShapedModel } from "../support/gguf.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CMDAI = join(ROOT, "bin", "cmdai");
const shaped = Deno.env.get("CMDAI_BENCH_SHAPED") === "1";
const model = shaped
  ? await cachedModel("shaped-qwen2.5-1.5b", writeShapedModel)
  : await scriptedModel("ls -la\n# List all files", {
    tokenizer: "qwen2",
  });
const maxTokens = shaped ? 8 : 256;
const threads = inferenceThreads();
const rounds = shaped ? 5 : 8;
const REQUESTS = [
  "find the 10 biggest files here",
  "show how much disk space this folder uses",
  "list the files changed in the last day",
  "count the lines of every python file",
  "show which process listens on port 8080",
  "undo my last commit but keep the changes",
  "compress the logs folder into a tarball",
  "print my public ip address",
  "find files named notes in my home",
  "show the last 20 lines of the system log",
];
const ask = (i: number) => `${REQUESTS[i % REQUESTS.length]} (${i})`;

const runtime = await Deno.makeTempDir({ prefix: "cmdai-bench-" });
const env = {
  CMDAI_MODEL: model,
  CMDAI_MAX_TOKENS: String(maxTokens),
  CMDAI_THREADS: String(threads),
  XDG_RUNTIME_DIR: runtime,
  CMDAI_SERVER: "",
  CMDAI_TIMEOUT: "600",
};

async function timed(cmd: string, args: string[], extra: Record<string, string> = {}) {
  const t = performance.now();
  const out = await new Deno.Command(cmd, {
    args,
    env: { ...env, ...extra },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t;
  // 4: cut off at CMDAI_MAX_TOKENS, the expected end of a random model's reply.
  if (out.code !== 0 && out.code !== 4) {
    throw new Error(
      `${cmd} ${args.join(" ")}: exit ${out.code}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return { ms, stdout: new TextDecoder().decode(out.stdout) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// (c) and (d): in-process, the floor.
const backend = await loadModel(model, { threads });
const prompt = (i: number) => buildPrompt({ request: ask(i) }, gatherContext("zsh"));
const first = await backend.generate(prompt(0), { maxTokens, contract: REPLY_CONTRACT });
const floor: number[] = [];
const cachedTokens: number[] = [];
let outputTokens = 0;
for (let i = 1; i <= rounds; i++) {
  const t = performance.now();
  const g = await backend.generate(prompt(100 + i), { maxTokens, contract: REPLY_CONTRACT });
  floor.push(performance.now() - t);
  cachedTokens.push(g.promptTokens);
  outputTokens = g.outputTokens;
}
await backend.dispose();

// (a) cold.
const cold: number[] = [];
for (let i = 1; i <= Math.min(rounds, 3); i++) {
  cold.push(
    (await timed(CMDAI, ["--json", "--shell", "zsh", "--", ask(200 + i)], { CMDAI_SERVER: "0" }))
      .ms,
  );
}

// (b) warm, through the server: started and warmed by one request first.
await timed(CMDAI, ["--json", "--shell", "zsh", "--", ask(300)]);
// zsh's own path: the integration's request and socket exchange, timed inside zsh.
const zshAsk = (request: string) => `
eval "$(${CMDAI} init zsh --no-bind)"
zmodload zsh/datetime
_cmdai_server_socket || { print -u2 "no server socket"; exit 1; }
sock=$REPLY
t0=$EPOCHREALTIME
_cmdai_request ${JSON.stringify(request)} key
out=$(_cmdai_server_ask $sock $REPLY)
[[ $out == 0$'\n'* || $out == 4$'\n'* ]] || { print -u2 -r -- "reply: $out"; exit 1; }
print $(( (EPOCHREALTIME - t0) * 1000 ))
`;
// Taken in turns, so that the machine's ups and downs fall on both alike.
// fish's path: the perl client the integration runs, timed as a process (perl's start included).
const perlClient = await Deno.readTextFile(join(ROOT, "shell", "cmdai-client.pl"));
// Grouped by shell: the prompt's prefix differs between zsh and fish, and the server keeps one.
const viaCmdai: number[] = [];
const viaZsh: number[] = [];
for (let i = 1; i <= rounds; i++) {
  viaCmdai.push((await timed(CMDAI, ["--widget", "--shell", "zsh", "--", ask(400 + i)])).ms);
  viaZsh.push(Number((await timed("zsh", ["-fc", zshAsk(ask(500 + i))])).stdout.trim()));
}
const viaPerl: number[] = [];
const perlAsk = (i: number) => ["-e", perlClient, "--", ask(i), "key", "bench", ROOT];
await timed("perl", perlAsk(600)); // the fish prefix, evaluated once
for (let i = 1; i <= rounds; i++) {
  const perl = await timed("perl", perlAsk(600 + i));
  if (!/^[04]\0/.test(perl.stdout)) throw new Error(`perl client: ${JSON.stringify(perl.stdout)}`);
  viaPerl.push(perl.ms);
}
await timed(CMDAI, ["serve", "--stop"]);
await Deno.remove(runtime, { recursive: true });

const c = median(floor);
const row = (name: string, xs: number[]) => ({
  request: name,
  "median ms": Math.round(median(xs)),
  "÷ (c)": +(median(xs) / c).toFixed(2),
  "− (c) ms": Math.round(median(xs) - c),
  "÷ (a)": +(median(xs) / median(cold)).toFixed(3),
});
console.log(
  `\nmodel: ${shaped ? "default's shape, random weights" : "tiny scripted"} (${model}); ` +
    `${threads} threads; ${outputTokens} output tokens a reply; ${Deno.build.os} ${Deno.build.arch}`,
);
console.table([
  row("(a) cold request, new process", cold),
  row("(b) warm, zsh widget over the socket", viaZsh),
  row("(b) warm, fish widget (perl client)", viaPerl),
  row("(b) warm, cmdai --widget (scripts, no perl)", viaCmdai),
  row("(c) llama.cpp in-process, prefix cached", floor),
]);
if (Deno.env.get("CMDAI_BENCH_RAW")) console.log({ cold, viaZsh, viaPerl, viaCmdai, floor });
console.table([{
  "(d) prompt tokens": "per request",
  uncached: first.promptTokens,
  cached: median(cachedTokens),
  "cached ÷ uncached": +(median(cachedTokens) / first.promptTokens).toFixed(3),
}]);
