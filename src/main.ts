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
import { type IO, processIO, writeProcess } from "./io.ts";
import { failureOutput, hasFlag } from "./report.ts";
import { layer, loadConfig } from "./config.ts";
import { VERSION } from "./version.ts";

const stderr = (text: string) => writeProcess(Deno.stderr, text);

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
    // A script that asked for JSON reads stdout, the widget its frame: the error is there too.
    const out = failureOutput(e, {
      json: hasFlag(args, "--json"),
      widget: hasFlag(args, "--widget"),
    });
    if (out.stderr) stderr(out.stderr);
    if (out.stdout) writeProcess(Deno.stdout, out.stdout);
    if (out.internal && Deno.env.get("CMDAI_DEBUG")) console.error(e);
    return out.code;
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
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
      if (inv.name === "init") {
        // The integration loads whatever the config file says: a broken file must not leave
        // the shell without it (Ctrl-G would be zsh's send-break and lose the line). Its
        // defaults then, and the file's error once; each press says it again.
        const file = await loadConfig(processEnv).catch((e) => {
          io.stderr(`${failure(e).line}; the shell integration uses the defaults\n`);
          return { path: "", exists: false, values: new Map() };
        });
        const { initScript } = await import("./commands/init.ts");
        io.stdout(await initScript(inv.args, layer({}, processEnv, file)));
        return ExitCode.ok;
      }
      const env = layer({}, processEnv, await loadConfig(processEnv));
      switch (inv.name) {
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
            (flags) => env.withFlags(flags),
          );
        }
      }
      break;
    }
    case "request": {
      const env = layer(inv.settings, processEnv, await loadConfig(processEnv));
      const { runRequestCommand } = await import("./commands/request.ts");
      return await runRequestCommand(inv.args, io, env);
    }
  }
  return ExitCode.usage;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
