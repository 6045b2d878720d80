// Decode steps per reply, as the embedded backend reports them, against the count that
// `deno task bench:steps` makes from the tokenizer alone (test/support/reply_cost.ts): one step
// per sampled token, none for the forced `#`, one for the end of the turn, and none for it when
// the reply stops at the command's line. Scripted models with the real Qwen2 tokenizer.
import { gatherContext } from "../src/answer/context.ts";
import { buildPrompt } from "../src/answer/prompt.ts";
import {
  COMMAND_ONLY_CONTRACT,
  parseReply,
  REPLY_CONTRACT,
  replyText,
} from "../src/answer/reply.ts";
import { loadModel } from "../src/backends/embedded.ts";
import { assert, assertEquals } from "./support/assert.ts";
import { scriptedModel } from "./support/gguf.ts";
import { type CountTokens, jsonCost, lineCost } from "./support/reply_cost.ts";
import { bpeTokenize } from "./support/vocab_bpe.ts";
import { loadQwen2Vocab } from "./support/vocab_qwen2.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const prompt = buildPrompt({ request: "find big files" }, gatherContext("zsh", "linux", "/tmp"));
// The prompt's own examples: the shortest and the longest (quotes, an escape, a pipeline).
const replies = prompt.turns.map((t) => parseReply(t.reply))
  .sort((a, b) => replyText(a).length - replyText(b).length)
  .filter((_, i, all) => i === 0 || i === all.length - 1);

async function qwen2Count(): Promise<CountTokens> {
  const { bpe } = await loadQwen2Vocab();
  return (text) => bpeTokenize(bpe, text).length;
}

for (const reply of replies) {
  Deno.test({
    name: `decode steps of ${JSON.stringify(reply.command)}: one per sampled token`,
    ...opts,
    fn: async () => {
      const count = await qwen2Count();
      const text = replyText(reply);
      const backend = await loadModel(await scriptedModel(text, { tokenizer: "qwen2" }), {
        threads: 1,
      });
      try {
        const whole = await backend.generate(prompt, { maxTokens: 256, contract: REPLY_CONTRACT });
        assertEquals(whole.text, text);
        const cost = lineCost(reply, count);
        assertEquals([whole.outputTokens, whole.decodeSteps], [cost.sampled, cost.steps]);
        // The forced `#` is in the text but was never sampled.
        assertEquals(count(whole.text), cost.tokens);
        assert(cost.tokens === cost.sampled + 1, `${cost.tokens} tokens, ${cost.sampled} sampled`);

        const line = await backend.generate(prompt, {
          maxTokens: 256,
          contract: COMMAND_ONLY_CONTRACT,
        });
        assertEquals(line.text, `${reply.command}\n`);
        const short = lineCost(reply, count, false);
        assertEquals([line.outputTokens, line.decodeSteps], [short.sampled, short.steps]);
        // What the bench compares it with: the JSON form costs more steps.
        assert(cost.steps < jsonCost(reply, count).steps, "fewer steps than the JSON form");
      } finally {
        await backend.dispose();
      }
    },
  });
}
