import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../test/support/assert.ts";
import { MAX_OFFER_FILES, recallOffer, rememberOffer } from "./offers.ts";
import { runtimeDir } from "../runtime_dir.ts";
import { CmdaiError } from "../errors.ts";
import { join } from "node:path";

Deno.test("an offer is recalled for the same session and line only", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const ask = { request: "list files", offered: ["ls -la"] };
    await rememberOffer(dir, "zsh-1", "ls -la", ask);
    assertEquals(await recallOffer(dir, "zsh-1", "ls -la"), ask);
    assertEquals(await recallOffer(dir, "zsh-1", "ls -l"), undefined);
    assertEquals(await recallOffer(dir, "zsh-2", "ls -la"), undefined);
    // A record that is not ours reads as none.
    await Deno.writeTextFile(join(dir, "offer-zsh-1.json"), '{"version": 9}');
    assertEquals(await recallOffer(dir, "zsh-1", "ls -la"), undefined);
    await Deno.writeTextFile(join(dir, "offer-zsh-1.json"), "{not json");
    assertEquals(await recallOffer(dir, "zsh-1", "ls -la"), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the runtime directory is created 0700 and refused when open to others", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const env = { get: (k: string) => (k === "XDG_RUNTIME_DIR" ? tmp : undefined) };
    const dir = await runtimeDir(env);
    assertEquals(dir, join(tmp, "cmdai"));
    assertEquals((await Deno.stat(dir)).mode! & 0o777, 0o700);
    await Deno.chmod(dir, 0o755);
    assertStringIncludes(
      (await assertRejects(() => runtimeDir(env), CmdaiError)).message,
      "not a private directory",
    );
    // A link is refused even when it leads to a private directory.
    await Deno.remove(dir);
    await Deno.mkdir(join(tmp, "elsewhere"), { mode: 0o700 });
    await Deno.symlink(join(tmp, "elsewhere"), dir);
    assertStringIncludes(
      (await assertRejects(() => runtimeDir(env), CmdaiError)).message,
      "not a private directory",
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("offers do not pile up: one file per shell, the least recently used beyond the cap go", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const ask = { request: "list files", offered: ["ls -la"] };
    for (let i = 0; i < MAX_OFFER_FILES + 5; i++) {
      await rememberOffer(dir, `zsh-${i}`, "ls -la", ask);
      // Distinct times: the cap keeps the newest.
      const t = new Date(Date.now() - (MAX_OFFER_FILES + 5 - i) * 1000);
      await Deno.utime(join(dir, `offer-zsh-${i}.json`), t, t);
    }
    await rememberOffer(dir, "fish-1", "ls -la", ask);
    const left = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
    assertEquals(left.length, MAX_OFFER_FILES);
    assert(left.includes("offer-fish-1.json") && !left.includes("offer-zsh-0.json"), left.join());
    // A further press in a known shell replaces its file: no new one.
    await rememberOffer(dir, "fish-1", "ls", ask);
    assertEquals((await Array.fromAsync(Deno.readDir(dir))).length, MAX_OFFER_FILES);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
