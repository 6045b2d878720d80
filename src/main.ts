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
import { CmdaiError, ExitCode, failure } from "./errors.ts";
import { type IO, processIO, writeAllSync } from "./io.ts";
import { layer, loadConfig } from "./config.ts";
import { VERSION } from "./version.ts";

const stderr = (text: string) => writeAllSync(Deno.stderr, text);

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
    return await dispatch(args, processIO(interrupt.signal));
  } catch (e) {
    if (!(e instanceof CmdaiError) && interrupt.signal.aborted) {
      stderr("cmdai: interrupted\n");
      return ExitCode.interrupted;
    }
    const { code, line, internal } = failure(e);
    stderr(`${line}\n`);
    // A script that asked for JSON reads stdout: the error is there too, as one JSON line.
    if (asksJson(args)) {
      writeAllSync(
        Deno.stdout,
        JSON.stringify({ error: line.replace(/^cmdai: /, ""), exit_code: code }) + "\n",
      );
    }
    if (internal && Deno.env.get("CMDAI_DEBUG")) console.error(e);
    return code;
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}

/** Whether the flags (before `--`) include `--json`. */
function asksJson(args: string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).includes("--json");
}

/** This process's environment, as settings read it. */
const processEnv = { get: (k: string) => Deno.env.get(k), toObject: () => Deno.env.toObject() };

async function dispatch(args: string[], io: IO): Promise<number> {
  const inv = parseInvocation(args);
  switch (inv.kind) {
    case "help":
      io.stdout(HELP);
      return ExitCode.ok;
    case "version":
      io.stdout(`cmdai ${VERSION}\n`);
      return ExitCode.ok;
    case "subcommand": {
      // `config` and `doctor` read the file themselves: they report a broken one.
      if (inv.name === "config") {
        const { runConfig } = await import("./commands/config.ts");
        return await runConfig(inv.args, io, processEnv);
      }
      if (inv.name === "doctor") {
        const { runDoctor } = await import("./commands/doctor.ts");
        return await runDoctor(inv.args, io, processEnv);
      }
      const env = layer({}, processEnv, await loadConfig(processEnv));
      switch (inv.name) {
        case "init": {
          const { initScript } = await import("./commands/init.ts");
          io.stdout(await initScript(inv.args, env));
          return ExitCode.ok;
        }
        case "serve": {
          const { runServe } = await import("./commands/serve.ts");
          return await runServe(inv.args, io, env);
        }
        case "model": {
          const { runModelCommand } = await import("./commands/model.ts");
          return await runModelCommand(inv.args, env, io);
        }
        case "check": {
          const [{ runCheck }, { policyFromEnv }] = await Promise.all([
            import("./commands/check.ts"),
            import("./answer/policy.ts"),
          ]);
          return await runCheck(inv.args, io, { policy: policyFromEnv(env), env });
        }
        case "explain": {
          const { runExplainCommand } = await import("./commands/explain.ts");
          return await runExplainCommand(inv.args, io, env);
        }
        case "eval": {
          const [{ runEval }, { openBackend }] = await Promise.all([
            import("./commands/eval.ts"),
            import("./backends/open.ts"),
          ]);
          return await runEval(
            inv.args,
            io,
            (signal, flags) => openBackend(env.withFlags(flags), { signal }),
          );
        }
      }
      break;
    }
    case "request": {
      const env = layer(inv.settings ?? {}, processEnv, await loadConfig(processEnv));
      // The warm server answers when it can; otherwise this process does, the same way.
      const { requestViaServer } = await import("./server/client.ts");
      const code = await requestViaServer(inv, io, env);
      if (code !== undefined) return code;
      const { runRequest } = await import("./commands/request.ts");
      return await runRequest(inv, io, env);
    }
  }
  return ExitCode.usage;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
