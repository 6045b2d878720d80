// What real zsh and fish tell cmdai, through tmux: their latest history entries reach the model as
// context (CMDAI_HISTORY, read at each press, picks how many; 0 sends none), and their aliases and
// functions count as installed. A loopback server speaking the OpenAI protocol records what the
// model is sent; each shell is tried asking cmdai itself and through the resident server (zsh
// over its socket, fish through its perl client).
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertStringIncludes } from "./support/assert.ts";
import { type LlmServer, startLlmServer, TEST_MODEL } from "./support/llm_server.ts";
import { type ShellName, type ShellSession, shellTest, startShell } from "./support/tmux.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin");
const BASE_PATH = Deno.env.get("PATH") ?? "/usr/bin:/bin";
const PROMPT: Record<ShellName, string> = { zsh: "zsh>", fish: "fish>" };

/** The shell's rc: a prompt, cmdai, an alias and a function of the user's. */
const RC: Record<ShellName, string> = {
  zsh: `PS1='zsh> '\nsetopt interactive_comments\nalias ll='ls -l'\nmyfn() { :; }\n` +
    `eval "$(${BIN}/cmdai init zsh)"\n`,
  fish: `set -g fish_greeting\nfunction fish_prompt; printf 'fish> '; end\n` +
    `set -g fish_autosuggestion_enabled 0\nalias ll 'ls -l'\nfunction myfn; end\n` +
    `${BIN}/cmdai init fish | source\n`,
};

async function setUp(shell: ShellName, server: boolean, reply: string) {
  const llm = startLlmServer({ reply });
  const sh = await startShell(shell, {
    rc: RC[shell],
    env: {
      PATH: `${BIN}:${BASE_PATH}`,
      CMDAI_BACKEND: "openai",
      CMDAI_URL: llm.url,
      CMDAI_REMOTE_MODEL: TEST_MODEL,
      CMDAI_SERVER: server ? "" : "0",
    },
  });
  await sh.waitFor((s) => s.endsWith(PROMPT[shell]));
  return {
    sh,
    llm,
    async [Symbol.asyncDispose]() {
      if (server) {
        await new Deno.Command(join(BIN, "cmdai"), {
          args: ["serve", "--stop"],
          env: { TMPDIR: sh.dir, XDG_RUNTIME_DIR: "" },
          stdout: "null",
          stderr: "null",
        }).output();
      }
      await sh.close();
      await llm.close();
    },
  };
}

/** The user's turn of the latest request the model got. */
function lastTurn(llm: LlmServer): string {
  const body = llm.requests.filter((r) => r.method === "POST").at(-1)?.body;
  const messages = (body?.messages ?? []) as { content: string }[];
  return messages.at(-1)?.content ?? "";
}

/** Runs `line` in the shell and waits for its prompt to come back after `output`. */
async function runLine(sh: ShellSession, shell: ShellName, line: string, output: string) {
  await sh.type(line);
  await sh.press("Enter");
  await sh.waitFor((s) => s.includes(output) && s.trimEnd().endsWith(PROMPT[shell]));
}

/** Types a request, presses the key and waits for the command on the line. */
async function ask(t: { sh: ShellSession; llm: LlmServer }, shell: ShellName, request: string) {
  const before = t.llm.requests.length;
  await t.sh.type(request);
  await t.sh.press("C-g");
  await t.sh.waitFor(`${PROMPT[shell]} ls -la`, 20_000);
  assert(t.llm.requests.length > before, "no request reached the server");
  await t.sh.press("C-u");
}

for (const shell of ["zsh", "fish"] as const) {
  for (const server of [false, true]) {
    const via = server ? " (through the resident server)" : "";
    shellTest(shell, `the latest history entries reach the model as context${via}`, async () => {
      await using t = await setUp(shell, server, "ls -la\n# List the files");
      await runLine(t.sh, shell, "echo first-marker", "\nfirst-marker");
      await runLine(t.sh, shell, "echo second-marker", "\nsecond-marker");
      await ask(t, shell, "list what I just made");
      const turn = lastTurn(t.llm);
      assertStringIncludes(
        turn,
        "Recent commands (context, not the request):\n$ echo first-marker\n$ echo second-marker\n",
      );
      assertStringIncludes(turn, "Request: list what I just made\n");
      // CMDAI_HISTORY is read at each press: 1 keeps the latest, 0 sends none.
      await runLine(t.sh, shell, shell === "zsh" ? "CMDAI_HISTORY=1" : "set CMDAI_HISTORY 1", "");
      await ask(t, shell, "list again");
      const one = lastTurn(t.llm);
      assert(one.includes("\n$ set CMDAI_HISTORY 1\n") || one.includes("$ CMDAI_HISTORY=1\n"), one);
      assert(!one.includes("second-marker"), one);
      await runLine(t.sh, shell, shell === "zsh" ? "CMDAI_HISTORY=0" : "set CMDAI_HISTORY 0", "");
      await ask(t, shell, "list once more");
      assert(!lastTurn(t.llm).includes("Recent commands"), lastTurn(t.llm));
    });
  }

  shellTest(shell, "a program that is not here is named; aliases and functions are", async () => {
    await using t = await setUp(shell, false, "nothere-tool --all\n# Run the tool");
    await t.sh.type("run the tool");
    await t.sh.press("C-g");
    await t.sh.waitFor("cmdai: Run the tool | nothere-tool is not installed here", 20_000);
    await t.sh.press("C-u");
    // fish leaves the message on the screen above the prompt: a clean screen for the next.
    await t.sh.press("C-l");
    await t.sh.waitFor((s) => !s.includes("not installed"));
    t.llm.behaviour.reply = "ll | myfn && ls\n# List them through mine";
    await t.sh.type("list through mine");
    await t.sh.press("C-g");
    const screen = await t.sh.waitFor("cmdai: List them through mine", 20_000);
    assert(!screen.includes("not installed"), screen);
  });
}
