/**
 * Drives a real interactive zsh, fish or bash inside tmux, on a private tmux socket
 * (never the user's tmux server), for the shell widget tests: type text, press keys,
 * and poll the screen until the expected text appears.
 *
 * Each shell starts in a fresh temporary directory (its cwd and HOME, with its own
 * rc file) and with a clean environment: only the variables given, plus PATH, TERM
 * and a UTF-8 locale.
 *
 * A bash test runs twice: as it is, and with the frameworks bash users commonly load
 * around their rc file — bash-completion (Debian's package) before it, bash-preexec
 * (a vendored test fixture; atuin and starship hook into it) after it — whose hooks
 * log each command they see (see {@link BASH_HOOK_LOG}).
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A shell the widget supports. */
export type ShellName = "zsh" | "fish" | "bash";

/** bash-completion's loader, as Debian installs it. */
export const BASH_COMPLETION = "/usr/share/bash-completion/bash_completion";
const BASH_PREEXEC = fileURLToPath(new URL("../fixtures/bash-preexec.sh", import.meta.url));
/**
 * In a bash started with the frameworks, the file (in its directory) where bash-preexec's
 * hooks log what they see: `preexec COMMAND` and `precmd`, each ended by a NUL.
 */
export const BASH_HOOK_LOG = "hooks.log";

/** Whether the bash test now running loads the frameworks (set by {@link shellTest}). */
let bashFrameworks = false;

/** Options of {@link startShell}. */
export interface ShellOptions {
  /**
   * Text of the shell's rc file (`$ZDOTDIR/.zshrc`, `$XDG_CONFIG_HOME/fish/config.fish`,
   * `~/.bashrc`).
   */
  rc: string;
  /** Extra environment variables (PATH defaults to the test process's PATH). */
  env?: Record<string, string>;
  /** Terminal size (default 120×30). */
  columns?: number;
  rows?: number;
}

/** A running shell in tmux. Always {@link ShellSession.close} it (use `await using`). */
export interface ShellSession extends AsyncDisposable {
  /** The shell's temporary directory: its cwd and HOME. */
  readonly dir: string;
  /** bash only: whether bash-completion and bash-preexec are loaded (see {@link shellTest}). */
  readonly frameworks: boolean;
  /** Types `text` literally. */
  type(text: string): Promise<void>;
  /** Presses keys, in tmux's names: `C-g`, `C-c`, `Enter`, `Escape`. */
  press(...keys: string[]): Promise<void>;
  /** The visible screen, trailing spaces and blank trailing lines removed. */
  screen(): Promise<string>;
  /**
   * Polls the screen until `expected` (a substring, a pattern, or a test) matches;
   * resolves to that screen. Throws with the last screen after `timeoutMs` (default 15 s).
   */
  waitFor(expected: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<
    string
  >;
  /** Kills the tmux server (and so the shell) and removes the temporary directory. */
  close(): Promise<void>;
}

/** Returns the absolute path of `name` on PATH, or undefined. */
export function which(name: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      const info = Deno.statSync(path);
      if (info.isFile && (info.mode ?? 0) & 0o111) return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The programs missing for driving `shell` (tmux and the shell itself). */
export function missingTools(shell: ShellName): string[] {
  return ["tmux", shell].filter((name) => which(name) === undefined);
}

/**
 * Registers a test that needs `shell` in tmux; a bash test twice, the second time with
 * bash-completion and bash-preexec loaded. When a tool is missing, the test is reported
 * as skipped, except under `CI=true`, where it fails.
 */
export function shellTest(shell: ShellName, name: string, fn: () => Promise<void>): void {
  const missing = missingTools(shell);
  if (shell === "bash" && !exists(BASH_COMPLETION)) missing.push("bash-completion");
  const register = (title: string, frameworks: boolean) => {
    if (missing.length === 0) {
      Deno.test(title, async () => {
        bashFrameworks = frameworks;
        try {
          await fn();
        } finally {
          bashFrameworks = false;
        }
      });
    } else if (Deno.env.get("CI") === "true") {
      Deno.test(title, () => {
        throw new Error(`${missing.join(" and ")} not installed (required when CI=true)`);
      });
    } else {
      console.log(`skipped: ${title} (${missing.join(" and ")} not installed)`);
      Deno.test({ name: `${title} (skipped: no ${missing.join(", ")})`, ignore: true, fn });
    }
  };
  register(`${shell}: ${name}`, false);
  if (shell === "bash") register(`${shell}: ${name} (bash-completion, bash-preexec)`, true);
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** The rc file of a bash that loads the frameworks around `rc`, with hooks that log. */
function withFrameworks(rc: string): string {
  return `source ${shQuote(BASH_COMPLETION)}
${rc}
source ${shQuote(BASH_PREEXEC)}
_test_preexec() { printf 'preexec %s\\0' "$1" >>"$HOME/${BASH_HOOK_LOG}"; }
_test_precmd() { printf 'precmd\\0' >>"$HOME/${BASH_HOOK_LOG}"; }
preexec_functions+=(_test_preexec)
precmd_functions+=(_test_precmd)
`;
}

async function tmux(sock: string, ...args: string[]): Promise<string> {
  const env = { ...Deno.env.toObject() };
  delete env.TMUX; // never talk to an enclosing tmux
  env.SHELL = "/bin/sh"; // the pane's command is sh syntax
  const out = await new Deno.Command("tmux", {
    args: ["-S", sock, ...args],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  if (!out.success) {
    throw new Error(`tmux ${args[0]} failed: ${dec.decode(out.stderr).trim()}`);
  }
  return dec.decode(out.stdout);
}

/** Quotes `text` for a POSIX shell (tmux runs the pane's command through sh). */
function shQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Starts `shell` in a detached tmux session; see {@link ShellOptions}. */
export async function startShell(shell: ShellName, opts: ShellOptions): Promise<ShellSession> {
  const dir = await Deno.makeTempDir({ prefix: `cmdai-${shell}-` });
  // A short socket path: Unix socket paths are limited to ~100 bytes.
  const sock = join(dir, "tmux.sock");
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: dir,
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    TMPDIR: dir,
    XDG_CONFIG_HOME: join(dir, ".config"),
    XDG_DATA_HOME: join(dir, ".local/share"),
    XDG_CACHE_HOME: join(dir, ".cache"),
    ...opts.env,
  };
  let argv: string[];
  if (shell === "bash") {
    const rc = join(dir, ".bashrc");
    await Deno.writeTextFile(rc, bashFrameworks ? withFrameworks(opts.rc) : opts.rc);
    // --rcfile: this file in place of ~/.bashrc (Debian's /etc/bash.bashrc is read before it, as
    // for a user).
    argv = ["bash", "--rcfile", rc, "-i"];
  } else if (shell === "zsh") {
    await Deno.writeTextFile(join(dir, ".zshrc"), opts.rc);
    env.ZDOTDIR = dir;
    // -d: no global rc files; -f would skip $ZDOTDIR/.zshrc too.
    argv = ["zsh", "-d", "-i"];
  } else {
    // The user's config file, where `cmdai init fish | source` goes: fish reads it before
    // setting up its key bindings, as it would for a user.
    await Deno.mkdir(join(env.XDG_CONFIG_HOME, "fish"), { recursive: true });
    // Present, so fish does not start generating completions from every man page in the
    // background at its first prompt (slow, and it outlives the test).
    await Deno.mkdir(join(env.XDG_DATA_HOME, "fish", "generated_completions"), { recursive: true });
    await Deno.writeTextFile(join(env.XDG_CONFIG_HOME, "fish", "config.fish"), opts.rc);
    argv = ["fish"];
  }
  // env -i: nothing from the test's environment leaks in but what is listed; TERM is tmux's.
  const command = [
    "exec env -i",
    'TERM="$TERM"',
    ...Object.entries(env).map(([k, v]) => `${k}=${shQuote(v)}`),
    ...argv.map(shQuote),
  ].join(" ");
  try {
    await tmux(
      sock,
      "-f",
      "/dev/null",
      "new-session",
      "-d",
      "-s",
      "t",
      "-c",
      dir,
      "-x",
      String(opts.columns ?? 120),
      "-y",
      String(opts.rows ?? 30),
      command,
    );
  } catch (e) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw e;
  }

  const screen = async () =>
    (await tmux(sock, "capture-pane", "-p", "-t", "t")).replace(/\s+$/, "");
  let closed = false;
  const session: ShellSession = {
    dir,
    frameworks: shell === "bash" && bashFrameworks,
    type: async (text) => void await tmux(sock, "send-keys", "-t", "t", "-l", "--", text),
    press: async (...keys) => void await tmux(sock, "send-keys", "-t", "t", "--", ...keys),
    screen,
    async waitFor(expected, timeoutMs = 15_000) {
      const test = typeof expected === "string"
        ? (s: string) => s.includes(expected)
        : expected instanceof RegExp
        ? (s: string) => expected.test(s)
        : expected;
      const deadline = Date.now() + timeoutMs;
      let last = "";
      while (true) {
        try {
          last = await screen();
        } catch (e) {
          throw new Error(`${shell} is gone (${(e as Error).message}); last screen:\n${last}`);
        }
        if (test(last)) return last;
        if (Date.now() > deadline) {
          throw new Error(
            `timed out after ${timeoutMs} ms waiting for ${String(expected)}; ${shell} screen:\n` +
              `${last}\n---`,
          );
        }
        await new Promise((r) => setTimeout(r, 40));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await tmux(sock, "kill-server").catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
    [Symbol.asyncDispose]() {
      return session.close();
    },
  };
  return session;
}
