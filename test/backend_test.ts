// The backend against real llama.cpp: exact scripted replies, the token limit,
// aborts, load failures, and the prompt's size in real Qwen2 tokens.
import { REPLY_CONTRACT } from "../src/answer/reply.ts";
import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { scriptedModel } from "./support/gguf.ts";
import { loadModel } from "../src/backends/embedded.ts";
import { gatherContext, SHELLS } from "../src/answer/context.ts";
import { CmdaiError, ExitCode } from "../src/errors.ts";
import { buildPrompt } from "../src/answer/prompt.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const LS = "ls -la\n# List all files";
const prompt = buildPrompt({ request: "list all files" }, gatherContext("zsh", "linux", "/tmp"));

Deno.test({
  name: "generate returns the model's exact text under the grammar",
  ...opts,
  fn: async () => {
    const backend = await loadModel(await scriptedModel(LS), { threads: 1 });
    try {
      assertEquals(backend.gpu, "cpu");
      // Twice on one loaded model: a resident process answers many requests, and the second
      // evaluates only what differs from the first (the prefix stays in the context).
      const first = await backend.generate(prompt, { maxTokens: 256, contract: REPLY_CONTRACT });
      assertEquals([first.text, first.cutOff], [LS, false]);
      const other = { ...prompt, request: "find big files\n(current directory: /)" };
      const second = await backend.generate(other, { maxTokens: 256, contract: REPLY_CONTRACT });
      assertEquals([second.text, second.cutOff], [LS, false]);
      assertEquals(second.outputTokens, first.outputTokens);
      assert(
        second.promptTokens > 0 && second.promptTokens * 10 < first.promptTokens,
        `prompt tokens: first ${first.promptTokens}, then ${second.promptTokens}`,
      );
    } finally {
      await backend.dispose();
    }
  },
});

Deno.test({
  name: "a reply that never ends is reported as cut off",
  ...opts,
  fn: async () => {
    const reply = "yes and ";
    const model = await scriptedModel(reply, { loop: true, loopFrom: reply.indexOf("yes") });
    const backend = await loadModel(model, { threads: 1 });
    try {
      const gen = await backend.generate(prompt, { maxTokens: 40, contract: REPLY_CONTRACT });
      assert(gen.cutOff, "cut off");
      assert(gen.text.startsWith("yes and yes and "), gen.text);
    } finally {
      await backend.dispose();
    }
  },
});

Deno.test({
  name: "an aborted generation rejects with the signal's reason",
  ...opts,
  fn: async () => {
    const backend = await loadModel(await scriptedModel(LS), { threads: 1 });
    try {
      const controller = new AbortController();
      controller.abort(new Error("stop"));
      const e = await assertRejects(() =>
        backend.generate(prompt, {
          maxTokens: 256,
          contract: REPLY_CONTRACT,
          signal: controller.signal,
        })
      );
      assertEquals(e.message, "stop");
    } finally {
      await backend.dispose();
    }
  },
});

Deno.test({
  name: "a file llama.cpp cannot load is a model error naming the file",
  ...opts,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const whole = await Deno.readFile(await scriptedModel(LS));
      const cut = join(dir, "cut.gguf");
      await Deno.writeFile(cut, whole.subarray(0, 4096));
      const e = await assertRejects(() => loadModel(cut, { threads: 1 }), CmdaiError);
      assertEquals((e as CmdaiError).code, ExitCode.model);
      assert(e.message.includes(cut), e.message);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "the whole prompt stays under 1,000 Qwen2 tokens",
  ...opts,
  fn: async () => {
    const { getLlama } = await import("node-llama-cpp");
    const llama = await getLlama({ build: "never", gpu: false });
    const model = await llama.loadModel({
      modelPath: await scriptedModel(LS, { tokenizer: "qwen2" }),
    });
    try {
      for (const shell of SHELLS) {
        for (const os of ["linux", "darwin"]) {
          const p = buildPrompt(
            { request: "find every file over 100MB in my home directory modified this week" },
            gatherContext(shell, os, "/home/someone/projects/a-fairly-long-directory-name"),
          );
          // The ChatML text the wrapper renders: every turn framed by im_start/im_end.
          const turns = [["system", p.system]];
          for (const t of p.turns) turns.push(["user", t.user], ["assistant", t.reply]);
          turns.push(["user", p.request]);
          const text = turns.map(([r, t]) => `<|im_start|>${r}\n${t}<|im_end|>\n`).join("") +
            "<|im_start|>assistant\n";
          const tokens = model.tokenize(text, true).length;
          assert(tokens < 1000, `${shell}/${os}: ${tokens} tokens`);
          assert(tokens > 150, `${shell}/${os}: ${tokens} tokens is implausibly few`);
        }
      }
    } finally {
      await model.dispose();
      await llama.dispose();
    }
  },
});
