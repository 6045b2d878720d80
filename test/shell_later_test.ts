// The command reaches the line as soon as its line is whole, in real zsh and fish through tmux;
// its explanation follows. bash cannot be told anything once a key's function has returned: there
// the two come together, once the reply is whole. A local server speaking the OpenAI protocol
// streams the reply slowly (the explanation a piece at a time), so the order is seen, and whatever
// the user does while the explanation is pending can be checked to stop it: the stream is closed
// at once.
import { join } from "node:path";
import { assert, assertStringIncludes } from "./support/assert.ts";
import type { LlmServer } from "./support/llm_server.ts";
import { PROMPT, shellWithLlm } from "./support/shell_llm.ts";
import { type ShellName, type ShellSession, shellTest } from "./support/tmux.ts";

const EXPLANATION = "Create the file ran.txt, taking its time about saying so";
const REPLY = `touch ran.txt\n# ${EXPLANATION}`;
/** Characters a streamed piece; the command and its `#` come in the first three pieces. */
const CHUNK = 6;

/** A slow server, and a shell whose cmdai asks it (in-process, or through the resident server). */
function setUp(shell: ShellName, opts: { delayMs: number; server?: boolean; prompt?: string }) {
  const behaviour = { reply: REPLY, chunkChars: CHUNK, chunkDelayMs: opts.delayMs };
  return shellWithLlm(shell, behaviour, { server: opts.server, fishPrompt: opts.prompt });
}

/** The pieces a whole reply takes (the stream's first line, the reply, its end). */
const WHOLE = Math.ceil(REPLY.length / CHUNK);

/** Waits until the command is on the line; asserts its explanation has not come yet. */
async function placed(t: { sh: ShellSession; llm: LlmServer }, shell: ShellName) {
  const screen = await t.sh.waitFor(`${PROMPT[shell]} touch ran.txt`);
  assert(!screen.includes(EXPLANATION), `the explanation came with the command:\n${screen}`);
  const pieces = t.llm.requests.filter((r) => r.method === "POST").at(-1)!.pieces;
  assert(pieces < WHOLE, `the whole reply was streamed already (${pieces} pieces)`);
}

/** A first request, whole, and a clean screen: the resident server runs, with the model loaded. */
async function warmUp(sh: ShellSession, shell: ShellName) {
  await sh.type("warm it up");
  await sh.press("C-g");
  await sh.waitFor(`cmdai: ${EXPLANATION}`, 20_000);
  await sh.press("C-u");
  await sh.press("C-l");
  await sh.waitFor((s) => s.trim() === PROMPT[shell]);
}

/** The first request's stream stops growing: the client closed it, the server stopped writing. */
async function streamStopped(llm: LlmServer, delayMs: number) {
  const first = () => llm.requests.find((r) => r.method === "POST")!.pieces;
  const deadline = Date.now() + 10 * delayMs;
  let last = -1;
  while (last !== first()) {
    last = first();
    await new Promise((r) => setTimeout(r, 3 * delayMs));
    assert(Date.now() < deadline, "the stream went on");
  }
  assert(last < WHOLE, `the whole reply was streamed (${last} pieces)`);
}

for (const shell of ["zsh", "fish"] as const) {
  for (const server of [false, true]) {
    const via = server ? " (through the resident server)" : "";
    shellTest(
      shell,
      `the command is on the line first; its explanation follows${via}`,
      async () => {
        await using t = await setUp(shell, { delayMs: 150, server });
        // The first press starts the server; the second asks it over its socket (zsh itself,
        // fish through its perl client).
        if (server) await warmUp(t.sh, shell);
        await t.sh.type("create the file ran.txt");
        await t.sh.press("C-g");
        await placed(t, shell);
        await t.sh.waitFor(`cmdai: ${EXPLANATION}`, 20_000);
        // Nothing ran; the line is the command, as placed.
        await t.sh.press("C-e");
        assert(!(await exists(join(t.sh.dir, "ran.txt"))));
      },
    );
  }

  shellTest(
    shell,
    "Enter while the explanation is pending runs the command and stops it",
    async () => {
      const delayMs = 250;
      await using t = await setUp(shell, { delayMs });
      await t.sh.type("create the file ran.txt");
      await t.sh.press("C-g");
      await placed(t, shell);
      await t.sh.press("Enter");
      await waitForFile(join(t.sh.dir, "ran.txt"));
      await streamStopped(t.llm, delayMs);
      // No late message lands on the new prompt.
      await new Promise((r) => setTimeout(r, 2 * delayMs));
      assert(!(await t.sh.screen()).includes(EXPLANATION), await t.sh.screen());
    },
  );

  shellTest(shell, "an edit, Ctrl-C or another Ctrl-G while it is pending stops it", async () => {
    const delayMs = 250;
    for (const keys of [["C-c"], ["C-g"], ...(shell === "zsh" ? [["End", " -v"]] : [])]) {
      await using t = await setUp(shell, { delayMs });
      await t.sh.type("create the file ran.txt");
      await t.sh.press("C-g");
      await placed(t, shell);
      if (keys[0] === " -v") await t.sh.type(keys[0]);
      else await t.sh.press(keys[0]);
      if (keys[1]) await t.sh.type(keys[1]);
      await streamStopped(t.llm, delayMs);
      if (keys[0] === "C-g") {
        // Asked again: another command for the same request, on its own stream.
        await t.sh.waitFor(/cmdai: no different command|cmdai: [A-Z]/, 20_000);
      }
      assert(!(await t.sh.screen()).includes(`cmdai: ${EXPLANATION}`), await t.sh.screen());
      assert(!(await exists(join(t.sh.dir, "ran.txt"))), "nothing runs");
    }
  });
}

shellTest(
  "fish",
  "an explanation that comes while the widget ends shows under the new line",
  async () => {
    // A slow prompt (the widget runs it to measure the line) keeps the widget busy after the
    // command is placed: the explanation's signal comes meanwhile, and must wait for fish to redraw.
    await using t = await setUp("fish", {
      delayMs: 30,
      prompt: "sleep 1; printf 'one\\nfish> '",
    });
    // A request of two lines, replaced by a command of one: the screen changes under the widget.
    await t.sh.type("create the file \\");
    await t.sh.press("Enter");
    await t.sh.type("ran.txt");
    await t.sh.waitFor((s) => s.endsWith("ran.txt"));
    await t.sh.press("C-g");
    const screen = await t.sh.waitFor(
      (s) => s.includes(`cmdai: ${EXPLANATION}`) && s.endsWith("fish> touch ran.txt"),
      20_000,
    );
    const rows = screen.split("\n");
    assert(rows.at(-3) === `cmdai: ${EXPLANATION}` && rows.at(-2) === "one", screen);
  },
);

for (const server of [false, true]) {
  const via = server ? " (through the resident server)" : "";
  shellTest(
    "bash",
    `the command comes with its explanation, once the reply is whole${via}`,
    async () => {
      await using t = await setUp("bash", { delayMs: 100, server });
      // The first press starts the server; the second asks it through the perl client.
      if (server) await warmUp(t.sh, "bash");
      await t.sh.type("create the file ran.txt");
      await t.sh.press("C-g");
      const screen = await t.sh.waitFor("bash> touch ran.txt", 20_000);
      assertStringIncludes(screen, `cmdai: ${EXPLANATION}\nbash> touch ran.txt`);
      const pieces = t.llm.requests.filter((r) => r.method === "POST").at(-1)!.pieces;
      assert(pieces >= WHOLE, `placed after ${pieces} of ${WHOLE} pieces`);
      assert(!(await exists(join(t.sh.dir, "ran.txt"))));
    },
  );
}

shellTest("bash", "a line typed ahead with Enter while a slow model works never runs", async () => {
  await using t = await setUp("bash", { delayMs: 100 });
  await t.sh.type("create the file ran.txt");
  await t.sh.press("C-g");
  await t.sh.waitFor("cmdai: thinking...");
  await t.sh.type("echo typed > typed.txt");
  await t.sh.press("Enter");
  // The message, and the line bash draws again under it.
  await t.sh.waitFor(
    (s) =>
      s.includes("keys typed while cmdai worked were ignored") && s.endsWith("bash> touch ran.txt"),
    20_000,
  );
  // The line is the command, as placed: Enter now runs it, and only it.
  await t.sh.press("Enter");
  await waitForFile(join(t.sh.dir, "ran.txt"));
  assert(!(await exists(join(t.sh.dir, "typed.txt"))), "the line typed ahead ran");
});

shellTest("bash", "Ctrl-C while a slow model works: the line stays, the stream stops", async () => {
  const delayMs = 250;
  await using t = await setUp("bash", { delayMs });
  await t.sh.type("create the file ran.txt");
  await t.sh.press("C-g");
  await t.sh.waitFor("cmdai: thinking...");
  while (!t.llm.requests.some((r) => r.method === "POST" && r.pieces > 0)) {
    await new Promise((r) => setTimeout(r, 30));
  }
  await t.sh.press("C-c");
  await t.sh.waitFor(
    (s) => s.includes("cmdai: cancelled") && s.endsWith("bash> create the file ran.txt"),
    5_000,
  );
  await streamStopped(t.llm, delayMs);
});

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

async function waitForFile(path: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await exists(path))) {
    assert(Date.now() < deadline, `${path} never written`);
    await new Promise((r) => setTimeout(r, 30));
  }
}
