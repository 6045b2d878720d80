// Whole-process timings of the launcher: `--help` (start-up alone) and a cold
// request through real llama.cpp with tiny scripted models. Run: deno task bench
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { scriptedModel } from "../support/gguf.ts";

const CMDAI = join(fileURLToPath(new URL("../..", import.meta.url)), "bin", "cmdai");
const REPLY = "ls -la\n# List all files";
const synthetic = await scriptedModel(REPLY);
// The real Qwen2 tokenizer makes the prompt's token count (and so prefill) realistic.
const qwen2 = await scriptedModel(REPLY, { tokenizer: "qwen2" });

async function run(args: string[], model = "", expect = 0) {
  const { code } = await new Deno.Command(CMDAI, {
    args,
    env: { CMDAI_MODEL: model, CMDAI_THREADS: "1", CMDAI_SERVER: "0" },
    stdout: "null",
    stderr: "null",
  }).output();
  if (code !== expect) throw new Error(`cmdai ${args.join(" ")} exited ${code}`);
}

Deno.bench({ name: "cmdai --help", group: "cli", baseline: true, n: 20, warmup: 2 }, async () => {
  await run(["--help"]);
});

Deno.bench({ name: "cmdai check (parser start-up)", group: "cli", n: 10, warmup: 1 }, async () => {
  await run(["check", "--json", "rm -rf ~"]);
});

// What Enter costs on a line with a # that is no comment: the widget asks cmdai, which parses
// the line and hands it back to the shell (exit 6) without touching a model.
Deno.bench(
  { name: "Enter on a '#' line that asks nothing (--enter)", group: "cli", n: 10, warmup: 1 },
  async () => {
    await run(["--widget", "--enter", "--shell", "zsh", "--", 'echo "a # b"'], "", 6);
  },
);

Deno.bench({ name: "cold request, tiny model", group: "cli", n: 10, warmup: 1 }, async () => {
  await run(["--json", "list all files"], synthetic);
});

Deno.bench(
  { name: "cold request, tiny model, Qwen2 tokenizer", group: "cli", n: 5, warmup: 1 },
  async () => {
    await run(["--json", "list all files"], qwen2);
  },
);
