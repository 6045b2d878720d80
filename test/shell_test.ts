// The Ctrl-G widget in real zsh, fish and bash, driven through tmux: the real launcher
// (./bin/cmdai, found on PATH), real llama.cpp, tiny GGUF models scripted to reply
// an exact command. Each test starts its own shell in a temporary directory.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";
import { scriptedModel } from "./support/gguf.ts";
import { PROMPT } from "./support/shell_llm.ts";
import {
  BASH_HOOK_LOG,
  missingTools,
  type ShellName,
  type ShellSession,
  shellTest,
  startShell,
} from "./support/tmux.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin");
const CMDAI = join(BIN, "cmdai");
const BASE_PATH = Deno.env.get("PATH") ?? "/usr/bin:/bin";

const TOUCH = "touch ran.txt\n# Create the file ran.txt";
const LS = "ls -la\n# List all files";
/** A command whose line never ends: the request runs until it is stopped. */
const ENDLESS = "ls -la, then list them again";
const RM_HOME = "rm -rf ~\n# Delete everything in your home";
const EXPLAIN_LS = JSON.stringify({
  summary: "Lists files.",
  parts: [
    { part: "ls", meaning: "list directory contents" },
    { part: "-la", meaning: "all files, long format" },
  ],
});
/** What the explain key shows for EXPLAIN_LS, a row each; the risk line is matched by its start. */
const EXPLAINED = [
  "Lists files.",
  "  ls   list directory contents",
  "  -la  all files, long format",
];
const ENDLESS_EXPLAIN = '{"summary": "Lists files, then lists again';

const REQUEST_LIKE_FLAG = "--help list files";

const SHELLS = ["zsh", "fish", "bash"] as const;

/**
 * The rc file: a plain prompt, the integration loaded the documented way (zsh and bash: with
 * aliases that would break the widget if they were expanded in it), the
 * options (zsh; bash: and variable names) or global variables (fish) recorded before and after
 * loading it, and a test hook: Ctrl-T writes "CURSOR:LINE" to ~/line.txt (renamed into place, so
 * it is never read half-written), because the screen alone cannot show the line exactly.
 */
function rcFile(shell: ShellName, extra: string, before = "", initArgs = ""): string {
  if (shell === "bash") {
    return `PS1='bash> '
${before}
alias command='echo ALIASED' local='echo ALIASED' bind='echo ALIASED' read='echo ALIASED'
alias printf='echo ALIASED' history='echo ALIASED'
# Variable names too, but for the screen size readline sets as it starts (bash 4.4: at a first bind).
{ shopt -p; set +o; compgen -v | grep -vxE 'LINES|COLUMNS'; } >| $HOME/opts.before
eval "$(${CMDAI} init bash ${initArgs})"
{ shopt -p; set +o; compgen -v | grep -vxE 'LINES|COLUMNS'; } >| $HOME/opts.after
unalias command local bind read printf history
cmdai_test_dump() {
  { shopt -p; set +o; } >| $HOME/opts.now
  printf '%s:%s' "$READLINE_POINT" "$READLINE_LINE" >| $HOME/line.tmp
  command mv -f $HOME/line.tmp $HOME/line.txt
}
for m in emacs vi-insert vi-command; do bind -m $m -x '"\\C-t": cmdai_test_dump'; done
${extra}
`;
  }
  if (shell === "zsh") {
    // Aliases are in effect while the integration is loaded, as in many .zshrc files.
    return `PS1='zsh> '
${before}
alias command='echo ALIASED' local='echo ALIASED' zle='echo ALIASED'
alias -g rm='echo ALIASED'
setopt >| $HOME/opts.before
eval "$(${CMDAI} init zsh ${initArgs})"
setopt >| $HOME/opts.after
unalias command local zle \\rm
cmdai-test-dump() {
  setopt >| $HOME/opts.now
  print -rn -- "$CURSOR:$BUFFER" >| $HOME/line.tmp
  command mv -f $HOME/line.tmp $HOME/line.txt
}
zle -N cmdai-test-dump
for m in emacs viins vicmd; do bindkey -M $m '^T' cmdai-test-dump; done
${extra}
`;
  }
  return `set -g fish_greeting
${before}
function fish_prompt; printf 'fish> '; end
set -g fish_autosuggestion_enabled 0
set -g --names >$HOME/opts.before
${CMDAI} init fish ${initArgs} | source
set -g --names >$HOME/opts.after
function cmdai_test_dump
    set -g --names >$HOME/opts.now
    printf '%s:%s' (commandline -C) (commandline | string collect) >$HOME/line.tmp
    command mv -f $HOME/line.tmp $HOME/line.txt
end
bind \\ct cmdai_test_dump
bind -M insert \\ct cmdai_test_dump
${extra}
`;
}

interface Start {
  env?: Record<string, string>;
  /** Terminal width (default 120). */
  columns?: number;
  /** Appended to the rc file. */
  extra?: string;
  /** At the start of the rc file, before the integration is loaded. */
  before?: string;
  /** Flags for `cmdai init` (shell words). */
  initArgs?: string;
}

/** Starts `shell` with cmdai's bin/ on PATH and waits for its first prompt. */
async function start(shell: ShellName, opts: Start = {}): Promise<ShellSession> {
  const session = await startShell(shell, {
    rc: rcFile(shell, opts.extra ?? "", opts.before, opts.initArgs),
    env: { PATH: `${BIN}:${BASE_PATH}`, CMDAI_THREADS: "1", CMDAI_SERVER: "0", ...opts.env },
    columns: opts.columns,
  });
  try {
    await session.waitFor((s) => s.endsWith(PROMPT[shell]));
  } catch (e) {
    await session.close();
    throw e;
  }
  return session;
}

/** The line and cursor as the shell holds them, through the Ctrl-T hook. */
async function line(sh: ShellSession): Promise<{ cursor: number; text: string }> {
  const file = join(sh.dir, "line.txt");
  await Deno.remove(file).catch(() => {});
  await sh.press("C-t");
  const deadline = Date.now() + 5_000;
  while (true) {
    try {
      const raw = await Deno.readTextFile(file);
      const colon = raw.indexOf(":");
      return { cursor: Number(raw.slice(0, colon)), text: raw.slice(colon + 1) };
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound) || Date.now() > deadline) {
        throw new Error(`no line from the shell: ${e}; screen:\n${await sh.screen()}`);
      }
      await new Promise((r) => setTimeout(r, 30));
    }
  }
}

/** Asserts the line and cursor the shell holds; on a mismatch, shows the screen. */
async function assertLine(sh: ShellSession, expected: { cursor: number; text: string }) {
  const got = await line(sh);
  assertEquals(got, expected, `line (screen:\n${await sh.screen()}\n---)`);
}

/** Types `text` and waits until the shell shows it. */
async function typeRequest(sh: ShellSession, shell: ShellName, text: string): Promise<void> {
  await sh.type(text);
  await sh.waitFor(`${PROMPT[shell]} ${text}`);
}

/** A message from cmdai other than the "thinking" notice. */
const MESSAGE = /cmdai: (?!thinking)/;

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

/** The options (zsh) or global variable names (fish) recorded by the rc file. */
async function options(sh: ShellSession): Promise<{ before: string; after: string }> {
  const read = (name: string) => Deno.readTextFile(join(sh.dir, `opts.${name}`));
  return { before: await read("before"), after: await read("after") };
}

/** The same, as recorded by the last {@link line} call. */
function optionsNow(sh: ShellSession): Promise<string> {
  return Deno.readTextFile(join(sh.dir, "opts.now"));
}

/** What switches the line editor to vi mode, in each shell's rc file. */
const VI: Record<ShellName, string> = {
  zsh: "bindkey -v",
  fish: "fish_vi_key_bindings",
  bash: "set -o vi",
};

for (const shell of SHELLS) {
  shellTest(shell, "sourcing init prints nothing and changes no option", async () => {
    await using sh = await start(shell);
    // Nothing but the prompt on the screen.
    assertEquals(await sh.screen(), PROMPT[shell]);
    const opts = await options(sh);
    assert(opts.before.length > 0, "options recorded");
    assertEquals(opts.after, opts.before, "options after sourcing");
    // At the prompt (zsh sets a few more options once its rc file is done) and after a press.
    await line(sh);
    const atPrompt = await optionsNow(sh);
    await sh.press("C-g");
    await sh.waitFor("cmdai: type a request first");
    await assertLine(sh, { cursor: 0, text: "" });
    assertEquals(await optionsNow(sh), atPrompt, "options after the widget ran");
  });

  shellTest(shell, "Ctrl-G replaces the line and nothing runs until Enter", async () => {
    const model = await scriptedModel(TOUCH);
    await using sh = await start(shell, { env: { CMDAI_MODEL: model } });
    await typeRequest(sh, shell, "create the file ran.txt");
    await sh.press("C-g");
    // The command, and its explanation with it or just after it.
    await sh.waitFor(`${PROMPT[shell]} touch ran.txt`);
    await sh.waitFor("cmdai: Create the file ran.txt");
    await assertLine(sh, { cursor: "touch ran.txt".length, text: "touch ran.txt" });
    const ran = join(sh.dir, "ran.txt");
    assert(!(await exists(ran)), "the command ran before Enter");
    await sh.press("Enter");
    const deadline = Date.now() + 5_000;
    while (!(await exists(ran))) {
      assert(Date.now() < deadline, `Enter did not run it; screen:\n${await sh.screen()}`);
      await new Promise((r) => setTimeout(r, 30));
    }
  });

  shellTest(shell, "no model: the line stays as typed and one message says why", async () => {
    await using sh = await start(shell, { env: { CMDAI_MODEL: "/nonexistent/model.gguf" } });
    // A line that looks like a flag is still the request (the widget passes it after --).
    await typeRequest(sh, shell, REQUEST_LIKE_FLAG);
    await sh.press("Left", "Left", "Left");
    await line(sh);
    const atPrompt = await optionsNow(sh);
    await sh.press("C-g");
    const screen = await sh.waitFor(MESSAGE);
    assert(screen.includes("/nonexistent/model.gguf"), `message names the model:\n${screen}`);
    await assertLine(sh, {
      cursor: REQUEST_LIKE_FLAG.length - 3,
      text: REQUEST_LIKE_FLAG,
    });
    await assertNoTempFiles(sh);
    assertEquals(await optionsNow(sh), atPrompt, "options after the widget ran");
  });

  shellTest(shell, "critical reply: the line stays as typed", async () => {
    const model = await scriptedModel(RM_HOME);
    await using sh = await start(shell, { env: { CMDAI_MODEL: model } });
    await typeRequest(sh, shell, "clean up my home");
    await sh.press("C-g");
    const screen = await sh.waitFor(MESSAGE);
    assert(screen.includes("rm -rf ~") && screen.includes("critical"), `message:\n${screen}`);
    await assertLine(sh, { cursor: "clean up my home".length, text: "clean up my home" });
  });

  shellTest(shell, "Ctrl-C while waiting stops cmdai and keeps the line", async () => {
    // Genuinely slow: a reply that never ends (it loops inside the explanation) and far more
    // threads than cores (llama.cpp then crawls): the request alone would run into the 30 s
    // timeout.
    const model = await scriptedModel(ENDLESS, { loop: true, loopFrom: ENDLESS.indexOf("then") });
    // The real launcher, through a wrapper that only records its PID (exec keeps it).
    await using wrapper = await pidWrapper();
    await using sh = await start(shell, {
      env: { CMDAI_MODEL: model, CMDAI_BIN: wrapper.path, CMDAI_THREADS: "8" },
    });
    const pidFile = join(sh.dir, "cmdai.pid");
    await typeRequest(sh, shell, "list files slowly");
    await sh.press("C-g");
    // The notice shows under the request while cmdai works.
    await sh.waitFor((s) =>
      /\n\s*cmdai: thinking\.\.\.$/.test(s) && s.includes(`${PROMPT[shell]} list files slowly\n`)
    );
    const pid = Number(await waitForFile(pidFile));
    // Let it get past start-up into loading and generating.
    await new Promise((r) => setTimeout(r, 1_500));
    await sh.press("C-c");
    await sh.waitFor("cmdai: cancelled", 5_000);
    await assertLine(sh, {
      cursor: "list files slowly".length,
      text: "list files slowly",
    });
    assert(!(await running(pid)), `cmdai (pid ${pid}) still runs after Ctrl-C`);
    await assertNoTempFiles(sh);
  });

  shellTest(shell, "vi mode: Ctrl-G works in command and insert mode", async () => {
    const model = await scriptedModel(LS);
    await using sh = await start(shell, { env: { CMDAI_MODEL: model }, extra: VI[shell] });
    await typeRequest(sh, shell, "list all files");
    await sh.press("Escape"); // command mode
    await sh.press("C-g");
    await sh.waitFor(`${PROMPT[shell]} ls -la`);
    assertEquals((await line(sh)).text, "ls -la");
    await sh.type("cc"); // change the whole line: empty, in insert mode
    await typeRequest(sh, shell, "list them again");
    await sh.press("C-g");
    await sh.waitFor((s) => s.split("\n").some((l) => l.endsWith(`${PROMPT[shell]} ls -la`)));
    await assertLine(sh, { cursor: "ls -la".length, text: "ls -la" });
  });

  shellTest(shell, "cmdai not on PATH: the key still works; a missing one says why", async () => {
    const model = await scriptedModel(LS);
    // The integration names the cmdai that printed it: PATH without it does not matter.
    await using sh = await start(shell, { env: { PATH: BASE_PATH, CMDAI_MODEL: model } });
    await typeRequest(sh, shell, "list files");
    await sh.press("C-g");
    await sh.waitFor(`${PROMPT[shell]} ls -la`);
    await assertLine(sh, { cursor: "ls -la".length, text: "ls -la" });
    await using missing = await start(shell, {
      env: { PATH: BASE_PATH, CMDAI_BIN: "/nonexistent/cmdai" },
    });
    await typeRequest(missing, shell, "list files");
    await missing.press("C-g");
    await missing.waitFor("cmdai: CMDAI_BIN is not an executable: /nonexistent/cmdai");
    await assertLine(missing, { cursor: "list files".length, text: "list files" });
  });

  shellTest(
    shell,
    "keys typed while cmdai works are dropped: Enter never runs the reply",
    async () => {
      const model = await scriptedModel(TOUCH);
      await using wrapper = await recordingWrapper({ delay: 1.5 });
      await using sh = await start(shell, { env: { CMDAI_MODEL: model, CMDAI_BIN: wrapper.path } });
      await typeRequest(sh, shell, "create the file ran.txt");
      await sh.press("C-g");
      await sh.waitFor("cmdai: thinking...");
      // Typed ahead while it works: more words, a second Ctrl-G and Enter.
      await sh.type(" by size");
      await sh.press("C-g", "Enter");
      // The message and the line, once the shell has drawn both (fish redraws the prompt under a
      // message that comes later).
      await sh.waitFor((s) =>
        s.includes("keys typed while cmdai worked were ignored") &&
        s.includes(`${PROMPT[shell]} touch ran.txt`)
      );
      await assertLine(sh, { cursor: "touch ran.txt".length, text: "touch ran.txt" });
      assert(!(await exists(join(sh.dir, "ran.txt"))), "the queued Enter ran the reply");
      assertEquals(await wrapper.calls(sh), ["create the file ran.txt"], "one request only");
    },
  );

  shellTest(
    shell,
    "# comment + Enter becomes a command, not run; the request is in history",
    async () => {
      const model = await scriptedModel(TOUCH);
      await using sh = await start(shell, { env: { CMDAI_MODEL: model } });
      const request = "  # create the file ran.txt";
      await sh.type(request);
      await sh.press("Enter");
      await sh.waitFor("cmdai: Create the file ran.txt");
      await assertLine(sh, { cursor: "touch ran.txt".length, text: "touch ran.txt" });
      assert(!(await exists(join(sh.dir, "ran.txt"))), "Enter ran the reply at once");
      // Enter on the command runs it; Up then brings back the command, then the request.
      await sh.press("Enter");
      await waitForFile(join(sh.dir, "ran.txt"), { empty: true });
      await sh.waitFor((s) => s.endsWith(PROMPT[shell]));
      await sh.press("Up");
      await sh.waitFor(`${PROMPT[shell]} touch ran.txt`);
      await sh.press("Up");
      await sh.waitFor(`${PROMPT[shell]} ${request.trim()}`);
      assertEquals((await line(sh)).text.trim(), request.trim());
    },
  );

  shellTest(
    shell,
    "Enter on other lines runs them as before; CMDAI_COMMENT_ENTER=0 never asks",
    async () => {
      await using wrapper = await recordingWrapper();
      // zsh reads `#` as a comment only with interactive_comments (off by default).
      const comments = shell === "zsh" ? "setopt interactive_comments" : "";
      await using sh = await start(shell, { env: { CMDAI_BIN: wrapper.path }, extra: comments });
      // A command with a comment after it, as pasted from documentation, runs as it is; so
      // does a # in quotes. Neither costs a cmdai run: only a line that is all comment does.
      await sh.type(`echo hello > said.txt  # say hello`);
      await sh.press("Enter");
      assertEquals(await waitForFile(join(sh.dir, "said.txt")), "hello");
      await sh.type(`echo "a # b" > quoted.txt`);
      await sh.press("Enter");
      assertEquals(await waitForFile(join(sh.dir, "quoted.txt")), "a # b");
      await sh.type("echo plain > plain.txt");
      await sh.press("Enter");
      assertEquals(await waitForFile(join(sh.dir, "plain.txt")), "plain");
      assertEquals(await wrapper.calls(sh), []);

      const set = shell === "fish" ? "set -g CMDAI_COMMENT_ENTER 0" : "CMDAI_COMMENT_ENTER=0";
      await using off = await start(shell, { env: { CMDAI_BIN: wrapper.path }, extra: set });
      await off.type("# just a note");
      await off.press("Enter");
      await off.waitFor((s) =>
        s.split("\n").filter((l) => l.startsWith(PROMPT[shell])).length >= 2
      );
      await off.type("echo after > after.txt");
      await off.press("Enter");
      assertEquals(await waitForFile(join(off.dir, "after.txt")), "after");
      // The setting is cmdai's to read, at each press: asked, it leaves the line to the shell.
      assertEquals(await wrapper.calls(off), ["# just a note"]);
    },
  );

  shellTest(shell, "edit by comment: the command with its instruction is revised", async () => {
    const model = await scriptedModel(LS);
    await using wrapper = await recordingWrapper();
    await using sh = await start(shell, { env: { CMDAI_MODEL: model, CMDAI_BIN: wrapper.path } });
    const typed = "ls -l  # show hidden files too";
    await sh.type(typed);
    await sh.press("C-g");
    await sh.waitFor("cmdai: List all files");
    await assertLine(sh, { cursor: "ls -la".length, text: "ls -la" });
    assertEquals(await wrapper.calls(sh), [typed]);
  });

  shellTest(
    shell,
    "undo brings back the typed line; a second press asks for another command",
    async () => {
      const model = await scriptedModel(LS);
      await using sh = await start(shell, { env: { CMDAI_MODEL: model } });
      await typeRequest(sh, shell, "list all files");
      await sh.press("C-g");
      await sh.waitFor(`${PROMPT[shell]} ls -la`);
      await sh.press(shell === "fish" ? "C-z" : "C-_");
      await sh.waitFor(`${PROMPT[shell]} list all files`);
      await assertLine(sh, { cursor: "list all files".length, text: "list all files" });
      // Again, then a second press on the line cmdai placed: the model is asked for a different
      // command (this scripted one has no other, and says so), not about `ls -la` as a request.
      await sh.press("C-g");
      await sh.waitFor(`${PROMPT[shell]} ls -la`);
      await sh.press("C-g");
      await sh.waitFor("no different command came back (the model offered ls -la again)");
      await assertLine(sh, { cursor: "ls -la".length, text: "ls -la" });
    },
  );

  if (shell === "bash") {
    // readline keeps the line a key's function leaves as one undo group: in vi command mode `u`
    // takes it back. (In vi insert mode the group is part of the insert's own, which `u` undoes
    // whole; readline keeps none for the first insert at a prompt: see the README.)
    shellTest(shell, "vi command mode: u brings back the typed line", async () => {
      const model = await scriptedModel(LS);
      await using sh = await start(shell, { env: { CMDAI_MODEL: model }, extra: VI[shell] });
      await typeRequest(sh, shell, "list all files");
      await sh.press("Escape");
      await sh.press("C-g");
      await sh.waitFor(`${PROMPT[shell]} ls -la`);
      await sh.type("u");
      await sh.waitFor((s) => s.endsWith(`${PROMPT[shell]} list all files`));
      assertEquals((await line(sh)).text, "list all files");
    });
  }

  // bash has read and parsed a continued line's earlier lines before it reads the next one: a
  // key's function sees only the line being typed (see the README).
  if (shell !== "bash") {
    shellTest(shell, "a continued line is one request, replaced as a whole", async () => {
      const model = await scriptedModel(LS);
      await using wrapper = await recordingWrapper();
      await using sh = await start(shell, { env: { CMDAI_MODEL: model, CMDAI_BIN: wrapper.path } });
      await sh.type("find the log files \\");
      await sh.press("Enter");
      await sh.type("and compress them");
      await sh.waitFor("and compress them");
      await sh.press("C-g");
      await sh.waitFor("cmdai: List all files");
      await assertLine(sh, { cursor: "ls -la".length, text: "ls -la" });
      assertEquals(await wrapper.calls(sh), ["find the log files \\\nand compress them"]);
    });
  }

  shellTest(shell, "--key chooses the key; --no-bind leaves binding to the user", async () => {
    const model = await scriptedModel(LS);
    await using wrapper = await recordingWrapper();
    const env = { CMDAI_MODEL: model, CMDAI_BIN: wrapper.path };
    await using sh = await start(shell, { env, initArgs: "--key '^X^G'" });
    await typeRequest(sh, shell, "list all files");
    await sh.press("C-x", "C-g");
    await sh.waitFor(`${PROMPT[shell]} ls -la`);
    await assertLine(sh, { cursor: "ls -la".length, text: "ls -la" });

    // No binding at all: Ctrl-G and Enter do what they did before, until the user binds them.
    const bind = {
      zsh: "bindkey '^G' cmdai-widget",
      fish: "bind \\cg cmdai_widget; bind -M insert \\cg cmdai_widget",
      bash: `bind -x '"\\C-g": cmdai_widget'`,
    }[shell];
    await using nobind = await start(shell, { env, initArgs: "--no-bind" });
    await nobind.type("# not a request > note.txt");
    await nobind.press("Enter");
    await nobind.waitFor((s) =>
      s.split("\n").filter((l) => l.startsWith(PROMPT[shell])).length >= 2
    );
    await nobind.type(`${bind}; echo bound > bound.txt`);
    await nobind.press("Enter");
    await waitForFile(join(nobind.dir, "bound.txt"));
    assertEquals(await wrapper.calls(nobind), []);
    await typeRequest(nobind, shell, "list all files");
    await nobind.press("C-g");
    await nobind.waitFor(`${PROMPT[shell]} ls -la`);
    assertEquals(await wrapper.calls(nobind), ["list all files"]);
  });
}

// The explain key (Alt-G): what the command on the line does, below it, the line left alone.
for (const shell of SHELLS) {
  shellTest(shell, "Alt-G explains the command below the line and leaves the line", async () => {
    const model = await scriptedModel(EXPLAIN_LS);
    await using wrapper = await recordingWrapper();
    await using sh = await start(shell, { env: { CMDAI_MODEL: model, CMDAI_BIN: wrapper.path } });
    await typeRequest(sh, shell, "ls -la");
    await sh.press("Left", "Left");
    await sh.press("M-g");
    const screen = await sh.waitFor(explained(shell, "ls -la"));
    assertExplainedBelow(screen, shell, "ls -la");
    await assertLine(sh, { cursor: 4, text: "ls -la" });
    assertEquals(await wrapper.calls(sh), ["ls -la"], "the whole line, once");
    // The line runs as typed.
    await sh.press("Enter");
    await sh.waitFor(/^total \d+$/m);
    assert(!(await exists(join(sh.dir, "ran.txt"))));

    // Bound wherever the request key is: zsh's emacs, viins and vicmd keymaps, fish's default
    // and insert modes, bash's emacs, vi-insert and vi-command keymaps.
    assertEquals(
      keysOnly(await boundWidgets(sh, shell)),
      {
        zsh: [
          'bindkey -M emacs "^G" cmdai-widget',
          'bindkey -M emacs "^[g" cmdai-explain',
          'bindkey -M viins "^G" cmdai-widget',
          'bindkey -M viins "^[g" cmdai-explain',
          'bindkey -a "^G" cmdai-widget',
          'bindkey -a "^[g" cmdai-explain',
        ],
        fish: [
          "bind -M insert \\cg cmdai_widget",
          "bind -M insert \\eg cmdai_explain",
          "bind \\cg cmdai_widget",
          "bind \\eg cmdai_explain",
        ],
        bash: [
          'emacs "\\C-g" cmdai_widget',
          'emacs "\\eg" cmdai_explain',
          'vi-command "\\C-g" cmdai_widget',
          'vi-command "\\eg" cmdai_explain',
          'vi-insert "\\C-g" cmdai_widget',
          'vi-insert "\\eg" cmdai_explain',
        ],
      }[shell],
    );
  });

  shellTest(
    shell,
    "Alt-G on an empty line gives a hint; with no model, the risk all the same",
    async () => {
      await using sh = await start(shell, {
        env: { CMDAI_MODEL: join(Deno.cwd(), "no-such-model.gguf") },
      });
      await sh.press("M-g");
      await sh.waitFor("cmdai: type a command first, then press Alt-G");
      await assertLine(sh, { cursor: 0, text: "" });
      const command = "rm -rf --no-preserve-root /";
      await typeRequest(sh, shell, command);
      await sh.press("M-g");
      // The rules' finding does not depend on the model: it shows, with why there is no description.
      const screen = await sh.waitFor("risk: critical");
      assertStringIncludes(screen, "cmdai: no description: model file not found");
      await assertLine(sh, { cursor: command.length, text: command });
    },
  );

  // bash draws a line taller than the screen after a key's function returns, and nothing can be
  // drawn after that: the message scrolls out of sight above it (see the README).
  if (shell !== "bash") {
    shellTest(
      shell,
      "a line taller than the screen: the message shows on the top row",
      async () => {
        await using sh = await start(shell, { env: { CMDAI_MODEL: "/no/model.gguf" } });
        const line = "x".repeat(11_000);
        await sh.type(line);
        // fish may draw nothing of such a line: the shell's own account says when it is all there.
        await assertLine(sh, { cursor: line.length, text: line });
        await sh.press("C-g");
        const screen = await sh.waitFor("cmdai: the request is too long (11000 characters");
        assert(screen.startsWith("cmdai: the request is too long"), screen.slice(0, 200));
        await assertLine(sh, { cursor: line.length, text: line });
      },
    );
  }

  shellTest(
    shell,
    "a broken config file at start: the integration loads, the line survives",
    async () => {
      const config =
        'mkdir -p $HOME/.config/cmdai; echo "timeout = 0" >$HOME/.config/cmdai/config.toml';
      await using sh = await start(shell, { before: config });
      // Said once at start, on the screen (its rows joined again).
      const start_ = (await sh.screen()).replaceAll("\n", "");
      assertStringIncludes(
        start_,
        "line 1: timeout must be seconds, more than 0, not 0; the shell integration uses the defaults",
      );
      await typeRequest(sh, shell, "list all files");
      await sh.press("C-g");
      await sh.waitFor((s) => s.split("line 1: timeout must be").length > 2);
      await assertLine(sh, { cursor: "list all files".length, text: "list all files" });
    },
  );

  shellTest(shell, "Alt-G in vi mode, insert and command", async () => {
    const model = await scriptedModel(EXPLAIN_LS);
    await using wrapper = await recordingWrapper();
    await using sh = await start(shell, {
      env: { CMDAI_MODEL: model, CMDAI_BIN: wrapper.path },
      extra: VI[shell],
    });
    await typeRequest(sh, shell, "ls -la");
    await sh.press("M-g");
    assertExplainedBelow(await sh.waitFor(explained(shell, "ls -la")), shell, "ls -la");
    await assertLine(sh, { cursor: "ls -la".length, text: "ls -la" });
    await sh.press("Escape"); // command mode: the cursor on the last character
    await sh.press("M-g");
    // The first explanation replaced the first notice: this one is the second press's.
    await sh.waitFor("cmdai: explaining...");
    const screen = await sh.waitFor(explained(shell, "ls -la", 2));
    assertExplainedBelow(screen, shell, "ls -la");
    await assertLine(sh, { cursor: "ls -l".length, text: "ls -la" });
    assertEquals(await wrapper.calls(sh), ["ls -la", "ls -la"]);
  });

  shellTest(shell, "Ctrl-C while explaining stops cmdai and keeps the line", async () => {
    const model = await scriptedModel(ENDLESS_EXPLAIN, {
      loop: true,
      loopFrom: ENDLESS_EXPLAIN.indexOf("then"),
    });
    await using wrapper = await pidWrapper();
    await using sh = await start(shell, {
      env: { CMDAI_MODEL: model, CMDAI_BIN: wrapper.path, CMDAI_THREADS: "8" },
    });
    await typeRequest(sh, shell, "ls -la");
    await sh.press("M-g");
    await sh.waitFor((s) => /\n\s*cmdai: explaining\.\.\.$/.test(s));
    const pid = Number(await waitForFile(join(sh.dir, "cmdai.pid")));
    await new Promise((r) => setTimeout(r, 1_500));
    await sh.press("C-c");
    await sh.waitFor("cmdai: cancelled", 5_000);
    await assertLine(sh, { cursor: "ls -la".length, text: "ls -la" });
    assert(!(await running(pid)), `cmdai (pid ${pid}) still runs after Ctrl-C`);
    await assertNoTempFiles(sh);
  });

  shellTest(
    shell,
    "keys typed while explaining are dropped: Enter never runs the line",
    async () => {
      const model = await scriptedModel(EXPLAIN_LS);
      await using wrapper = await recordingWrapper({ delay: 1.5 });
      await using sh = await start(shell, { env: { CMDAI_MODEL: model, CMDAI_BIN: wrapper.path } });
      await typeRequest(sh, shell, "touch ran.txt");
      await sh.press("M-g");
      await sh.waitFor("cmdai: explaining...");
      await sh.type(" more");
      await sh.press("M-g", "Enter");
      const screen = await sh.waitFor("keys typed while cmdai worked were ignored");
      assertStringIncludes(screen, "Lists files.");
      await assertLine(sh, { cursor: "touch ran.txt".length, text: "touch ran.txt" });
      assert(!(await exists(join(sh.dir, "ran.txt"))), "the queued Enter ran the line");
      assertEquals(await wrapper.calls(sh), ["touch ran.txt"], "one explanation only");
    },
  );

  shellTest(shell, "--explain-key chooses the key; none and --no-bind bind nothing", async () => {
    const model = await scriptedModel(EXPLAIN_LS);
    const env = { CMDAI_MODEL: model };
    await using sh = await start(shell, { env, initArgs: "--explain-key '^Xe'" });
    await typeRequest(sh, shell, "ls -la");
    await sh.press("C-x", "e");
    assertExplainedBelow(await sh.waitFor(explained(shell, "ls -la")), shell, "ls -la");
    await assertLine(sh, { cursor: "ls -la".length, text: "ls -la" });
    await sh.press("C-u");
    const explainKeys = (w: string[]) => w.filter((l) => /cmdai[-_]explain/.test(l));
    assertEquals(
      explainKeys(await boundWidgets(sh, shell)),
      {
        zsh: [
          'bindkey -M emacs "^Xe" cmdai-explain',
          'bindkey -M viins "^Xe" cmdai-explain',
          'bindkey -a "^Xe" cmdai-explain',
        ],
        fish: ["bind -M insert \\cxe cmdai_explain", "bind \\cxe cmdai_explain"],
        bash: [
          'emacs "\\C-xe" cmdai_explain',
          'vi-command "\\C-xe" cmdai_explain',
          'vi-insert "\\C-xe" cmdai_explain',
        ],
      }[shell],
    );
    // Also from the environment, where the config file's shell.explain_key arrives.
    await using none = await start(shell, { env: { ...env, CMDAI_EXPLAIN_KEY: "none" } });
    const widgets = await boundWidgets(none, shell);
    assertEquals(explainKeys(widgets), []);
    assertEquals(keysOnly(widgets).length, shell === "fish" ? 2 : 3, "the request key is bound");
    await using nobind = await start(shell, { env, initArgs: "--no-bind" });
    assertEquals(await boundWidgets(nobind, shell), []);
    // The widget is there for the user to bind.
    const bind = {
      zsh: "bindkey '^[g' cmdai-explain",
      fish: "bind \\eg cmdai_explain",
      bash: `bind -x '"\\eg": cmdai_explain'`,
    }[shell];
    await nobind.type(`${bind}; clear`);
    await nobind.press("Enter");
    await nobind.waitFor((s) => s === PROMPT[shell]);
    await typeRequest(nobind, shell, "ls -la");
    await nobind.press("M-g");
    assertExplainedBelow(await nobind.waitFor(explained(shell, "ls -la")), shell, "ls -la");
  });
}

/**
 * Asserts that the last explanation of EXPLAIN_LS on the screen sits right under a prompt line
 * showing `text`, with nothing below it but, in fish and bash, that prompt line drawn again.
 */
function assertExplainedBelow(screen: string, shell: ShellName, text: string): void {
  const rows = screen.split("\n");
  const risk = rows.findLastIndex((r) => r.startsWith("risk: "));
  const at = risk - EXPLAINED.length - 1;
  assert(at >= 0 && /^risk: safe/.test(rows[risk]), `no risk line:\n${screen}`);
  // A prompt in vi mode may start with the mode ([I] in fish).
  assert(rows[at].endsWith(`${PROMPT[shell]} ${text}`), `not under the line:\n${screen}`);
  assertEquals(rows.slice(at + 1, risk), EXPLAINED, screen);
  const after = rows.slice(risk + 1);
  if (shell === "zsh") assertEquals(after, [], `below the explanation:\n${screen}`);
  else {
    assert(
      after.length === 1 && after[0].endsWith(`${PROMPT[shell]} ${text}`),
      `below the explanation:\n${screen}`,
    );
  }
}

/**
 * A screen test: an explanation is done showing under the line `text` (`times` in all, in fish
 * and bash; zsh shows one at a time): the last row is the risk line (zsh), or the prompt line
 * drawn again under it (fish, bash).
 */
function explained(shell: ShellName, text: string, times = 1): (screen: string) => boolean {
  return (screen) => {
    const rows = screen.split("\n");
    if (shell === "zsh") return rows[rows.length - 1].startsWith("risk: ");
    return rows.filter((r) => r.startsWith("risk: ")).length === times &&
      rows[rows.length - 2]?.startsWith("risk: ") &&
      rows[rows.length - 1].endsWith(`${PROMPT[shell]} ${text}`);
  };
}

/** The bindings in `widgets` ({@link boundWidgets}) of the keys, not Enter. */
const keysOnly = (widgets: string[]) => widgets.filter((l) => /cmdai[-_](widget|explain)$/.test(l));

/**
 * The key bindings of cmdai's widgets in every keymap (zsh, bash) or mode (fish), as the shell lists
 * them, sorted; typed at the prompt, which is left empty.
 */
async function boundWidgets(sh: ShellSession, shell: ShellName): Promise<string[]> {
  const list = {
    zsh: "for m in emacs viins vicmd; do bindkey -M $m -L; done",
    fish: "bind",
    bash: 'for m in emacs vi-insert vi-command; do bind -m $m -X | sed "s/^/$m /"; done',
  }[shell];
  const file = join(sh.dir, "bound.txt");
  await Deno.remove(file).catch(() => {});
  await sh.type(
    `${list} | grep -E 'cmdai[-_](widget|explain|accept-line|enter)' > bound.tmp; ` +
      "mv bound.tmp bound.txt",
  );
  await sh.press("Enter");
  const text = await waitForFile(file, { empty: true });
  // bash: `KEYMAP "KEYS": "COMMAND"` read as `KEYMAP "KEYS" FUNCTION`.
  const lines = text ? text.split("\n") : [];
  return lines.map((l) => l.replace(/^(\S+ ".*?"): ".*?(cmdai_\w+).*$/, "$1 $2")).sort();
}

// zsh-autosuggestions and zsh-syntax-highlighting (Debian's packages) wrap accept-line and
// other widgets; loaded before or after cmdai, Enter must keep working for all three.
const PLUGINS = [
  "/usr/share/zsh-autosuggestions/zsh-autosuggestions.zsh",
  "/usr/share/zsh-syntax-highlighting/zsh-syntax-highlighting.zsh",
];
const pluginsMissing = PLUGINS.filter((p) => {
  try {
    return !Deno.statSync(p).isFile;
  } catch {
    return true;
  }
});
for (const order of ["before", "after"] as const) {
  const name = `plugins loaded ${order} cmdai: Enter runs, comments ask, suggestions work`;
  if (pluginsMissing.length && Deno.env.get("CI") !== "true") {
    console.log(`skipped: zsh: ${name} (${pluginsMissing.join(", ")} not installed)`);
    continue;
  }
  shellTest("zsh", name, async () => {
    const model = await scriptedModel(TOUCH);
    const load = PLUGINS.map((p) => `source ${p}`).join("\n");
    await using sh = await start("zsh", {
      env: { CMDAI_MODEL: model },
      ...(order === "before" ? { before: load } : { extra: load }),
    });
    await sh.type("echo one >> one.txt");
    await sh.press("Enter");
    assertEquals(await waitForFile(join(sh.dir, "one.txt")), "one");
    await sh.type("# create the file ran.txt");
    await sh.press("Enter");
    await sh.waitFor("cmdai: Create the file ran.txt");
    await assertLine(sh, { cursor: "touch ran.txt".length, text: "touch ran.txt" });
    assert(!(await exists(join(sh.dir, "ran.txt"))), "Enter ran the reply at once");
    // The suggestion from history, accepted with Ctrl-E, then Enter: both plugins still at work.
    await sh.press("C-u");
    await sh.type("echo on");
    // The line run before, and the suggestion on the line being typed.
    await sh.waitFor((s) =>
      s.split("\n").filter((l) => l === "zsh> echo one >> one.txt").length === 2
    );
    await sh.press("C-e", "Enter");
    const deadline = Date.now() + 10_000;
    while ((await Deno.readTextFile(join(sh.dir, "one.txt"))) !== "one\none\n") {
      assert(Date.now() < deadline, `the suggestion was not run; screen:\n${await sh.screen()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
}

shellTest("fish", "the message lands under the screen rows of a wrapped line", async () => {
  const model = await scriptedModel(LS);
  const request = "please find every file in this directory tree that is larger than " +
    "one hundred megabytes and list them by size";
  // A prompt of two lines, on a terminal narrower than the request; the cursor at the end of the
  // line, then on its first row.
  for (const keys of [[], ["C-a"]]) {
    await using sh = await start("fish", {
      env: { CMDAI_MODEL: model },
      columns: 50,
      extra: "function fish_prompt; printf 'first line\\nfish> '; end",
    });
    await sh.type(request);
    await sh.waitFor("by size");
    if (keys.length) await sh.press(...keys);
    await sh.press("C-g");
    const screen = await sh.waitFor((s) =>
      s.endsWith("fish> ls -la") && s.split("\n").includes("cmdai: List all files")
    );
    const rows = screen.split("\n");
    const at = rows.indexOf("cmdai: List all files");
    assert(at >= 0, `message on a row of its own:\n${screen}`);
    // Below it, the prompt redrawn with the command. Above it, the request once, whole, when the
    // explanation came with the command; when it came later, the prompt it replaces was drawn
    // over the request's rows already.
    assertEquals(rows.slice(at + 1), ["first line", "fish> ls -la"], screen);
    const first = rows.findIndex((r) => r.startsWith("fish> please"));
    if (first >= 0) {
      assertEquals(rows.slice(first, at).join(""), `fish> ${request}`, screen);
      assertEquals(rows[first - 1], "first line", screen);
    }
  }
});

shellTest("fish", "the explanation lands under the screen rows of a wrapped line", async () => {
  const model = await scriptedModel(EXPLAIN_LS);
  const command = "ls -la /var/log/some/rather/deep/directory/tree/that/wraps/at/the/edge";
  // As above: a two-line prompt, a line of two rows; the cursor at its end, then at its start.
  for (const keys of [[], ["C-a"]]) {
    await using sh = await start("fish", {
      env: { CMDAI_MODEL: model },
      columns: 50,
      extra: "function fish_prompt; printf 'first line\\nfish> '; end",
    });
    await sh.type(command);
    await sh.waitFor("the/edge");
    if (keys.length) await sh.press(...keys);
    await sh.press("M-g");
    // Done: the prompt and the line drawn again under the explanation.
    // (Nothing is below before the explanation is there: the screen as typed must not match.)
    const below = (rows: string[]) => {
      const risk = rows.findIndex((r) => r.startsWith("risk: "));
      return risk < 0 ? [] : rows.slice(risk + 1);
    };
    const screen = await sh.waitFor((s) => {
      const after = below(s.split("\n"));
      return after[0] === "first line" && after.slice(1).join("") === `fish> ${command}`;
    });
    const rows = screen.split("\n");
    const risk = rows.findIndex((r) => r.startsWith("risk: "));
    const first = rows.findIndex((r) => r.startsWith("fish> ls"));
    assertEquals(rows[first - 1], "first line", screen);
    assertEquals(rows.slice(first, risk - EXPLAINED.length).join(""), `fish> ${command}`, screen);
    assertEquals(rows.slice(risk - EXPLAINED.length, risk), EXPLAINED, screen);
    await assertLine(sh, { cursor: keys.length ? 0 : command.length, text: command });
  }
});

for (const shell of SHELLS) {
  shellTest(
    shell,
    "the server: started by the first press, asked directly when warm, killed mid-request",
    async () => {
      const fast = await scriptedModel(LS);
      const slow = await scriptedModel(TOUCH, { tokenizer: "qwen2" });
      await using wrapper = await recordingWrapper();
      await using sh = await start(shell, {
        env: { CMDAI_SERVER: "", CMDAI_MODEL: fast, CMDAI_BIN: wrapper.path },
      });
      const log = () => Deno.readTextFile(join(sh.dir, `cmdai-${Deno.uid()}`, "server.log"));
      await typeRequest(sh, shell, "list all files");
      await sh.press("C-g");
      await sh.waitFor(`${PROMPT[shell]} ls -la`);
      assertStringIncludes(await log(), "listening on");
      // Warm: the server is asked over its socket (zsh itself; fish and bash through a perl
      // client), and no cmdai process starts.
      await sh.press("C-u");
      await typeRequest(sh, shell, "list them again");
      await sh.press("C-g");
      await sh.waitFor(`${PROMPT[shell]} ls -la`);
      assertEquals((await wrapper.calls(sh)).length, 1);
      // The server logs a request once it is done: the explanation comes after the line.
      const logged = Date.now() + 10_000;
      while ((await log()).split("request: exit 0").length < 3) {
        assert(Date.now() < logged, `two requests in the log:\n${await log()}`);
        await new Promise((r) => setTimeout(r, 50));
      }

      // A model the server has to load, and the server killed while it loads it: the press still
      // ends with the command on the line.
      await sh.press("C-u");
      await sh.type(
        shell === "fish" ? `set -gx CMDAI_MODEL ${slow}` : `export CMDAI_MODEL=${slow}`,
      );
      await sh.press("Enter");
      await sh.waitFor((s) => s.endsWith(PROMPT[shell]));
      await typeRequest(sh, shell, "create the file ran.txt");
      await sh.press("C-g");
      const deadline = Date.now() + 10_000;
      while (!(await log()).includes(`loading ${slow}`)) {
        assert(
          Date.now() < deadline,
          `the server never began to load; screen:\n${await sh.screen()}`,
        );
        await new Promise((r) => setTimeout(r, 20));
      }
      Deno.kill(Number(/pid (\d+)/.exec(await log())![1]), "SIGKILL");
      await sh.waitFor(`${PROMPT[shell]} touch ran.txt`);
      await assertLine(sh, { cursor: "touch ran.txt".length, text: "touch ran.txt" });
    },
  );
}

for (const shell of SHELLS) {
  shellTest(
    shell,
    "Ctrl-C on a request the server answers over the socket cancels it there",
    async () => {
      const endless = await scriptedModel(ENDLESS, {
        loop: true,
        loopFrom: ENDLESS.indexOf("then"),
      });
      await using sh = await start(shell, {
        env: { CMDAI_SERVER: "", CMDAI_MODEL: await scriptedModel(LS) },
      });
      const log = () => Deno.readTextFile(join(sh.dir, `cmdai-${Deno.uid()}`, "server.log"));
      await typeRequest(sh, shell, "list all files");
      await sh.press("C-g");
      await sh.waitFor(`${PROMPT[shell]} ls -la`);
      // Warm now; an endless reply at a crawl (more threads than cores) goes over the socket.
      await sh.press("C-u");
      await sh.type(
        shell === "fish"
          ? `set -gx CMDAI_MODEL ${endless}; set -gx CMDAI_THREADS 8`
          : `export CMDAI_MODEL=${endless} CMDAI_THREADS=8`,
      );
      await sh.press("Enter");
      await sh.waitFor((s) => s.endsWith(PROMPT[shell]));
      await typeRequest(sh, shell, "list files slowly");
      await sh.press("C-g");
      const deadline = Date.now() + 10_000;
      while (!(await log()).includes(`loaded ${endless}`)) {
        assert(Date.now() < deadline, `never loaded; screen:\n${await sh.screen()}`);
        await new Promise((r) => setTimeout(r, 30));
      }
      await sh.press("C-c");
      await sh.waitFor("cmdai: cancelled", 5_000);
      await assertLine(sh, { cursor: "list files slowly".length, text: "list files slowly" });
      while (!(await log()).includes("(client gone)")) {
        assert(Date.now() < deadline, `the server went on; log:\n${await log()}`);
        await new Promise((r) => setTimeout(r, 30));
      }
    },
  );
}

for (const shell of ["zsh", "bash"] as const) {
  // zsh: with compinit, as completion needs; bash: complete -F, with bash-completion too.
  shellTest(shell, "completions: subcommands and their flags", async () => {
    await using sh = await start(shell, {
      before: shell === "zsh" ? "autoload -Uz compinit && compinit -u -d $HOME/.zcompdump" : "",
    });
    for (
      const [typed, completed] of [
        ["cmdai exp", "cmdai explain "],
        ["cmdai ev", "cmdai eval "],
        ["cmdai doc", "cmdai doctor "],
        ["cmdai config p", "cmdai config path "],
        ["cmdai help exp", "cmdai help explain "],
        ["cmdai init zsh --exp", "cmdai init zsh --explain-key "],
        ["cmdai init b", "cmdai init bash "],
        ["cmdai --rem", "cmdai --remote-model "],
        ["cmdai explain --backend oll", "cmdai explain --backend ollama "],
      ]
    ) {
      await typeRequest(sh, shell, typed);
      await sh.press("Tab");
      await sh.waitFor(`${PROMPT[shell]} ${completed.trimEnd()}`);
      await assertLine(sh, { cursor: completed.length, text: completed });
      await sh.press("C-u");
      await sh.waitFor((s) => s.endsWith(PROMPT[shell]));
    }
  });
}

shellTest(
  "bash",
  "Enter keeps $? and $_; preexec and precmd hooks see each command once",
  async () => {
    const model = await scriptedModel(TOUCH);
    await using sh = await start("bash", { env: { CMDAI_MODEL: model } });
    await sh.type("false last-word");
    await sh.press("Enter");
    // An empty line, then a command that reads what the one before left: Enter's own function ran
    // before each.
    await sh.press("Enter");
    await sh.type('echo "status=$? last=$_" > kept.txt');
    await sh.press("Enter");
    assertEquals(await waitForFile(join(sh.dir, "kept.txt")), "status=1 last=last-word");
    // A request on Enter runs nothing, so no hook sees it; the command then runs once.
    await sh.type("# create the file ran.txt");
    await sh.press("Enter");
    await sh.waitFor("cmdai: Create the file ran.txt");
    await sh.press("Enter");
    await waitForFile(join(sh.dir, "ran.txt"), { empty: true });
    // So does a command placed by the key.
    await Deno.remove(join(sh.dir, "ran.txt"));
    await sh.type("create it again");
    await sh.press("C-g");
    await sh.waitFor("bash> create it again\ncmdai: Create the file ran.txt\nbash> touch ran.txt");
    await sh.press("Enter");
    await waitForFile(join(sh.dir, "ran.txt"), { empty: true });
    if (!sh.frameworks) return;
    const expected = [
      "precmd",
      "preexec false last-word",
      "precmd",
      "precmd",
      'preexec echo "status=$? last=$_" > kept.txt',
      "precmd",
      "preexec touch ran.txt",
      "precmd",
      "preexec touch ran.txt",
      "precmd",
    ];
    const log = async () =>
      (await Deno.readTextFile(join(sh.dir, BASH_HOOK_LOG))).split("\0").slice(0, -1);
    const deadline = Date.now() + 5_000;
    while ((await log()).length < expected.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 30));
    }
    assertEquals(await log(), expected);
  },
);

/** The widget's temporary files (in TMPDIR, the shell's directory here) are gone. */
async function assertNoTempFiles(sh: ShellSession): Promise<void> {
  for await (const entry of Deno.readDir(sh.dir)) {
    assert(!entry.name.startsWith("cmdai-widget"), `left behind: ${entry.name}`);
  }
}

async function waitForFile(path: string, opts: { empty?: boolean } = {}): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (true) {
    const text = await Deno.readTextFile(path).catch(() => undefined);
    if (text?.trim() || (opts.empty && text !== undefined)) return text!.trim();
    assert(Date.now() < deadline, `${path} never written`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** Whether process `pid` still exists, after up to 2 s for it to go. */
async function running(pid: number): Promise<boolean> {
  const deadline = Date.now() + 2_000;
  while (true) {
    const ps = await new Deno.Command("ps", { args: ["-p", String(pid)], stdout: "null" }).output();
    if (!ps.success) return false;
    if (Date.now() > deadline) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A `cmdai` that writes its PID to $HOME/cmdai.pid, then becomes the real launcher. */
async function pidWrapper(): Promise<{ path: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "cmdai-wrapper-" });
  const path = join(dir, "cmdai");
  await Deno.writeTextFile(path, `#!/bin/sh\necho $$ >"$HOME/cmdai.pid"\nexec "${CMDAI}" "$@"\n`);
  await Deno.chmod(path, 0o755);
  return { path, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

/**
 * A `cmdai` that records the line of each call in $HOME/cmdai.calls (NUL after each), sleeps
 * `delay` seconds when given (a slow request), then becomes the real launcher.
 */
async function recordingWrapper(
  opts: { delay?: number } = {},
): Promise<{ path: string; calls(sh: ShellSession): Promise<string[]> } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "cmdai-wrapper-" });
  const path = join(dir, "cmdai");
  await Deno.writeTextFile(
    path,
    `#!/bin/sh
for a; do last=$a; done
printf '%s\\0' "$last" >>"$HOME/cmdai.calls"
${opts.delay ? `sleep ${opts.delay}` : ""}
exec "${CMDAI}" "$@"
`,
  );
  await Deno.chmod(path, 0o755);
  return {
    path,
    async calls(sh) {
      const raw = await Deno.readTextFile(join(sh.dir, "cmdai.calls")).catch(() => "");
      return raw.split("\0").slice(0, -1);
    },
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

// Completions for cmdai's own subcommands and flags come with init.
Deno.test({
  name: "init: completions for cmdai in zsh (with compinit), fish and bash",
  ignore: ["zsh", "fish", "bash"].some((s) => missingTools(s as ShellName).length > 0),
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const run = async (cmd: string, args: string[]) => {
        const out = await new Deno.Command(cmd, {
          args,
          env: { HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, PATH: BASE_PATH },
          clearEnv: true,
          stdin: "null",
        }).output();
        const dec = new TextDecoder();
        return dec.decode(out.stdout) + dec.decode(out.stderr);
      };
      const zsh = await run("zsh", [
        "-fc",
        `autoload -Uz compinit && compinit -D -d ${dir}/zcomp; eval "$(${CMDAI} init zsh)"; ` +
        "print -r -- $_comps[cmdai]",
      ]);
      assertEquals(zsh, "_cmdai\n");
      // What fish offers after each line, the word before the tab (the description) each.
      const fish = async (line: string) =>
        (await run("fish", [
          "--no-config",
          "-c",
          `${CMDAI} init fish | source; complete -C '${line}'`,
        ]))
          .split("\n").filter((l) => l).map((l) => l.split("\t")[0]).sort();
      // What bash's completion function offers for a line: its words, a last empty one after a
      // space, as bash would pass them.
      const bash = async (line: string) =>
        (await run("bash", [
          "--norc",
          "-c",
          `eval "$(${CMDAI} init bash)"; COMP_WORDS=(${
            line.split(" ").map((w) => `'${w}'`).join(" ")
          }); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _cmdai; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ]))
          .split("\n").filter((l) => l).sort();
      for (const complete of [fish, bash]) {
        const subcommands = [
          "check",
          "config",
          "doctor",
          "eval",
          "explain",
          "help",
          "init",
          "model",
        ];
        assertEquals(await complete("cmdai "), [...subcommands, "serve"].sort());
        assertEquals(await complete("cmdai init "), ["bash", "fish", "zsh"]);
        assertEquals(await complete("cmdai init zsh --"), [
          "--explain-key",
          "--help",
          "--key",
          "--no-bind",
        ]);
        assertEquals(await complete("cmdai config "), ["path"]);
        // The same table the parser reads: every flag explain takes, none of the widget's.
        assertEquals(await complete("cmdai explain --"), [
          "--backend",
          "--help",
          "--json",
          "--model",
          "--remote-model",
          "--shell",
          "--url",
        ]);
        assertEquals(await complete("cmdai --backend "), ["embedded", "ollama", "openai"]);
        assertEquals(await complete("cmdai explain --shell "), ["bash", "fish", "zsh"]);
        assertEquals(
          await complete("cmdai help "),
          subcommands.filter((s) => s !== "help").concat("serve").sort(),
        );
        for (
          const flag of [
            "--json",
            "--model",
            "--shell",
            "--help",
            "--version",
            "--backend",
            "--url",
          ]
        ) {
          assert((await complete("cmdai --")).includes(flag), flag);
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
