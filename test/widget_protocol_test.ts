// The shells' own request builders (zsh's, and the perl client fish and bash use) against the
// server's schema: if they drift from it, every press would fall back to the slow path.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals } from "./support/assert.ts";
import { run } from "./support/run.ts";
import { tempDir } from "./support/temp.ts";
import { which } from "./support/tmux.ts";
import { ClientMessage, decode } from "../src/server/protocol.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CMDAI = join(ROOT, "bin", "cmdai");

/** A line with everything JSON must escape, and what a shell line may hold. */
const LINE = "find . -name \"*.log\" | xargs grep -l 'a\\tb' # für €\n# and $HOME `x`\t\x01";

Deno.test({
  name: "zsh's request builder: every kind and trigger validates against the server's schema",
  ignore: !which("zsh"),
  fn: async () => {
    const script = (await run(CMDAI, ["init", "zsh", "--no-bind"])).stdout;
    for (const [kind, trigger] of [["request", "key"], ["request", "enter"], ["explain", "key"]]) {
      const r = await run("zsh", [
        "-f",
        "-c",
        `eval "$1" 2>/dev/null; CMDAI_UNEXPORTED=1; recent=("$2" "git status"); ` +
        `known=(ll gco); _cmdai_request ${kind} ${trigger} "$2"; print -rn -- $REPLY`,
        "zsh",
        script,
        LINE,
      ], { env: { CMDAI_EXPORTED: "yes", ODD: 'a"b\\c\nd' } });
      const decoded = decode(ClientMessage, r.stdout);
      assert(decoded.ok, `${kind}/${trigger}: ${!decoded.ok && decoded.reason}: ${r.stdout}`);
      const m = decoded.message;
      assert(m.type === "request");
      assertEquals(m.args.kind, kind);
      assertEquals(m.args.kind === "request" ? m.args.request : m.args.command, LINE);
      if (m.args.kind === "request") {
        assertEquals(m.args.enter, trigger === "enter");
        assertEquals([m.args.recent, m.args.known], [[LINE, "git status"], ["ll", "gco"]]);
      }
      assertEquals([m.env.CMDAI_EXPORTED, m.env.ODD, m.env.CMDAI_UNEXPORTED], [
        "yes",
        'a"b\\c\nd',
        "1",
      ]);
    }
  },
});

/**
 * The perl client's text, and a socket listening where it looks for a warm server: the runtime
 * directory under the temporary directory, which it is told as XDG_RUNTIME_DIR.
 */
async function serverSocket() {
  const tmp = await tempDir();
  const dir = join(tmp.path, "cmdai");
  await Deno.mkdir(dir, { mode: 0o700 });
  const client = await Deno.readTextFile(join(ROOT, "shell", "cmdai-client.pl"));
  const listener = Deno.listen({ transport: "unix", path: join(dir, "server.sock") });
  return {
    tmp,
    client,
    listener,
    async [Symbol.asyncDispose]() {
      listener.close();
      await tmp[Symbol.asyncDispose]();
    },
  };
}

Deno.test({
  name: "the perl client: its request validates; it passes a whole frame on, nothing else",
  ignore: !which("perl"),
  fn: async () => {
    await using socket = await serverSocket();
    const { tmp, client, listener } = socket;
    // With no LATER file, the client waits for all: the frame, then what followed it (`=`).
    for (
      const [kind, reply, expected, printed] of [
        [
          "request",
          "0\0\0ls -la\0the line\0cmdai: later\0",
          0,
          "0\0\0ls -la\0the line\0=cmdai: later\0",
        ],
        [
          "request",
          "0\0cmdai: msg\0ls -la\0the line\0",
          0,
          "0\0cmdai: msg\0ls -la\0the line\0\0",
        ],
        ["explain", "0\0risk: safe\0\0\0", 0, "0\0risk: safe\0\0\0\0"],
        ["request", "5\0not placed\0\0\0", 0, "5\0not placed\0\0\0\0"],
        ["request", "0\0cut short", 1, ""],
      ] as const
    ) {
      const received = (async () => {
        const conn = await listener.accept();
        const reader = conn.readable.getReader();
        let text = "";
        while (!text.includes("\n")) {
          const { value, done } = await reader.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
        reader.releaseLock();
        await conn.write(new TextEncoder().encode(reply));
        conn.close();
        return text;
      })();
      const r = await run(
        "perl",
        [
          ...["-e", client, "--", kind, LINE, "key", "fish-1", "/some/dir", "fish", "", ""],
          ...["ll\ngco\n", "2", LINE, "git status", "--"],
        ],
        { env: { XDG_RUNTIME_DIR: tmp.path, CMDAI_SETTING: "x" } },
      );
      const decoded = decode(ClientMessage, (await received).trimEnd());
      assert(decoded.ok, `${kind}: ${!decoded.ok && decoded.reason}`);
      const m = decoded.message;
      assert(m.type === "request");
      assertEquals([m.args.kind, m.args.shell, m.cwd, m.env.CMDAI_SETTING], [
        kind,
        "fish",
        "/some/dir",
        "x",
      ]);
      assertEquals(m.args.kind === "request" ? m.args.request : m.args.command, LINE);
      if (m.args.kind === "request") {
        assertEquals([m.args.recent, m.args.known], [[LINE, "git status"], ["ll", "gco"]]);
      }
      assertEquals([r.code, r.stdout], [expected, printed], r.stderr);
    }
  },
});

Deno.test({
  name: "the perl client: a later explanation is written to its file, then the shell is signalled",
  ignore: !which("perl"),
  fn: async () => {
    await using socket = await serverSocket();
    const { tmp, client, listener } = socket;
    const signalled = Promise.withResolvers<void>();
    const onSignal = () => signalled.resolve();
    Deno.addSignalListener("SIGUSR1", onSignal);
    try {
      const serving = (async () => {
        const conn = await listener.accept();
        const enc = new TextEncoder();
        await conn.write(enc.encode("0\0\0ls -la\0the line\0"));
        // The explanation comes later: the client has handed the frame over long before.
        await new Promise((r) => setTimeout(r, 500));
        await conn.write(enc.encode("cmdai: List all files\0"));
        conn.close();
      })();
      const later = join(tmp.path, "later");
      const started = performance.now();
      const r = await run(
        "perl",
        [
          "-e",
          client,
          "--",
          "request",
          "list files",
          "key",
          "fish-1",
          "/",
          "fish",
          String(Deno.pid),
          later,
          "",
          "0",
          "--",
        ],
        { env: { XDG_RUNTIME_DIR: tmp.path } },
      );
      assert(performance.now() - started < 450, "the frame waited for the explanation");
      const [frame, child] = [r.stdout.split("\0").slice(0, 4), r.stdout.split("\0")[4]];
      assertEquals(frame, ["0", "", "ls -la", "the line"]);
      assert(/^\+\d+$/.test(child), r.stdout);
      // A timer keeps the test waiting: a signal listener alone does not.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        signalled.promise,
        new Promise((_, reject) => timer = setTimeout(() => reject(new Error("no SIGUSR1")), 5000)),
      ]);
      clearTimeout(timer);
      assertEquals(await Deno.readTextFile(later), "cmdai: List all files\0");
      assertEquals((await Deno.stat(later)).mode! & 0o777, 0o600);
      await serving;
    } finally {
      Deno.removeSignalListener("SIGUSR1", onSignal);
    }
  },
});
