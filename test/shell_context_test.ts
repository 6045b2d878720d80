// What real zsh, fish and bash tell cmdai, through tmux: their latest history entries reach the model as
// context (CMDAI_HISTORY, read at each press, picks how many; 0 sends none), and their aliases and
// functions count as installed. A loopback server speaking the OpenAI protocol records what the
// model is sent; each shell is tried asking cmdai itself and through the resident server (zsh
// over its socket, fish and bash through the perl client).
import { assert, assertStringIncludes } from "./support/assert.ts";
import type { LlmServer } from "./support/llm_server.ts";
import { PROMPT, shellWithLlm } from "./support/shell_llm.ts";
import { type ShellName, type ShellSession, shellTest } from "./support/tmux.ts";

/** The user's alias and function, in each shell's words. */
const RC: Record<ShellName, string> = {
  zsh: "alias ll='ls -l'\nmyfn() { :; }",
  fish: "alias ll 'ls -l'\nfunction myfn; end",
  // History listed with times, and entries of several lines kept as typed (lithist).
  bash: "HISTTIMEFORMAT='%F %T '\nshopt -s lithist\nalias ll='ls -l'\nmyfn() { :; }",
};

function setUp(shell: ShellName, server: boolean, reply: string) {
  return shellWithLlm(shell, { reply }, { server, rc: RC[shell] });
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

for (const shell of ["zsh", "fish", "bash"] as const) {
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
      await runLine(t.sh, shell, shell === "fish" ? "set CMDAI_HISTORY 1" : "CMDAI_HISTORY=1", "");
      await ask(t, shell, "list again");
      const one = lastTurn(t.llm);
      assert(one.includes("\n$ set CMDAI_HISTORY 1\n") || one.includes("$ CMDAI_HISTORY=1\n"), one);
      assert(!one.includes("second-marker"), one);
      await runLine(t.sh, shell, shell === "fish" ? "set CMDAI_HISTORY 0" : "CMDAI_HISTORY=0", "");
      await ask(t, shell, "list once more");
      assert(!lastTurn(t.llm).includes("Recent commands"), lastTurn(t.llm));
    });
  }

  if (shell === "bash") {
    shellTest(shell, "a history entry of several lines is one entry", async () => {
      await using t = await setUp(shell, true, "ls -la\n# List the files");
      for (const line of ["for i in 1; do", "echo multi-$i"]) {
        await t.sh.type(line);
        await t.sh.press("Enter");
      }
      await runLine(t.sh, shell, "done", "\nmulti-1");
      await runLine(t.sh, shell, "echo after-marker", "\nafter-marker");
      await ask(t, shell, "list what I just made");
      assertStringIncludes(
        lastTurn(t.llm),
        "Recent commands (context, not the request):\n$ for i in 1; do …\n$ echo after-marker\n",
      );
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
