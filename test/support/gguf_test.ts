/**
 * Tests of the GGUF test-model writer: the file format, the script planner, and,
 * through node-llama-cpp's real llama.cpp, that scripted models produce their
 * reply exactly (with and without a JSON grammar), that looping models run into
 * the token limit, and that random models load and generate. Prints timings.
 */

import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "./assert.ts";
import { join } from "node:path";
import {
  ChatMLChatWrapper,
  getLlama,
  type Llama,
  LlamaChatSession,
  type LlamaGrammar,
  LlamaLogLevel,
  type LlamaModel,
} from "node-llama-cpp";
import { f16Bits, GgmlType, kvOf, putF32, readGgufMeta, writeGguf } from "./gguf_file.ts";
import { planScript } from "./gguf_script.ts";
import { scriptedPlan } from "./gguf_scripted.ts";
import { BYTE_TO_CHAR, toByteChars } from "./vocab_bpe.ts";
import { TEST_CACHE } from "./gguf_cache.ts";
import {
  cachedModel,
  ropeThetas,
  SCRIPT_ROPE_BASE,
  type ScriptedModelOptions,
  scriptedTokenIds,
  writeRandomModel,
  writeScriptedModel,
} from "./gguf.ts";

/** The JSON shape the CLI constrains replies to (explanation optional). */
const GBNF = String
  .raw`root ::= "{" ws "\"command\"" ws ":" ws str ( ws "," ws "\"explanation\"" ws ":" ws str )? ws "}"
ws ::= " "?
str ::= "\"" ( [^"\\\x00-\x1f] | "\\" ["\\/bfnrtu] )* "\""`;

const REPLIES = {
  ls: `{"command": "ls -la", "explanation": "List all files"}`,
  rm: `{"command": "rm -rf ~", "explanation": "Delete the home directory"}`,
  // The JSON escape as text (backslash, u, 001b), as a model would write it.
  escape: String.raw`{"command": "printf '\u001b[2J'", "explanation": "x"}`,
  long: `{"command": "find . -type f -name '*.log' -mtime +7 -exec gzip {} + && du -sh ./logs", ` +
    `"explanation": "Compress every log file older than a week in the current tree, then show ` +
    `how much space the logs directory uses now so that you can check the result"}`,
};

Deno.test("gguf: a written file reads back (header, typed metadata, aligned tensors)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "t.gguf");
    await writeGguf(path, [
      kvOf.str("general.architecture", "qwen2"),
      kvOf.u32("n", 7),
      kvOf.f32("x", 0.5),
      kvOf.bool("b", true),
      kvOf.strs("list", ["a", "Ġb", ""]),
      kvOf.i32s("ints", [-1, 2]),
    ], [
      { name: "a", dims: [3], type: GgmlType.F32, fill: (o) => putF32(o, [1, 2, 3]) },
      { name: "b", dims: [32, 2], type: GgmlType.Q8_0 },
    ]);
    const bytes = await Deno.readFile(path);
    const meta = readGgufMeta(bytes);
    assertEquals(meta.version, 3);
    assertEquals(meta.tensors, [
      { name: "a", dims: [3], type: GgmlType.F32, offset: 0 },
      { name: "b", dims: [32, 2], type: GgmlType.Q8_0, offset: 32 },
    ]);
    assertEquals(
      meta.kvs.map((k) => [k.key, k.value]),
      [["general.architecture", "qwen2"], ["n", 7], ["x", 0.5], ["b", true], ["list", [
        "a",
        "Ġb",
        "",
      ]], [
        "ints",
        [-1, 2],
      ]],
    );
    // Data section: tensor "a" (12 bytes, padded to 32) then "b" (2 blocks of 34 bytes, padded).
    assertEquals(meta.dataOffset % 32, 0);
    assertEquals(bytes.length, meta.dataOffset + 32 + 96);
    const a = new Float32Array(bytes.slice(meta.dataOffset, meta.dataOffset + 12).buffer);
    assertEquals([...a], [1, 2, 3]);
    assertStringIncludes(
      (assertThrows(() => readGgufMeta(bytes.subarray(0, 40)))).message,
      "truncated",
    );
    assertStringIncludes(
      (await assertRejects(() => writeGguf(path, [kvOf.u32("n", 1), kvOf.u32("n", 2)], [])))
        .message,
      "duplicate key",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("gguf: f16 encoding and the GPT-2 byte table", () => {
  assertEquals([1, -2, 0.5, 65504, 0, 1 / 3].map(f16Bits), [
    0x3c00,
    0xc000,
    0x3800,
    0x7bff,
    0,
    0x3555,
  ]);
  assertEquals(new Set(BYTE_TO_CHAR).size, 256);
  assertEquals(toByteChars(" a\n"), "ĠaĊ");
  assertEquals(toByteChars("é"), "Ã©");
});

Deno.test("gguf: script plans look back only as far as repeats need", () => {
  const base = { promptEnd: [90, 91], end: 99, maxLookBack: 8 };
  // All distinct: the current token decides.
  const distinct = planScript({ ...base, script: [1, 2, 3] });
  assertEquals(distinct.lookBack, 0);
  assertEquals(distinct.rules.length, 4);
  // 5 7 5 8: after 5 comes 7 or 8, told apart by the token before 5.
  const repeat = planScript({ ...base, script: [5, 7, 5, 8] });
  assertEquals(repeat.lookBack, 1);
  // A loop's wrap-around is unknown context; a token repeated in it cannot be placed.
  assertStringIncludes(
    (assertThrows(() => planScript({ ...base, script: [1, 2, 1, 3], loopFrom: 0 }))).message,
    "tokens of context",
  );
  // Endless repetition needs unbounded context.
  assertStringIncludes(
    (assertThrows(() => planScript({ ...base, script: Array(12).fill(4).concat([6]) }))).message,
    "too repetitive",
  );
});

Deno.test("gguf: the look-back heads' RoPE kernel peaks only at the target distance", () => {
  // Attention logit ∝ Σ_t cos(m·θ_t), m = distance − target: 32 at m = 0.
  const thetas = ropeThetas(SCRIPT_ROPE_BASE);
  let worst = -Infinity;
  for (let m = 1; m <= 32768; m++) {
    let s = 0;
    for (const th of thetas) s += Math.cos(m * th);
    worst = Math.max(worst, s);
  }
  // With |q|·|k| = 32 per pair and the 1/√64 scale, each unit of gap is 4 nats of attention logit.
  assert(worst < 17, `worst side lobe ${worst}`);
});

Deno.test("gguf: cachedModel writes once, also under concurrent calls", async () => {
  const name = `cache-test-${crypto.randomUUID().slice(0, 8)}`;
  let writes = 0;
  const write = async (p: string) => {
    writes++;
    await Deno.writeTextFile(p, "x");
  };
  // A model of this name left by an older writer version is pruned.
  const stale = join(TEST_CACHE, "models", `${name}-000000000000.gguf`);
  await Deno.mkdir(join(TEST_CACHE, "models"), { recursive: true });
  await Deno.writeTextFile(stale, "old");
  const [a, b] = await Promise.all([cachedModel(name, write), cachedModel(name, write)]);
  const c = await cachedModel(name, write);
  try {
    assertEquals([a, b].every((p) => p === c), true);
    assertEquals(writes, 1);
    assertEquals(await Deno.readTextFile(c), "x");
    assertEquals(await Deno.stat(stale).then(() => "kept", () => "pruned"), "pruned");
    assert(/\.test-cache\/models\/cache-test-\w+-[0-9a-f]{12}\.gguf$/.test(c), c);
    assertStringIncludes(
      (await assertRejects(() => cachedModel("../x", write))).message,
      "bad cache name",
    );
  } finally {
    await Deno.remove(c);
  }
});

Deno.test("gguf: scripting fails clearly", async () => {
  assertStringIncludes(
    (await assertRejects(() => writeScriptedModel("/nonexistent/x.gguf", "x"))).message,
    "at least 2 bytes",
  );
  assertStringIncludes(
    (await assertRejects(() =>
      writeScriptedModel("/nonexistent/x.gguf", "ab", { loop: true, loopFrom: 5 })
    )).message,
    "outside the reply",
  );
  assertStringIncludes(
    (await assertRejects(() =>
      writeScriptedModel("/nonexistent/x.gguf", "no no no no no no no no no no no no no no!", {
        tokenizer: "qwen2",
      })
    )).message,
    "too repetitive",
  );
});

/** One row of the timing report. */
interface Timing {
  model: string;
  tokens: number | string;
  sizeKiB: number;
  writeMs: number;
  loadMs: number;
  ctxMs: number;
  genMs: number;
}

Deno.test({
  name: "gguf: models run through node-llama-cpp (exact replies, grammar, loop, random)",
  // node-llama-cpp keeps native handles and timers alive between calls.
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const dir = await Deno.makeTempDir();
    const timings: Timing[] = [];
    let started = performance.now();
    const llama: Llama = await getLlama({
      build: "never",
      gpu: false,
      logLevel: LlamaLogLevel.error,
    });
    const getLlamaMs = performance.now() - started;
    const grammar: LlamaGrammar = await llama.createGrammar({ grammar: GBNF });

    /** Writes, loads and prompts a model; `inspect` sees the model before it is disposed. */
    const run = async (
      label: string,
      write: (path: string) => Promise<void>,
      prompts: Array<{ grammar?: LlamaGrammar; maxTokens?: number; wrapper?: "auto" }>,
      tokens: number | string,
      inspect?: (model: LlamaModel) => void,
    ) => {
      const path = join(dir, `${label.replace(/\W+/g, "-")}.gguf`);
      let at = performance.now();
      await write(path);
      const writeMs = performance.now() - at;
      at = performance.now();
      const model = await llama.loadModel({ modelPath: path });
      const loadMs = performance.now() - at;
      at = performance.now();
      const context = await model.createContext({ threads: 1, contextSize: 1024 });
      const ctxMs = performance.now() - at;
      const results = [];
      let genMs = 0;
      try {
        for (const p of prompts) {
          const session = new LlamaChatSession({
            contextSequence: context.getSequence(),
            chatWrapper: p.wrapper === "auto" ? "auto" : new ChatMLChatWrapper(),
          });
          let generated = 0;
          at = performance.now();
          const meta = await session.promptWithMeta("list the files here", {
            grammar: p.grammar,
            maxTokens: p.maxTokens ?? 400,
            onToken: (chunk) => (generated += chunk.length),
          });
          genMs += performance.now() - at;
          results.push({ ...meta, generated, wrapper: session.chatWrapper.wrapperName });
          session.dispose({ disposeSequence: true });
        }
        inspect?.(model);
        const sizeKiB = Math.round((await Deno.stat(path)).size / 1024);
        timings.push({
          model: label,
          tokens,
          sizeKiB,
          writeMs,
          loadMs,
          ctxMs,
          genMs: genMs / prompts.length,
        });
        return results;
      } finally {
        await context.dispose();
        await model.dispose();
      }
    };

    try {
      for (const tokenizer of ["synthetic", "qwen2"] as const) {
        for (const [name, reply] of Object.entries(REPLIES)) {
          await t.step(`${tokenizer}: ${name} reply, with and without the grammar`, async () => {
            const opts: ScriptedModelOptions = { tokenizer };
            const ids = await scriptedTokenIds(reply, opts);
            // Real tokens repeat (` "` follows `":` twice): look-back heads tell them apart.
            const { lookBack } = await scriptedPlan(reply, opts);
            assertEquals(lookBack > 0, tokenizer === "qwen2");
            const results = await run(
              `scripted ${tokenizer} ${name} (${reply.length} chars)`,
              (p) => writeScriptedModel(p, reply, opts),
              [{ grammar }, {}],
              ids.length,
              // The qwen2 script is the real tokenization, as llama.cpp itself tokenizes it.
              (model) => tokenizer === "qwen2" && assertEquals(model.tokenize(reply), ids),
            );
            for (const r of results) {
              assertEquals(r.responseText, reply);
              assertEquals(r.stopReason, "eogToken");
              assertEquals(r.generated, ids.length);
            }
          });
        }

        await t.step(`${tokenizer}: loop runs until maxTokens`, async () => {
          const reply = REPLIES.ls;
          // Without a grammar the whole reply repeats; with one, the grammar ends it after "}".
          const [free, json] = await run(
            `loop ${tokenizer} whole reply`,
            (p) => writeScriptedModel(p, reply, { tokenizer, loop: true }),
            [{ maxTokens: 64 }, { grammar, maxTokens: 64 }],
            "64",
          );
          assertEquals(free.stopReason, "maxTokens");
          assertEquals(free.generated, 64);
          assert(free.responseText.startsWith(reply + reply), free.responseText);
          assert(
            (reply + reply + reply + reply).startsWith(
              free.responseText.slice(0, 3 * reply.length),
            ),
          );
          assertEquals(json.responseText, reply);
          assertEquals(json.stopReason, "eogToken");

          // Looping inside the command string keeps a grammar from closing it: cut at 64 tokens.
          const open = `{"command": "yes | head -n 3 # a b c d e f g h `;
          const [cut] = await run(
            `loop ${tokenizer} inside string`,
            (p) =>
              writeScriptedModel(p, open, { tokenizer, loop: true, loopFrom: open.indexOf("#") }),
            [{ grammar, maxTokens: 64 }],
            "64",
          );
          assertEquals(cut.stopReason, "maxTokens");
          assertEquals(cut.generated, 64);
          assert(cut.responseText.startsWith(`${open}# a b c d`), cut.responseText);
        });

        await t.step(`${tokenizer}: no template; auto-detected wrappers`, async () => {
          const [explicit, auto] = await run(
            `scripted ${tokenizer} no template`,
            (p) => writeScriptedModel(p, REPLIES.ls, { tokenizer, template: "none" }),
            [{ grammar }, { wrapper: "auto" }],
            "-",
            (model) => assertEquals(model.fileInfo.metadata.tokenizer.chat_template, undefined),
          );
          assertEquals(explicit.responseText, REPLIES.ls);
          assertEquals(auto.wrapper, "General");
          // The start rule only needs "the last token is not a reply token": any prompt format works.
          assertEquals(auto.responseText, REPLIES.ls);
        });

        await t.step(`${tokenizer}: random weights load and generate`, async () => {
          const [r, auto] = await run(
            `random ${tokenizer}`,
            (p) => writeRandomModel(p, { tokenizer }),
            [{ maxTokens: 16 }, { maxTokens: 4, wrapper: "auto" }],
            "16",
            (model) => assertEquals(model.fileInfo.metadata.general.architecture, "qwen2"),
          );
          assertEquals(r.generated, 16);
          assertEquals(r.stopReason, "maxTokens");
          assertEquals(auto.wrapper, "ChatML");
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
      const ms = (x: number) => Math.round(x);
      console.log(
        `getLlama: ${ms(getLlamaMs)} ms; whole test: ${ms(performance.now() - started)} ms`,
      );
      console.table(
        timings.map((r) => ({
          ...r,
          writeMs: ms(r.writeMs),
          loadMs: ms(r.loadMs),
          ctxMs: ms(r.ctxMs),
          genMs: ms(r.genMs),
        })),
      );
      started = 0;
    }
  },
});
