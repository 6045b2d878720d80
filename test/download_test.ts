/**
 * The model download against a local server that answers like the Hugging
 * Face hub (test/support/hub_server.ts): real HTTP, real files, no network.
 */

import { assert, assertEquals, assertRejects, assertStringIncludes } from "./support/assert.ts";
import { type HubFile, type HubServer, startHubServer } from "./support/hub_server.ts";
import { pullModel, type PullOptions } from "../src/models/download.ts";
import { CmdaiError, ExitCode } from "../src/errors.ts";
import { pullWithProgress, runModelCommand } from "../src/commands/model.ts";
import { detachedIO } from "../src/io.ts";
import { DEFAULT_MODEL } from "../src/models/spec.ts";
import { exists } from "../src/fs.ts";

const REPO = "test-org/tiny-GGUF";
const FILE = "tiny-q4.gguf";
const TOKEN = "hf_testtoken123";

/** Deterministic pseudo-random bytes that start like a GGUF file. */
function fakeModel(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  bytes.set([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0]);
  return bytes;
}

const CONTENT = fakeModel(1024 * 1024 + 123);

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Runs `fn` with a fresh temp dir and a hub serving `files`; cleans both up. */
async function withHub(
  files: HubFile[],
  fn: (hub: HubServer, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cmdai-dl-" });
  const hub = startHubServer(files);
  try {
    await fn(hub, dir);
  } finally {
    await hub.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const tiny: HubFile[] = [{ repo: REPO, path: FILE, content: CONTENT }];

function opts(hub: HubServer, dir: string, extra: Partial<PullOptions> = {}): PullOptions {
  return { repo: REPO, file: FILE, dest: `${dir}/m/${FILE}`, endpoint: hub.url, ...extra };
}

/** Data requests: those for the file's bytes, not the one-byte metadata probe. */
function dataRequests(hub: HubServer) {
  return hub.requests.filter((r) => r.path.startsWith("/cdn/") && r.headers.range !== "bytes=0-0");
}

Deno.test("full download: verified, renamed into place, then served from disk", async () => {
  await withHub(tiny, async (hub, dir) => {
    const seen: [number, number][] = [];
    const o = opts(hub, dir, { onProgress: (r, t) => seen.push([r, t]) });
    const result = await pullModel(o);
    assertEquals(result.path, o.dest);
    assertEquals(result.size, CONTENT.length);
    assertEquals(result.sha256, hub.sha256(CONTENT));
    assertEquals(result.downloaded, CONTENT.length);
    assert(equalBytes(await Deno.readFile(o.dest), CONTENT), "byte-identical");
    assert(!(await exists(`${o.dest}.part`)), "no .part left");
    // Progress starts at 0, only grows, and ends at the total.
    assertEquals(seen[0], [0, CONTENT.length]);
    assertEquals(seen[seen.length - 1], [CONTENT.length, CONTENT.length]);
    assert(seen.every(([r], i) => i === 0 || r >= seen[i - 1][0]));
    assert(seen.length > 2, "several progress updates");
    // The hub was asked for metadata and followed to the CDN.
    const paths = hub.requests.map((r) => `${r.method} ${r.path.replace(/\?.*/, "")}`);
    assert(paths.includes(`POST /api/models/${REPO}/paths-info/main`), paths.join("\n"));
    assert(paths.includes(`GET /${REPO}/resolve/main/${FILE}`), paths.join("\n"));
    assertEquals(dataRequests(hub).length, 1);
    assertEquals(dataRequests(hub)[0].headers.range, undefined);

    // Present now: no network at all.
    const before = hub.requests.length;
    const again = await pullModel(o);
    assertEquals(again.alreadyPresent, true);
    assertEquals(hub.requests.length, before);
  });
});

Deno.test("resume after a cut connection: Range request, byte-identical result", async () => {
  await withHub(tiny, async (hub, dir) => {
    const o = opts(hub, dir);
    hub.behaviour.cutAfter = 300_000;
    let sawFinal = false;
    const e = await assertRejects(
      () =>
        pullModel({
          ...o,
          onProgress: () => {
            sawFinal ||= Deno.statSync(`${dir}/m`).isDirectory && existsSync(o.dest);
          },
        }),
      CmdaiError,
    ) as CmdaiError;
    assertEquals(e.code, ExitCode.runtime);
    assert(!e.message.includes("\n"), "one line");
    assertStringIncludes(e.message, "again to resume");
    assert(!sawFinal, "nothing at the final name while downloading");
    assert(!(await exists(o.dest)), "nothing at the final name after the cut");
    const partSize = (await Deno.stat(`${o.dest}.part`)).size;
    assert(partSize > 0 && partSize <= 300_000, `part holds ${partSize} bytes`);

    const result = await pullModel({
      ...o,
      onProgress: () => {
        sawFinal ||= existsSync(o.dest);
      },
    });
    assert(!sawFinal, "nothing at the final name while resuming");
    assertEquals(result.resumed, partSize);
    assertEquals(result.downloaded, CONTENT.length - partSize);
    const data = dataRequests(hub);
    assertEquals(data.length, 2);
    assertEquals(data[1].headers.range, `bytes=${partSize}-${CONTENT.length - 1}`);
    assert(equalBytes(await Deno.readFile(o.dest), CONTENT), "byte-identical after resume");
    assert(!(await exists(`${o.dest}.part`)));
  });
});

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("a Xet-backed file (most of the hub today) is fetched over plain HTTP", async () => {
  await withHub([{ repo: REPO, path: FILE, content: CONTENT, xet: true }], async (hub, dir) => {
    const o = opts(hub, dir);
    hub.behaviour.cutAfter = 250_000;
    await assertRejects(() => pullModel(o), CmdaiError);
    const partSize = (await Deno.stat(`${o.dest}.part`)).size;
    await pullModel(o);
    assert(equalBytes(await Deno.readFile(o.dest), CONTENT));
    // No Xet route was touched; the bytes came through the resolve redirect,
    // with the Range header kept across it.
    assert(!hub.requests.some((r) => r.path.includes("xet") || r.path.startsWith("/cas")));
    const resolves = hub.requests.filter((r) => r.path === `/${REPO}/resolve/main/${FILE}`);
    assertEquals(resolves.map((r) => r.headers.range), [
      "bytes=0-0",
      undefined,
      "bytes=0-0",
      `bytes=${partSize}-${CONTENT.length - 1}`,
    ]);
    assertEquals(dataRequests(hub)[1].headers.range, `bytes=${partSize}-${CONTENT.length - 1}`);
  });
});

Deno.test("a server that ignores Range restarts the .part instead of appending", async () => {
  await withHub(tiny, async (hub, dir) => {
    const o = opts(hub, dir);
    hub.behaviour.cutAfter = 200_000;
    await assertRejects(() => pullModel(o), CmdaiError);
    hub.behaviour.ignoreRange = true;
    const result = await pullModel(o);
    assertEquals(result.resumed, 0);
    assert(equalBytes(await Deno.readFile(o.dest), CONTENT));
  });
});

Deno.test("checksum mismatch: .part deleted, nothing at the final name", async () => {
  await withHub(tiny, async (hub, dir) => {
    const o = opts(hub, dir);
    hub.behaviour.corrupt = true;
    const e = await assertRejects(() => pullModel(o), CmdaiError) as CmdaiError;
    assertEquals(e.code, ExitCode.runtime);
    assertStringIncludes(e.message, "checksum mismatch");
    assertStringIncludes(e.message, hub.sha256(CONTENT));
    assert(!e.message.includes("\n"));
    assert(!(await exists(o.dest)), "no final file");
    assert(!(await exists(`${o.dest}.part`)), ".part deleted");
  });
});

Deno.test("a corrupt .part from an earlier run is caught on resume", async () => {
  await withHub(tiny, async (hub, dir) => {
    const o = opts(hub, dir);
    await Deno.mkdir(`${dir}/m`);
    const wrong = CONTENT.slice(0, 5000);
    wrong[4000] ^= 1;
    await Deno.writeFile(`${o.dest}.part`, wrong);
    const e = await assertRejects(() => pullModel(o), CmdaiError);
    assertStringIncludes(e.message, "checksum mismatch");
    assert(!(await exists(`${o.dest}.part`)) && !(await exists(o.dest)));
    // The next pull starts over and succeeds.
    await pullModel(o);
    assert(equalBytes(await Deno.readFile(o.dest), CONTENT));
  });
});

Deno.test("missing file or repository: one-line 'not found', nothing written", async () => {
  await withHub(tiny, async (hub, dir) => {
    for (const [repo, file] of [[REPO, "nope.gguf"], ["test-org/nothing", FILE]]) {
      const o = { ...opts(hub, dir), repo, file };
      const e = await assertRejects(() => pullModel(o), CmdaiError) as CmdaiError;
      assertEquals(e.code, ExitCode.runtime);
      assertStringIncludes(e.message, `not found on ${hub.url}: hf:${repo}/${file}`);
      assert(!e.message.includes("\n"));
      assert(!(await exists(`${dir}/m`)), "no directory or .part created");
    }
  });
});

Deno.test("HF_TOKEN is sent as Authorization; without it the hub refuses", async () => {
  await withHub(tiny, async (hub, dir) => {
    hub.behaviour.token = TOKEN;
    const io = detachedIO();
    const dest = `${dir}/m/${FILE}`;
    const model = { repo: REPO, file: FILE };
    const e = await assertRejects(
      () => pullWithProgress(model, { dest, io, env: envOf({ HF_ENDPOINT: hub.url }) }),
      CmdaiError,
    );
    assertStringIncludes(e.message, "HTTP 401");
    assertStringIncludes(e.message, "HF_TOKEN");
    hub.requests.length = 0;
    await pullWithProgress(model, {
      dest,
      io,
      env: envOf({ HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN }),
    });
    assert(equalBytes(await Deno.readFile(dest), CONTENT));
    const hubRoutes = hub.requests.filter((r) => !r.path.startsWith("/cdn/"));
    assert(hubRoutes.length >= 2);
    for (const r of hubRoutes) assertEquals(r.headers.authorization, `Bearer ${TOKEN}`, r.path);
  });
});

Deno.test("Ctrl-C (abort) stops cleanly, keeps the .part, and the next pull resumes", async () => {
  await withHub(tiny, async (hub, dir) => {
    hub.behaviour.chunkSize = 16 * 1024;
    const o = opts(hub, dir);
    const controller = new AbortController();
    const e = await assertRejects(
      () =>
        pullModel({
          ...o,
          signal: controller.signal,
          onProgress: (r) => {
            if (r > 100_000) controller.abort();
          },
        }),
      CmdaiError,
    ) as CmdaiError;
    assertEquals(e.code, ExitCode.interrupted);
    assert(!(await exists(o.dest)));
    const partSize = (await Deno.stat(`${o.dest}.part`)).size;
    assert(partSize > 100_000 && partSize < CONTENT.length, `part ${partSize}`);
    const result = await pullModel(o);
    assertEquals(result.resumed, partSize);
    assert(equalBytes(await Deno.readFile(o.dest), CONTENT));
  });
});

Deno.test("Ctrl-C while the server sends nothing still stops at once", async () => {
  await withHub(tiny, async (hub, dir) => {
    hub.behaviour.chunkDelayMs = 20_000;
    const controller = new AbortController();
    const started = Date.now();
    const timer = setTimeout(() => controller.abort(), 300);
    try {
      const e = await assertRejects(
        () => pullModel(opts(hub, dir, { signal: controller.signal })),
        CmdaiError,
      ) as CmdaiError;
      assertEquals(e.code, ExitCode.interrupted);
    } finally {
      clearTimeout(timer);
    }
    assert(Date.now() - started < 5_000, "aborted promptly");
    assert(!(await exists(`${dir}/m/${FILE}`)));
  });
});

Deno.test("hub errors and an unreachable endpoint are one-line runtime errors", async () => {
  await withHub(tiny, async (hub, dir) => {
    hub.behaviour.failStatus = 503;
    const e = await assertRejects(() => pullModel(opts(hub, dir)), CmdaiError) as CmdaiError;
    assertEquals(e.code, ExitCode.runtime);
    assertStringIncludes(e.message, "HTTP 503");
    assert(!e.message.includes("\n"));
    hub.behaviour.failStatus = undefined;

    // The data request fails after the metadata succeeded: the .part stays.
    hub.behaviour.cutAfter = 100_000;
    await assertRejects(() => pullModel(opts(hub, dir)), CmdaiError);
    const part = `${dir}/m/${FILE}.part`;
    const before = (await Deno.stat(part)).size;
    // The CDN starts failing with 500 while the metadata routes still work.
    hub.behaviour.failDataStatus = 500;
    const e2 = await assertRejects(() => pullModel(opts(hub, dir)), CmdaiError) as CmdaiError;
    assertStringIncludes(e2.message, "HTTP 500");
    assertStringIncludes(e2.message, "again to resume");
    assert(!e2.message.includes("\n"));
    hub.behaviour.failDataStatus = undefined;
    assertEquals((await Deno.stat(part)).size, before, ".part kept for resume");
  });

  // A port nothing listens on.
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const dir = await Deno.makeTempDir();
  try {
    const endpoint = `http://127.0.0.1:${port}`;
    const e = await assertRejects(
      () => pullModel({ repo: REPO, file: FILE, dest: `${dir}/x.gguf`, endpoint }),
      CmdaiError,
    ) as CmdaiError;
    assertEquals(e.code, ExitCode.runtime);
    assertStringIncludes(e.message, `cannot download hf:${REPO}/${FILE} from ${endpoint}`);
    assert(!e.message.includes("\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "disk full while writing: one-line error, nothing at the final name",
  ignore: !existsSync("/dev/full"),
  fn: async () => {
    await withHub(tiny, async (hub, dir) => {
      const o = opts(hub, dir);
      await Deno.mkdir(`${dir}/m`);
      // Writes to /dev/full fail with ENOSPC, like a full disk.
      await Deno.symlink("/dev/full", `${o.dest}.part`);
      const e = await assertRejects(() => pullModel(o), CmdaiError) as CmdaiError;
      assertEquals(e.code, ExitCode.runtime);
      assertStringIncludes(e.message, "cannot write");
      assertStringIncludes(e.message, "No space left on device");
      assert(!e.message.includes("\n"));
      assert(!(await exists(o.dest)));
    });
  },
});

Deno.test("a file stored without LFS is verified by its git blob id", async () => {
  const plain = fakeModel(70_000, 7);
  await withHub([{ repo: REPO, path: "sub/plain.gguf", content: plain, lfs: false }], async (
    hub,
    dir,
  ) => {
    const o = { ...opts(hub, dir), file: "sub/plain.gguf", dest: `${dir}/p.gguf` };
    const result = await pullModel(o);
    assertEquals(result.sha256, undefined);
    assert(equalBytes(await Deno.readFile(o.dest), plain));
    await Deno.remove(o.dest);
    hub.behaviour.corrupt = true;
    const e = await assertRejects(() => pullModel(o), CmdaiError);
    assertStringIncludes(e.message, "checksum mismatch");
  });
});

function envOf(vars: Record<string, string>) {
  return { get: (k: string) => vars[k] };
}

Deno.test("cmdai model pull/path/list through runModelCommand", async () => {
  await withHub([{ ...DEFAULT_MODEL, path: DEFAULT_MODEL.file, content: CONTENT }], async (
    hub,
    dir,
  ) => {
    const out: string[] = [], err: string[] = [];
    const io = detachedIO({ stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
    const env = envOf({ HF_ENDPOINT: hub.url, XDG_CACHE_HOME: dir, HOME: dir });
    const expected = `${dir}/cmdai/models/${DEFAULT_MODEL.repo}/${DEFAULT_MODEL.file}`;

    // Before: `path` prints where it would be and fails with exit 3.
    const missing = await assertRejects(() => runModelCommand(["path"], env, io), CmdaiError);
    assertEquals((missing as CmdaiError).code, ExitCode.model);
    assertStringIncludes(missing.message, "cmdai model pull");
    assertEquals(out.join(""), `${expected}\n`);
    out.length = 0;

    assertEquals(await runModelCommand(["pull"], env, io), 0);
    assertEquals(out.join(""), `${expected}\n`);
    assert(equalBytes(await Deno.readFile(expected), CONTENT));
    const log = err.join("");
    assertStringIncludes(log, `downloading hf:${DEFAULT_MODEL.repo}/${DEFAULT_MODEL.file}`);
    assertStringIncludes(log, "100% (1.0 MiB of 1.0 MiB");
    assertStringIncludes(log, "sha256 verified");
    assert(!log.includes("\r"), "plain lines when stderr is not a terminal");
    out.length = 0;

    assertEquals(await runModelCommand(["path"], env, io), 0);
    assertEquals(out.join(""), `${expected}\n`);
    out.length = 0;

    await Deno.mkdir(`${dir}/cmdai/models/o/r`, { recursive: true });
    await Deno.writeFile(`${dir}/cmdai/models/o/r/half.gguf.part`, new Uint8Array(2048));
    const withEnv = envOf({
      HF_ENDPOINT: hub.url,
      XDG_CACHE_HOME: dir,
      CMDAI_MODEL: "hf:o/r/half.gguf",
    });
    assertEquals(await runModelCommand(["list"], withEnv, io), 0);
    const listing = out.join("");
    assertStringIncludes(listing, `Models in ${dir}/cmdai/models (* in use):`);
    assert(
      new RegExp(`\n  hf:${DEFAULT_MODEL.repo}/${DEFAULT_MODEL.file} \\(default\\) +1\\.0 MiB\\n`)
        .test(listing),
      listing,
    );
    assert(
      /\n\* hf:o\/r\/half\.gguf +partial download, 2\.0 KiB \(cmdai model pull resumes it\)\n/
        .test(listing),
      listing,
    );
    assertStringIncludes(listing, "The model in use is set by CMDAI_MODEL.");
  });
});

/** Runs `cmdai` from source the way the launcher does, offline. */
function cmdai(args: string[], env: Record<string, string>): Deno.ChildProcess {
  return new Deno.Command(new URL("../bin/deno", import.meta.url).pathname, {
    args: ["run", "--cached-only", "-A", "src/main.ts", ...args],
    cwd: new URL("..", import.meta.url).pathname,
    env: { ...env, NO_COLOR: "1", CMDAI_SERVER: "0" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function finish(child: Deno.ChildProcess) {
  const { code, stdout, stderr } = await child.output();
  const dec = new TextDecoder();
  return { code, stdout: dec.decode(stdout), stderr: dec.decode(stderr) };
}

Deno.test("end to end: cmdai model pull against HF_ENDPOINT, cut, resume, Ctrl-C", async () => {
  await withHub(tiny, async (hub, dir) => {
    const env = { HF_ENDPOINT: hub.url, XDG_CACHE_HOME: dir, HOME: dir };
    const spec = `hf:${REPO}/${FILE}`;
    const dest = `${dir}/cmdai/models/${REPO}/${FILE}`;

    // A cut connection: exit 1, one message line, the .part kept.
    hub.behaviour.cutAfter = 400_000;
    const cut = await finish(cmdai(["model", "pull", spec], env));
    assertEquals(cut.code, ExitCode.runtime, cut.stderr);
    const lastLine = cut.stderr.trim().split("\n").pop()!;
    assertStringIncludes(lastLine, "cmdai: cannot download");
    assert(!cut.stderr.includes("    at "), "no stack trace");
    assert(!(await exists(dest)));
    const afterCut = (await Deno.stat(`${dest}.part`)).size;
    assert(afterCut > 0);

    // Ctrl-C on a slow link: exit 130, the .part kept and grown.
    hub.behaviour.chunkSize = 16 * 1024;
    hub.behaviour.chunkDelayMs = 30;
    const child = cmdai(["model", "pull", spec], env);
    const deadline = Date.now() + 20_000;
    while ((await Deno.stat(`${dest}.part`)).size <= afterCut + 32 * 1024) {
      if (Date.now() > deadline) throw new Error("the download never progressed");
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGINT");
    const stopped = await finish(child);
    assertEquals(stopped.code, ExitCode.interrupted, stopped.stderr);
    assertStringIncludes(stopped.stderr, "interrupted");
    assert(!(await exists(dest)));
    const afterInterrupt = (await Deno.stat(`${dest}.part`)).size;
    assert(afterInterrupt > afterCut && afterInterrupt < CONTENT.length);

    // The next pull resumes from the .part with a Range request.
    hub.behaviour.chunkDelayMs = 0;
    hub.requests.length = 0;
    const done = await finish(cmdai(["model", "pull", spec], env));
    assertEquals(done.code, 0, done.stderr);
    assertEquals(done.stdout, `${dest}\n`);
    assertStringIncludes(done.stderr, "resuming at");
    assertEquals(
      dataRequests(hub)[0].headers.range,
      `bytes=${afterInterrupt}-${CONTENT.length - 1}`,
    );
    assert(equalBytes(await Deno.readFile(dest), CONTENT));

    // `model path` with CMDAI_MODEL: the path and exit 0; a missing one: exit 3.
    const path = await finish(cmdai(["model", "path"], { ...env, CMDAI_MODEL: spec }));
    assertEquals([path.code, path.stdout], [0, `${dest}\n`]);
    const gone = await finish(cmdai(["model", "path"], { ...env, CMDAI_MODEL: `${dir}/x.gguf` }));
    assertEquals(gone.code, ExitCode.model);
    assertStringIncludes(gone.stderr, "model file not found");
  });
});
