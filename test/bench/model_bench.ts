// A model with the default's shape (Qwen2.5-1.5B dimensions, random Q8_0 weights, the real
// Qwen2 tokenizer; 1.65 GB, cached in .test-cache) gives real load and prefill timings
// without the real weights. Opt in: CMDAI_BENCH_SHAPED=1 deno task bench
import { REPLY_CONTRACT } from "../../src/answer/reply.ts";
import { loadModel } from "../../src/backends/embedded.ts";
import { gatherContext } from "../../src/answer/context.ts";
import { inferenceThreads } from "../../src/backends/cpus.ts";
import { buildPrompt } from "../../src/answer/prompt.ts";
import { cachedModel, writeShapedModel } from "../support/gguf.ts";

const enabled = Deno.env.get("CMDAI_BENCH_SHAPED") === "1";
const path = enabled ? await cachedModel("shaped-qwen2.5-1.5b", writeShapedModel) : "";
const prompt = buildPrompt({ request: "find the 10 biggest files here" }, gatherContext("zsh"));
const threads = inferenceThreads();

Deno.bench({
  name: `load + context (${threads} threads)`,
  group: "shaped",
  ignore: !enabled,
  n: 3,
  warmup: 0,
}, async () => {
  const backend = await loadModel(path, { threads });
  await backend.dispose();
});

Deno.bench({
  name: "load + context + prompt prefill + first token (a cold request)",
  group: "shaped",
  ignore: !enabled,
  n: 3,
  warmup: 0,
}, async () => {
  const backend = await loadModel(path, { threads });
  await backend.generate(prompt, { maxTokens: 1, contract: REPLY_CONTRACT });
  await backend.dispose();
});
