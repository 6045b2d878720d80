import { join } from "node:path";
import { assertEquals } from "../../test/support/assert.ts";
import type { Backend } from "../backends/backend.ts";
import { createModelPool, MAX_MODELS } from "./models.ts";

/** Model files of `sizes` bytes; what the pool loads and unloads is recorded, not run. */
async function setup(sizes: number[], budget: number) {
  const dir = await Deno.makeTempDir();
  const paths = sizes.map((_, i) => join(dir, `m${i}.gguf`));
  for (const [i, p] of paths.entries()) await Deno.writeFile(p, new Uint8Array(sizes[i]));
  const events: string[] = [];
  const pool = createModelPool({
    log: () => {},
    budget,
    load: (path) => {
      events.push(`load ${path.slice(dir.length + 1)}`);
      return Promise.resolve(
        {
          kind: "embedded",
          model: path,
          gpu: "cpu",
          generate: () => Promise.reject(new Error("not here")),
          dispose: () => {
            events.push(`unload ${path.slice(dir.length + 1)}`);
            return Promise.resolve();
          },
        } satisfies Backend,
      );
    },
  });
  return {
    dir,
    paths,
    events,
    pool,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

const opts = { threads: 1 };

Deno.test("model pool: models stay loaded within the budget; the least recently used goes first", async () => {
  await using t = await setup([40, 40, 40], 100);
  const [a, b, c] = t.paths;
  await t.pool.get(a, opts);
  await t.pool.get(b, opts);
  await t.pool.get(a, opts); // a is now the more recent
  assertEquals(t.events, ["load m0.gguf", "load m1.gguf"]);
  await t.pool.get(c, opts); // 120 bytes would pass 100: b, the least recent, goes
  assertEquals(t.events.slice(2), ["unload m1.gguf", "load m2.gguf"]);
  assertEquals(t.pool.paths(), [c, a]);
  await t.pool.dispose();
  assertEquals(t.events.slice(4).sort(), ["unload m0.gguf", "unload m2.gguf"]);
});

Deno.test("model pool: one model always loads; a changed file is loaded again; at most MAX_MODELS", async () => {
  await using t = await setup([10, 500, 10, 10, 10], 1000);
  const [small, big] = t.paths;
  await t.pool.get(small, opts);
  await t.pool.get(big, opts);
  assertEquals(t.pool.paths(), [big, small]);
  // A model bigger than the budget still loads, alone.
  await using huge = await setup([2000], 1000);
  await huge.pool.get(huge.paths[0], opts);
  assertEquals(huge.pool.paths(), [huge.paths[0]]);
  // The same path with new contents: the old one is unloaded first.
  await Deno.writeFile(small, new Uint8Array(11));
  await t.pool.get(small, opts);
  assertEquals(t.events.slice(-2), ["unload m0.gguf", "load m0.gguf"]);
  for (const p of t.paths.slice(2)) await t.pool.get(p, opts);
  assertEquals(t.pool.paths().length, MAX_MODELS);
});
