/**
 * Warm requests as the widgets make them (`deno task bench:warm [--model default|tiny|both]
 * [--rounds N] [--raw]`): the time until the command is on the line (the widget's frame) against the
 * time until the whole reply is in (the explanation that follows it), for
 *
 *   (a) a cold request: a new process (no server) loads the model and answers;
 *   (b) warm requests through the resident server, each one different: zsh talks to the socket
 *       itself (the functions of `cmdai init zsh`, timed in zsh), fish through its perl client
 *       (timed as a process until the frame, then until its SIGUSR1 says the explanation is in),
 *       scripts through `cmdai --widget`; and the server's own time per request (its log);
 *   (c) the floor: llama.cpp in-process, model loaded and prefix cached, same prompts.
 *
 * What the model is told besides the request follows this process's `CMDAI_GROUND` and
 * `CMDAI_HISTORY` (default: tldr examples on, which add ~100 prompt tokens to most requests).
 *
 * And the reply's output tokens and decode steps, in the JSON form replies had before issue 14
 * and in lines (counted from the real Qwen2 tokenizer, as `bench:steps` counts them; the lines'
 * steps also as the backend reports them).
 *
 * Models, both scripted (test/support/gguf_scripted.ts: exact replies through the real inference
 * path) with the real Qwen2 tokenizer, answering every request with the same realistic reply:
 *   default  the compute per token of the default model (Qwen2.5-Coder-1.5B Q4_K_M: its
 *            dimensions and 28 layers, Q4_0 weights; ~1.1 GB, written once into .test-cache),
 *            the threads cmdai picks. Its reply's decode steps are the tldr sample's mean.
 *   tiny     a few layers of 64 dims, 1 thread: what a request costs besides the model's
 *            compute (with more threads, llama.cpp starts a thread per decode step, which costs
 *            more than such a model's compute: the (c) row at the default threads shows it).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadModel } from "../../src/backends/embedded.ts";
import { inferenceThreads } from "../../src/backends/cpus.ts";
import { tellModel } from "../../src/answer/answer.ts";
import { parseReply, REPLY_CONTRACT } from "../../src/answer/reply.ts";
import { scriptedModel } from "../support/gguf.ts";
import { type ModelSize } from "../support/gguf_scripted.ts";
import { jsonCost, lineCost } from "../support/reply_cost.ts";
import { bpeTokenize } from "../support/vocab_bpe.ts";
import { loadQwen2Vocab } from "../support/vocab_qwen2.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CMDAI = join(ROOT, "bin", "cmdai");
const { values } = parseArgs({
  args: Deno.args,
  options: {
    model: { type: "string", default: "both" },
    rounds: { type: "string" },
    raw: { type: "boolean", default: false },
  },
});
if (!["default", "tiny", "both"].includes(values.model!)) {
  throw new Error(`--model: default, tiny or both, not ${values.model}`);
}
const sizes: ModelSize[] = values.model === "both"
  ? ["default", "tiny"]
  : [values.model as ModelSize];

/**
 * The reply every request gets: its decode steps (10 to the line, 19 in all) are the mean of the
 * tldr sample's (9.9 and 19.8, `deno task bench:steps`).
 */
const REPLY = "git log --oneline -n 5\n# The last five commits, one line each";
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
let asked = 0, round = 0;
/**
 * A request not asked before in this run, so that the server's cached prefix ends where it
 * starts; every path gets the same one in a round (the tldr examples it is told differ by request).
 */
const ask = () => `${REQUESTS[round % REQUESTS.length]} (${asked++})`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const nuls = (text: string) => text.split("\0").length - 1;

/** When a reply's command was on the line, and when the reply was whole (ms from the start). */
interface Timing {
  line: number;
  whole: number;
}

/**
 * Runs a process whose stdout is a widget frame and maybe a later message: the time its frame
 * was whole, and its end.
 */
async function streamed(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  check: (out: string) => void,
): Promise<Timing & { out: string }> {
  const started = performance.now();
  const child = new Deno.Command(cmd, {
    args,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const errText = new Response(child.stderr).text();
  let out = "";
  let line = 0;
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    out += decoder.decode(chunk, { stream: true });
    if (!line && nuls(out) >= 4) line = performance.now() - started;
  }
  const status = await child.status;
  const whole = performance.now() - started;
  if (!status.success || !line) {
    throw new Error(
      `${cmd} ${args.join(" ")}: exit ${status.code}: ${JSON.stringify(out)} ${await errText}`,
    );
  }
  check(out);
  return { line, whole, out };
}

/** The frame placed the reply's command (and the message after it is the explanation). */
function placed(out: string, command: string, explanation?: string) {
  const fields = out.split("\0");
  if (fields[0] !== "0" || fields[2] !== command) throw new Error(`frame: ${JSON.stringify(out)}`);
  if (explanation !== undefined && !fields[4]?.replace(/^[=]/, "").includes(explanation)) {
    throw new Error(`no explanation after the frame: ${JSON.stringify(out)}`);
  }
}

/** zsh's path, timed inside zsh: the integration's own request, socket and reads. */
function zshScript(request: string): string {
  return `
eval "$(${CMDAI} init zsh --no-bind)"
zmodload zsh/datetime
_cmdai_server_socket || { print -u2 "no server socket"; exit 1; }
t0=$EPOCHREALTIME
_cmdai_call request key ${JSON.stringify(request)}
t1=$EPOCHREALTIME
[[ $reply[1] == 0 ]] || { print -u2 -r -- "frame: \${(j:|:)reply}"; exit 1; }
# The explanation follows on the descriptor, or came with the frame.
message=$reply[5]
if [[ -n $REPLY ]]; then
  buf=$_cmdai_later_buf
  integer interrupted=0
  _cmdai_read $REPLY 1 || { print -u2 "no explanation"; exit 1; }
  message=\${\${(@0)buf}[1]}
fi
t2=$EPOCHREALTIME
print -r -- $(( (t1 - t0) * 1000 )) $(( (t2 - t0) * 1000 )) "$message"
`;
}

/** zsh's path, timed in zsh. */
async function viaZshWidget(env: Record<string, string>, explanation: string): Promise<Timing> {
  const zsh = await new Deno.Command("zsh", {
    args: ["-fc", zshScript(ask())],
    env,
    clearEnv: true,
    stdin: "null",
  }).output();
  const out = new TextDecoder().decode(zsh.stdout);
  const [line, whole] = out.split(" ").map(Number);
  if (!zsh.success || !out.includes(explanation)) {
    throw new Error(`zsh: ${out} ${new TextDecoder().decode(zsh.stderr)}`);
  }
  return { line, whole };
}

/** fish's path: the perl client as fish runs it, its SIGUSR1 telling the explanation is in. */
async function viaPerl(
  client: string,
  env: Record<string, string>,
  later: string,
  command: string,
  explanation: string,
): Promise<Timing> {
  let signalled: () => void = () => {};
  const signal = new Promise<void>((resolve) => (signalled = resolve));
  const onSignal = () => signalled();
  Deno.addSignalListener("SIGUSR1", onSignal);
  try {
    const args = ["-e", client, "--", "request", ask(), "key", "fish-bench", ROOT, "fish"];
    const started = performance.now();
    const run = await streamed("perl", [...args, String(Deno.pid), later, "--"], env, (out) => {
      placed(out, command, /\+\d+\0$/.test(out) ? undefined : explanation);
    });
    // The explanation came with the frame (`=MESSAGE`), or its reader signals once it is in.
    if (!/\+\d+\0$/.test(run.out)) return { line: run.line, whole: run.whole };
    await signal;
    const whole = performance.now() - started;
    const message = await Deno.readTextFile(later);
    if (!message.includes(explanation)) throw new Error(`perl client: ${JSON.stringify(message)}`);
    await Deno.remove(later);
    return { line: run.line, whole };
  } finally {
    Deno.removeSignalListener("SIGUSR1", onSignal);
  }
}

/**
 * The floor: generation in this process, the prefix cached (one warm-up first). `next()` times
 * one request; taken in turns with the other paths.
 */
async function floor(model: string, threads: number, env: Record<string, string>) {
  const backend = await loadModel(model, { threads });
  // What the server tells the model for zsh's request: the same aids, from the same settings.
  const where = { shell: "zsh" as const, cwd: ROOT, env: { get: (k: string) => env[k] } };
  const prompt = () => tellModel({ request: ask() }, where).prompt;
  const first = await backend.generate(prompt(), { maxTokens: 256, contract: REPLY_CONTRACT });
  const timings: Timing[] = [];
  /** Prompt tokens evaluated per request: the user's turn, with what it is told (tldr examples). */
  const promptTokens: number[] = [];
  let generation = first;
  return {
    first,
    timings,
    promptTokens,
    last: () => generation,
    async next() {
      const started = performance.now();
      let line = 0;
      generation = await backend.generate(prompt(), {
        maxTokens: 256,
        contract: REPLY_CONTRACT,
        onFirstLine: () => void (line = performance.now() - started),
      });
      if (generation.text !== REPLY) throw new Error(`floor: ${JSON.stringify(generation.text)}`);
      timings.push({ line, whole: performance.now() - started });
      promptTokens.push(generation.promptTokens);
    },
    dispose: () => backend.dispose(),
  };
}

/** One model's runs, and its tables. */
async function bench(size: ModelSize) {
  const model = await scriptedModel(REPLY, { tokenizer: "qwen2", size });
  const threads = size === "tiny" ? 1 : inferenceThreads();
  const rounds = Number(values.rounds ?? (size === "tiny" ? 20 : REQUESTS.length));
  const { command, explanation = "" } = parseReply(REPLY);
  const runtime = await Deno.makeTempDir({ prefix: "cmdai-bench-" });
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: runtime,
    XDG_CONFIG_HOME: runtime,
    XDG_RUNTIME_DIR: runtime,
    LANG: "C.UTF-8",
    CMDAI_MODEL: model,
    CMDAI_THREADS: String(threads),
    CMDAI_TIMEOUT: "600",
    // What the model is told besides the request: as this process's environment says.
    ...Object.fromEntries(
      ["CMDAI_GROUND", "CMDAI_HISTORY"].flatMap((k) => {
        const v = Deno.env.get(k);
        return v === undefined ? [] : [[k, v]];
      }),
    ),
  };
  const row = (path: string, ts: Timing[]) => {
    const line = median(ts.map((t) => t.line)), whole = median(ts.map((t) => t.whole));
    return {
      path,
      "to the line ms": Math.round(line),
      "whole reply ms": Math.round(whole),
      "line ÷ whole": +(line / whole).toFixed(2),
    };
  };
  try {
    const inProcess = await floor(model, threads, env);

    const widget = (extra: Record<string, string> = {}) =>
      streamed(
        CMDAI,
        ["--widget", "--shell", "zsh", "--", ask()],
        { ...env, ...extra },
        (out) => placed(out, command, explanation),
      );
    const cold: Timing[] = [];
    for (let i = 0; i < 3; i++) cold.push(await widget({ CMDAI_SERVER: "0" }));

    // The server: started by a request, and warmed for each shell's prefix.
    await widget();
    const perlClient = await Deno.readTextFile(join(ROOT, "shell", "cmdai-client.pl"));
    const later = join(runtime, "later");
    await viaPerl(perlClient, env, later, command, explanation);
    const logPath = join(runtime, "cmdai", "server.log");
    const logged = (await Deno.readTextFile(logPath)).split("\n").length;
    // Taken in turns, so that the machine's ups and downs fall on all alike.
    const viaZsh: Timing[] = [], viaFish: Timing[] = [], viaCmdai: Timing[] = [];
    for (round = 0; round < rounds; round++) {
      await inProcess.next();
      viaZsh.push(await viaZshWidget(env, explanation));
      viaFish.push(await viaPerl(perlClient, env, later, command, explanation));
      viaCmdai.push(await widget());
    }
    const served = (await Deno.readTextFile(logPath)).split("\n").slice(logged - 1)
      .map((l) => /request: exit 0 in (\d+) ms/.exec(l)?.[1]).filter((ms) => ms !== undefined)
      .map(Number);
    await new Deno.Command(CMDAI, { args: ["serve", "--stop"], env, clearEnv: true }).output();
    await inProcess.dispose();
    const { first } = inProcess, generation = inProcess.last();
    // llama.cpp at one thread per core, for the tiny model: each decode step starts a thread.
    const defaultThreads = inferenceThreads();
    let others: Timing[] | undefined;
    if (size === "tiny" && defaultThreads !== threads) {
      const more = await floor(model, defaultThreads, env);
      for (let i = 0; i < Math.min(rounds, 5); i++) await more.next();
      await more.dispose();
      others = more.timings;
    }
    if (values.raw) {
      console.log({
        cold,
        viaZsh,
        viaFish,
        viaCmdai,
        served,
        inProcess: inProcess.timings,
        others,
      });
    }

    console.log(
      `\n${size === "tiny" ? "Tiny scripted model" : "The default's compute per token"} ` +
        `(${(await Deno.stat(model)).size / 1e6 | 0} MB, ${threads} thread${
          threads > 1 ? "s" : ""
        }), ${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} cores; ` +
        `median of ${rounds} (cold: 3); prompt tokens per warm request ` +
        `${Math.min(...inProcess.promptTokens)}–${Math.max(...inProcess.promptTokens)}, median ` +
        `${median(inProcess.promptTokens)} (uncached: ${first.promptTokens}; tldr examples ` +
        `${env.CMDAI_GROUND === "0" ? "off" : "on"})`,
    );
    console.table([
      row("(a) cold, new process", cold),
      row("(b) zsh widget, over the socket", viaZsh),
      row("(b) fish widget, perl client", viaFish),
      row("(b) cmdai --widget (scripts)", viaCmdai),
      {
        path: "(b) the server's own time (its log)",
        "to the line ms": "",
        "whole reply ms": Math.round(median(served)),
        "line ÷ whole": "",
      },
      row(`(c) llama.cpp in-process, prefix cached`, inProcess.timings),
      ...(others ? [row(`(c) the same, ${defaultThreads} threads`, others)] : []),
    ]);

    // The reply in both forms: tokens and decode steps counted, and the time they take.
    const { bpe } = await loadQwen2Vocab();
    const count = (text: string) => bpeTokenize(bpe, text).length;
    const reply = parseReply(REPLY);
    const old = jsonCost(reply, count), now = lineCost(reply, count);
    if (now.steps !== generation.decodeSteps) {
      throw new Error(
        `decode steps: counted ${now.steps}, the backend's ${generation.decodeSteps}`,
      );
    }
    // Decode steps after the line, at the floor's pace: what one step costs.
    const lineSteps = lineCost(reply, count, false).steps;
    const floorLine = median(inProcess.timings.map((t) => t.line));
    const floorWhole = median(inProcess.timings.map((t) => t.whole));
    const perStep = (floorWhole - floorLine) / (now.steps - lineSteps);
    const oldWhole = floorWhole + (old.steps - now.steps) * perStep;
    console.table([
      {
        form: "JSON (before issue 14)",
        "output tokens": old.tokens,
        "decode steps": old.steps,
        "to the line ms": `~${Math.round(oldWhole)}`,
        "whole reply ms": `~${Math.round(oldWhole)}`,
      },
      {
        form: "lines (command, # explanation)",
        "output tokens": now.tokens,
        "decode steps": now.steps,
        "to the line ms": Math.round(floorLine),
        "whole reply ms": Math.round(floorWhole),
      },
      {
        form: "lines ÷ JSON",
        "output tokens": +(now.tokens / old.tokens).toFixed(2),
        "decode steps": +(now.steps / old.steps).toFixed(2),
        "to the line ms": +(floorLine / oldWhole).toFixed(2),
        "whole reply ms": +(floorWhole / oldWhole).toFixed(2),
      },
    ]);
    console.log(
      `In-process (c). ${perStep.toFixed(1)} ms a decode step: the JSON form's time is the ` +
        `lines' and its extra steps at that pace; its command reached the line with the whole.`,
    );
  } finally {
    await new Deno.Command(CMDAI, { args: ["serve", "--stop"], env, clearEnv: true }).output()
      .catch(() => {});
    await Deno.remove(runtime, { recursive: true });
  }
}

for (const size of sizes) await bench(size);
