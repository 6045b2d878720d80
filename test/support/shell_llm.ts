/**
 * A real shell in tmux whose cmdai asks a stand-in model server on loopback (OpenAI's protocol,
 * `llm_server.ts`): in-process, or through the resident server, which is stopped at the end.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type LlmBehaviour, type LlmServer, startLlmServer, TEST_MODEL } from "./llm_server.ts";
import { type ShellName, type ShellSession, startShell } from "./tmux.ts";

const BIN = fileURLToPath(new URL("../../bin", import.meta.url));
const BASE_PATH = Deno.env.get("PATH") ?? "/usr/bin:/bin";

/** The prompt each shell shows (`PROMPT.zsh` is `zsh>`). */
export const PROMPT: Record<ShellName, string> = { zsh: "zsh>", fish: "fish>", bash: "bash>" };

/** What the shell is started with besides cmdai's integration. */
export interface ShellLlmOptions {
  /** Whether cmdai may use its resident server. */
  server?: boolean;
  /** Lines of the rc file before the integration's (aliases, functions). */
  rc?: string;
  /** fish's prompt function's body (default: it prints `fish> `). */
  fishPrompt?: string;
}

/** The server answering as `behaviour` says, and the shell asking it, ready at its prompt. */
export async function shellWithLlm(
  shell: ShellName,
  behaviour: LlmBehaviour,
  opts: ShellLlmOptions = {},
): Promise<{ sh: ShellSession; llm: LlmServer } & AsyncDisposable> {
  const llm = startLlmServer(behaviour);
  const rc = {
    zsh: `PS1='zsh> '\nsetopt interactive_comments\n${opts.rc ?? ""}\n` +
      `eval "$(${BIN}/cmdai init zsh)"\n`,
    fish: `set -g fish_greeting\n` +
      `function fish_prompt; ${opts.fishPrompt ?? "printf 'fish> '"}; end\n` +
      `set -g fish_autosuggestion_enabled 0\n${opts.rc ?? ""}\n${BIN}/cmdai init fish | source\n`,
    bash: `PS1='bash> '\n${opts.rc ?? ""}\neval "$(${BIN}/cmdai init bash)"\n`,
  }[shell];
  const sh = await startShell(shell, {
    rc,
    env: {
      PATH: `${BIN}:${BASE_PATH}`,
      CMDAI_BACKEND: "openai",
      CMDAI_URL: llm.url,
      CMDAI_REMOTE_MODEL: TEST_MODEL,
      CMDAI_SERVER: opts.server ? "" : "0",
    },
  });
  await sh.waitFor((s) => s.endsWith(PROMPT[shell]));
  return {
    sh,
    llm,
    async [Symbol.asyncDispose]() {
      if (opts.server) {
        // The shell's server lives in its TMPDIR (XDG_RUNTIME_DIR is not set there).
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
