/**
 * `cmdai serve [--status|--stop]`: runs the resident server in the
 * foreground (requests start it by themselves, detached), shows its state, or
 * stops it.
 *
 * @module
 */

import type { Env } from "../env.ts";
import type { IO } from "../io.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import { parseFlags } from "../flags.ts";
import { formatBytes } from "../models/progress.ts";
import { runtimeDir } from "../runtime_dir.ts";
import { serverStatus, stopServer } from "../server/client.ts";
import { serverPaths } from "../server/protocol.ts";
import { serve } from "../server/server.ts";

const USAGE = "usage: cmdai serve [--status | --stop]";

/** The server's log starts over once it is larger than this. */
const LOG_LIMIT = 1024 * 1024;

/** Runs `cmdai serve ARGS`; resolves to the exit code. */
export async function runServe(args: string[], io: IO, env: Env): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    status: { type: "boolean" },
    stop: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  }, USAGE);
  if (values.help) {
    io.stdout(`${USAGE}

Runs the resident server that keeps the model loaded (requests start it by themselves).
  --status   model, uptime, memory, requests served and mean latency
  --stop     stop it
CMDAI_IDLE: seconds without a request before it exits (default 900).
CMDAI_SERVER=0: requests never use it.
`);
    return ExitCode.ok;
  }
  if (positionals.length > 0 || (values.status && values.stop)) {
    throw new CmdaiError(ExitCode.usage, USAGE);
  }
  if (values.status) {
    const s = await serverStatus(env);
    if (!s) {
      io.stdout("no cmdai server is running\n");
      return ExitCode.runtime;
    }
    io.stdout(
      [
        `pid       ${s.pid} (cmdai ${s.version})`,
        `models    ${s.models.length ? s.models.join(", ") : "(none loaded yet)"}`,
        `uptime    ${s.uptime_s} s (exits after ${s.idle_s} s idle)`,
        `memory    ${formatBytes(s.rss_bytes)}`,
        `requests  ${s.requests}${s.mean_ms === null ? "" : `, mean ${s.mean_ms} ms`}`,
      ].join("\n") + "\n",
    );
    return ExitCode.ok;
  }
  if (values.stop) {
    io.stdout((await stopServer(env)) ? "stopped\n" : "no cmdai server was running\n");
    return ExitCode.ok;
  }
  const { log: logPath } = serverPaths(await runtimeDir(env));
  // The log is for looking into a problem now, not a history: it starts over past 1 MiB.
  const size = (await Deno.stat(logPath).catch(() => undefined))?.size ?? 0;
  const logFile = await Deno.open(logPath, {
    create: true,
    append: size <= LOG_LIMIT,
    write: true,
    truncate: size > LOG_LIMIT,
    mode: 0o600,
  });
  const encoder = new TextEncoder();
  try {
    return await serve({
      env,
      log(line) {
        const text = `${new Date().toISOString()} ${line}\n`;
        logFile.writeSync(encoder.encode(text));
        // In the foreground (a terminal, a service manager's log): stderr too. Started by a
        // request, the server's stderr goes nowhere.
        io.stderr(`cmdai serve: ${line}\n`);
      },
    });
  } finally {
    logFile.close();
  }
}
