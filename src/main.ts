/**
 * The `cmdai` executable: dispatches to a request or a subcommand, and turns
 * every user-facing failure into one line on stderr and an exit code.
 *
 * Heavy modules (llama.cpp, the shell parser, the hub client) are imported
 * only by the paths that need them, so `--help` and `init` stay fast.
 *
 * @module
 */

import { HELP, parseInvocation } from "./cli.ts";
import { CmdaiError, ExitCode, oneLine } from "./errors.ts";
import { VERSION } from "./version.ts";

const encoder = new TextEncoder();
const write = (fd: { writeSync(p: Uint8Array): number }) => (text: string) => {
  const bytes = encoder.encode(text);
  for (let off = 0; off < bytes.length;) off += fd.writeSync(bytes.subarray(off));
};
const stdout = write(Deno.stdout);
const stderr = write(Deno.stderr);

/** Runs cmdai with `args`; resolves to the exit code. */
export async function main(args: string[]): Promise<number> {
  const interrupt = new AbortController();
  const onInterrupt = () => {
    interrupt.abort(new CmdaiError(ExitCode.interrupted, "interrupted"));
    // Native work (a model load) may not notice the abort: don't make the user wait.
    Deno.unrefTimer(setTimeout(() => {
      stderr("cmdai: interrupted\n");
      Deno.exit(ExitCode.interrupted);
    }, 500));
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    return await dispatch(args, interrupt.signal);
  } catch (e) {
    if (e instanceof CmdaiError) {
      stderr(`cmdai: ${oneLine(e.message)}\n`);
      return e.code;
    }
    if (interrupt.signal.aborted) {
      stderr("cmdai: interrupted\n");
      return ExitCode.interrupted;
    }
    stderr(`cmdai: internal error: ${oneLine(String((e as Error)?.message ?? e))}\n`);
    if (Deno.env.get("CMDAI_DEBUG")) console.error(e);
    return ExitCode.runtime;
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}

async function dispatch(args: string[], interrupt: AbortSignal): Promise<number> {
  const inv = parseInvocation(args);
  switch (inv.kind) {
    case "help":
      stdout(HELP);
      return ExitCode.ok;
    case "version":
      stdout(`cmdai ${VERSION}\n`);
      return ExitCode.ok;
    case "subcommand":
      if (inv.name === "init") {
        const { initScript } = await import("./commands/init.ts");
        stdout(await initScript(inv.args));
        return ExitCode.ok;
      }
      if (inv.name === "serve") {
        const { runServe } = await import("./commands/serve.ts");
        return await runServe(inv.args, {
          stdout,
          stderr,
          stderrIsTerminal: Deno.stderr.isTerminal(),
        }, Deno.env);
      }
      if (inv.name === "model") {
        const { processIO, runModelCommand } = await import("./commands/model.ts");
        return await runModelCommand(inv.args, Deno.env, { ...processIO(), signal: interrupt });
      }
      {
        const [{ runCheck }, { policyFromEnv }] = await Promise.all([
          import("./commands/check.ts"),
          import("./answer/policy.ts"),
        ]);
        return await runCheck(inv.args, {
          stdin: Deno.stdin.readable,
          stdout,
          policy: policyFromEnv(Deno.env),
        });
      }
    case "request": {
      const io = {
        stdout,
        stderr,
        interactive: Deno.stdin.isTerminal() && Deno.stderr.isTerminal(),
        colour: Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR"),
      };
      // The warm server answers when it can; otherwise this process does, the same way.
      const { requestViaServer, serverEnabled } = await import("./server/client.ts");
      if (serverEnabled(Deno.env)) {
        const code = await requestViaServer(inv, io, interrupt, Deno.env);
        if (code !== undefined) return code;
      }
      const { runRequest } = await import("./commands/request.ts");
      return await runRequest(inv, io, interrupt);
    }
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
