import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../../test/support/assert.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import {
  checkModelFile,
  DEFAULT_MODEL,
  modelCacheDir,
  modelHint,
  parseModelSpec,
  requireModelFile,
  resolveModel,
} from "./spec.ts";

const env = (map: Record<string, string>) => ({ get: (k: string) => map[k] });

Deno.test("cache dir: XDG_CACHE_HOME, else ~/.cache, ~/Library/Caches on macOS", () => {
  assertEquals(
    modelCacheDir(env({ XDG_CACHE_HOME: "/x/cache", HOME: "/h" }), "linux"),
    "/x/cache/cmdai/models",
  );
  assertEquals(modelCacheDir(env({ HOME: "/h" }), "linux"), "/h/.cache/cmdai/models");
  assertEquals(modelCacheDir(env({ HOME: "/h" }), "darwin"), "/h/Library/Caches/cmdai/models");
  assertEquals(
    modelCacheDir(env({ HOME: "/h", XDG_CACHE_HOME: "/x" }), "darwin"),
    "/x/cmdai/models",
  );
  // A relative XDG_CACHE_HOME is invalid per the spec and ignored.
  assertEquals(
    modelCacheDir(env({ HOME: "/h", XDG_CACHE_HOME: "rel" }), "linux"),
    "/h/.cache/cmdai/models",
  );
  assertThrows(() => modelCacheDir(env({}), "linux"), CmdaiError);
});

Deno.test("model spec: paths become absolute, hf: specs are split and validated", () => {
  assertEquals(parseModelSpec("m.gguf", "/work"), { kind: "path", path: "/work/m.gguf" });
  assertEquals(parseModelSpec("/abs/m.gguf", "/work"), { kind: "path", path: "/abs/m.gguf" });
  assertEquals(parseModelSpec("hf:Qwen/Repo-GGUF/q4.gguf"), {
    kind: "hf",
    repo: "Qwen/Repo-GGUF",
    file: "q4.gguf",
  });
  assertEquals(parseModelSpec("hf:o/r/sub/dir/m.GGUF"), {
    kind: "hf",
    repo: "o/r",
    file: "sub/dir/m.GGUF",
  });
  for (
    const bad of [
      "",
      "  ",
      "hf:",
      "hf:o/r",
      "hf:o/r/",
      "hf:o/r/m.bin",
      "hf:o//m.gguf",
      "hf:../r/m.gguf",
      "hf:o/r/../../m.gguf",
      "hf:o/r/a//m.gguf",
      "hf:o/r/./m.gguf",
      "hf:o w/r/m.gguf",
      "hf:o/r/a\\..\\m.gguf",
      "hf:o/r/a\nb.gguf",
    ]
  ) {
    const e = assertThrows(() => parseModelSpec(bad), CmdaiError) as CmdaiError;
    assertEquals(e.code, ExitCode.usage, bad);
    assert(!e.message.includes("\n"), "one line");
  }
});

Deno.test("resolution: --model beats CMDAI_MODEL beats the default", () => {
  const base = { HOME: "/h" };
  const d = resolveModel({ env: env(base), os: "linux" });
  assertEquals(d, {
    kind: "hf",
    repo: DEFAULT_MODEL.repo,
    file: DEFAULT_MODEL.file,
    cachedPath: `/h/.cache/cmdai/models/${DEFAULT_MODEL.repo}/${DEFAULT_MODEL.file}`,
    source: "default",
  });
  const e = resolveModel({ env: env({ ...base, CMDAI_MODEL: "/m/env.gguf" }), os: "linux" });
  assertEquals(e, { kind: "path", path: "/m/env.gguf", source: "env" });
  const f = resolveModel({
    flag: "hf:a/b/c.gguf",
    env: env({ ...base, CMDAI_MODEL: "/m/env.gguf" }),
    os: "linux",
  });
  assertEquals(f, {
    kind: "hf",
    repo: "a/b",
    file: "c.gguf",
    cachedPath: "/h/.cache/cmdai/models/a/b/c.gguf",
    source: "flag",
  });
  // An empty CMDAI_MODEL counts as unset.
  assertEquals(resolveModel({ env: env({ ...base, CMDAI_MODEL: "" }) }).source, "default");
  const bad = assertThrows(
    () => resolveModel({ env: env({ ...base, CMDAI_MODEL: "hf:nope" }) }),
    CmdaiError,
  );
  assertStringIncludes(bad.message, "CMDAI_MODEL");
});

Deno.test("resolution reads CMDAI_MODEL at every call", () => {
  const vars: Record<string, string> = { HOME: "/h", CMDAI_MODEL: "/a.gguf" };
  const live = { get: (k: string) => vars[k] };
  assertEquals(resolveModel({ env: live }).kind === "path", true);
  vars.CMDAI_MODEL = "hf:x/y/z.gguf";
  assertEquals(resolveModel({ env: live }).kind, "hf");
});

Deno.test("hints name the pull command, with the spec unless it is the default", () => {
  const d = resolveModel({ env: env({ HOME: "/h" }) });
  assertEquals(modelHint(d), "run `cmdai model pull`");
  const o = resolveModel({ env: env({ HOME: "/h", CMDAI_MODEL: "hf:o/r/m.gguf" }) });
  assertEquals(modelHint(o), "run `cmdai model pull hf:o/r/m.gguf`");
  assertStringIncludes(modelHint(resolveModel({ flag: "/x.gguf", env: env({}) })), "--model");
});

Deno.test("checkModelFile: missing, unreadable, directory, short and non-GGUF files fail", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const good = `${dir}/good.gguf`;
    await Deno.writeFile(good, new Uint8Array([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0]));
    await checkModelFile(good);

    const cases: Record<string, string> = {
      [`${dir}/missing.gguf`]: "not found",
      [dir]: "not a file",
      [`${dir}/short.gguf`]: "not a GGUF",
      [`${dir}/html.gguf`]: "not a GGUF",
    };
    await Deno.writeFile(`${dir}/short.gguf`, new Uint8Array([0x47, 0x47]));
    await Deno.writeTextFile(`${dir}/html.gguf`, "<html>Access denied</html>");
    for (const [path, what] of Object.entries(cases)) {
      const e = await assertRejects(() => checkModelFile(path, "do X"), CmdaiError) as CmdaiError;
      assertEquals(e.code, ExitCode.model, path);
      assertStringIncludes(e.message, what);
      assertStringIncludes(e.message, path);
      assertStringIncludes(e.message, "do X");
      assert(!e.message.includes("\n"));
    }
    // Permission bits do not stop root; only check unreadability as another user.
    if (Deno.uid() !== 0) {
      const locked = `${dir}/locked.gguf`;
      await Deno.writeFile(locked, new Uint8Array([0x47, 0x47, 0x55, 0x46]));
      await Deno.chmod(locked, 0o000);
      const e = await assertRejects(() => checkModelFile(locked), CmdaiError);
      assertStringIncludes(e.message, "not readable");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("requireModelFile: a missing default model says to run cmdai model pull", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const model = resolveModel({ env: env({ XDG_CACHE_HOME: dir }) });
    const e = await assertRejects(() => requireModelFile(model), CmdaiError) as CmdaiError;
    assertEquals(e.code, ExitCode.model);
    assertStringIncludes(e.message, "`cmdai model pull`");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
