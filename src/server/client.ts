/**
 * The client side of the resident server: a request goes to the server when
 * one runs or can be started, and is answered in this process otherwise, with
 * a one-line notice. The answer is written only once it is whole, so a server
 * that dies mid-request leaves nothing half-printed: the request is simply
 * answered again here. The widget's frames are the exception: the command is
 * written the moment it comes, and a server that dies after it costs only the
 * explanation.
 *
 * @module
 */

import { dirname } from "node:path";
import type { AnswerArgs } from "../answer/args.ts";
import { safeCwd } from "../answer/context.ts";
import type { Env, FullEnv } from "../env.ts";
import { CmdaiError, ExitCode, oneLine } from "../errors.ts";
import type { IO } from "../io.ts";
import { setting, timedOut } from "../settings.ts";
import { existingRuntimeDir, runtimeDir } from "../runtime_dir.ts";
import { installedPath } from "../self.ts";
import {
  type Body,
  type ClientMessage,
  decode,
  lines,
  send,
  ServerMessage,
  serverPaths,
  type Status,
} from "./protocol.ts";

/** How long a request waits for a server it started to listen. */
const START_WAIT_MS = 10_000;

/** Whether requests go through the server (`CMDAI_SERVER=0` answers in-process). */
export function serverEnabled(env: Env): boolean {
  return setting(env, "server");
}

/** Connects to the server's socket; undefined when none listens there. */
async function connect(socket: string): Promise<Deno.UnixConn | undefined> {
  try {
    return await Deno.connect({ transport: "unix", path: socket });
  } catch {
    return undefined;
  }
}

/**
 * Starts `cmdai serve` detached from this process and its terminal: its own
 * session, no stdio (it logs to a file), not waited for.
 */
function startServer(env: Env, dir: string): boolean {
  const self = installedPath(env);
  if (!self) return false;
  try {
    const child = new Deno.Command(self, {
      args: ["serve"],
      // Never the client's directory, which may be deleted while the server lives.
      cwd: dir,
      env: { CMDAI_CWD_GONE: "" },
      stdin: "null",
      stdout: "null",
      stderr: "null",
      detached: true,
    }).spawn();
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/** Starts the server and connects to it once it listens. */
async function startAndConnect(socket: string, env: Env): Promise<Deno.UnixConn | undefined> {
  if (!startServer(env, dirname(socket))) return undefined;
  // Two clients may start two servers at once: the lock lets one win, and both connect to it.
  const deadline = Date.now() + START_WAIT_MS;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    const c = await connect(socket);
    if (c) return c;
  }
  return undefined;
}

/** Sends one message and collects the replies until the server closes the connection. */
async function exchange(
  conn: Deno.UnixConn,
  message: Body<ClientMessage>,
  onMessage: (m: ServerMessage) => boolean,
): Promise<void> {
  if (!(await send(conn, message))) return;
  for await (const line of lines(conn)) {
    const decoded = decode(ServerMessage, line);
    if (!decoded.ok) throw new Error(`the server's reply: ${decoded.reason}`);
    if (!onMessage(decoded.message)) return;
  }
}

/**
 * Answers a request through the server; undefined when it has to be answered
 * in-process: the server is off (`CMDAI_SERVER=0`), or there is none or it
 * went away (after a notice on stderr).
 */
export async function requestViaServer(
  args: AnswerArgs,
  io: IO,
  env: FullEnv,
): Promise<number | undefined> {
  if (!serverEnabled(env)) return undefined;
  const timeoutS = setting(env, "timeout");
  let dir: string;
  try {
    dir = await runtimeDir(env);
  } catch (e) {
    io.stderr(`cmdai: no server: ${oneLine((e as Error).message)}; answering here\n`);
    return undefined;
  }
  const { socket } = serverPaths(dir);
  const conn = await connect(socket) ?? await startAndConnect(socket, env);
  if (!conn) {
    io.stderr("cmdai: the server did not start; answering here\n");
    return undefined;
  }
  const out: string[] = [];
  const err: string[] = [];
  let wrote = false;
  let code: number | undefined;
  let refused: string | undefined;
  const interrupt = io.signal;
  const timeout = AbortSignal.timeout(timeoutS * 1000);
  const stop = () => {
    try {
      conn.close();
    } catch { /* closed */ }
  };
  interrupt.addEventListener("abort", stop);
  timeout.addEventListener("abort", stop);
  try {
    // The flags' settings travel in the environment.
    await exchange(conn, {
      type: "request",
      args,
      cwd: safeCwd(),
      colour: io.colour,
      // All of it: the settings, and the API key under whatever name the config gives it.
      env: env.toObject(),
    }, (m) => {
      // The widget's frames pass on as they come: the command reaches the line before the
      // explanation is written. Anything else waits for the whole reply.
      if (m.type === "stdout" && args.widget) {
        io.stdout(m.text);
        wrote = true;
      } else if (m.type === "stdout") out.push(m.text);
      else if (m.type === "stderr") err.push(m.text);
      else if (m.type === "exit") code = m.code;
      else if (m.type === "error") refused = m.message;
      return code === undefined && refused === undefined;
    });
  } catch (e) {
    refused = (e as Error).message;
  } finally {
    interrupt.removeEventListener("abort", stop);
    timeout.removeEventListener("abort", stop);
    stop();
  }
  if (interrupt.aborted) throw new CmdaiError(ExitCode.interrupted, "interrupted");
  if (timeout.aborted && code === undefined) {
    throw timedOut(timeoutS);
  }
  // The command is on the line already: what went missing is its explanation only.
  if (code === undefined && wrote) return ExitCode.ok;
  if (code === undefined) {
    // A server that refuses what this cmdai sends is another version of it: stopped, the next
    // request starts one that matches.
    if (refused) await stopServer(env).catch(() => {});
    io.stderr(
      `cmdai: the server ${refused ? `refused the request (${oneLine(refused)})` : "went away"}; ` +
        "answering here\n",
    );
    return undefined;
  }
  if (out.length) io.stdout(out.join(""));
  if (err.length) io.stderr(err.join(""));
  return code;
}

/** The server's status, or undefined when none is running. */
export async function serverStatus(env: Env): Promise<Status | undefined> {
  const dir = await existingRuntimeDir(env);
  const conn = dir && await connect(serverPaths(dir).socket);
  if (!conn) return undefined;
  let status: Status | undefined;
  try {
    await exchange(conn, { type: "status" }, (m) => {
      if (m.type === "status") status = m.status;
      return false;
    });
  } finally {
    conn.close();
  }
  return status;
}

/** Asks the server to stop; false when none was running. */
export async function stopServer(env: Env): Promise<boolean> {
  const dir = await existingRuntimeDir(env);
  if (!dir) return false;
  const { socket } = serverPaths(dir);
  const conn = await connect(socket);
  if (!conn) return false;
  try {
    await exchange(conn, { type: "stop" }, () => false);
  } finally {
    conn.close();
  }
  // Gone once its socket is.
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && (await Deno.lstat(socket).then(() => true, () => false))) {
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}
