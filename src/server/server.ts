/**
 * `cmdai serve`: the resident server. It keeps the model loaded, with its
 * context holding the evaluated prompt prefix (system message and examples),
 * so a request pays only for its own tokens and the reply.
 *
 * One server per user: it holds an exclusive lock beside its socket for its
 * whole life (the kernel drops it when the process dies, so a crash leaves no
 * stale lock), and only the lock holder may replace the socket. Requests are
 * answered one at a time, in arrival order; a client that goes away cancels
 * its request at once. The server exits after an idle time, when asked to,
 * or when its socket is removed.
 *
 * @module
 */

import type { Env } from "../env.ts";
import { layer, loadConfig } from "../config.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import { runExplain, runRequest } from "../answer/run.ts";
import { detachedIO } from "../io.ts";
import { failureOutput } from "../report.ts";
import { createModelPool } from "./models.ts";
import { runtimeDir } from "../runtime_dir.ts";
import { setting } from "../settings.ts";
import { VERSION } from "../version.ts";
import {
  type Body,
  ClientMessage,
  decode,
  lines,
  send,
  sendText,
  type ServerMessage,
  serverPaths,
  type Status,
  TooLong,
} from "./protocol.ts";

/** Options of {@link serve}. */
export interface ServeOptions {
  env: Env;
  /** One line for the log (the server has no terminal). */
  log(line: string): void;
}

/**
 * Runs the server until it is stopped, idle or orphaned; resolves to the exit
 * code. Refuses to start beside a live server.
 */
export async function serve({ env, log }: ServeOptions): Promise<number> {
  const idleMs = setting(env, "idle") * 1000;
  const dir = await runtimeDir(env);
  // A daemon's own directory: whatever directory started it may be deleted while it lives, and
  // llama.cpp's loader cannot start from a deleted one.
  Deno.chdir(dir);
  const paths = serverPaths(dir);
  const lock = await Deno.open(paths.lock, { create: true, write: true, mode: 0o600 });
  if (!(await lock.tryLock(true))) {
    lock.close();
    throw new CmdaiError(
      ExitCode.runtime,
      `a cmdai server is already running (${paths.socket}); cmdai serve --status shows it`,
    );
  }
  // Holding the lock, no live server owns the socket: a file there is stale.
  await Deno.remove(paths.socket).catch(() => {});
  const listener = Deno.listen({ transport: "unix", path: paths.socket });
  await Deno.chmod(paths.socket, 0o600);
  const socketIno = (await Deno.lstat(paths.socket)).ino;
  log(`listening on ${paths.socket} (pid ${Deno.pid}, idle ${idleMs / 1000} s)`);

  const started = Date.now();
  const models = createModelPool({ log });
  let served = 0;
  let totalMs = 0;
  let queue: Promise<void> = Promise.resolve();
  let active = 0;
  let lastActivity = Date.now();
  let stopping = false;
  const conns = new Set<Deno.Conn>();
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    log(`stopping: ${why}`);
    listener.close();
    // A client that connected and never spoke must not keep the server alive.
    if (active === 0) {
      for (const conn of conns) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
    }
  };

  // Idle exit, and exit once the socket is gone or replaced (its directory removed, say).
  const watch = setInterval(async () => {
    if (active === 0 && Date.now() - lastActivity >= idleMs) return stop("idle");
    const now = await Deno.lstat(paths.socket).catch(() => undefined);
    if (!now || now.ino !== socketIno) stop("socket removed");
  }, Math.min(1000, idleMs / 2));

  function status(): Status {
    return {
      pid: Deno.pid,
      version: VERSION,
      model: models.paths()[0] ?? null,
      models: models.paths(),
      uptime_s: Math.round((Date.now() - started) / 1000),
      rss_bytes: Deno.memoryUsage().rss,
      requests: served,
      mean_ms: served ? Math.round(totalMs / served) : null,
      idle_s: idleMs / 1000,
    };
  }

  /** Runs one request as this process would, its output sent back in the form asked for. */
  async function answer(
    message: Extract<ClientMessage, { type: "request" }>,
    signal: AbortSignal,
    conn: Deno.Conn,
  ): Promise<number> {
    // Writes go out in order, and all of them before the connection closes.
    let sending = Promise.resolve(true);
    const queue = (write: () => Promise<boolean>) => void (sending = sending.then(write));
    const reply = (m: Body<ServerMessage>) => queue(() => send(conn, m));
    // The widget's shell reads raw bytes: the frame, and nothing else.
    const widget = message.reply === "widget";
    const stdout = (text: string) =>
      widget ? queue(() => sendText(conn, text)) : reply({ type: "stdout", text });
    const stderr = (text: string) => void (widget || reply({ type: "stderr", text }));
    const sent = new Map(Object.entries(message.env));
    const sentEnv = { get: (k: string) => sent.get(k), toObject: () => message.env };
    let code: number;
    try {
      // The client's environment over its config file, read now: an edit applies at once.
      const env = layer({}, sentEnv, await loadConfig(sentEnv));
      // A shell that asks over the socket itself leaves CMDAI_SERVER to cmdai: it gets no frame
      // and runs cmdai, which answers in its own process.
      if (widget && !setting(env, "server")) return ExitCode.usage;
      const io = detachedIO({ stdout, stderr, colour: message.colour, signal });
      const runtime = { cwd: message.cwd, backend: models.get };
      code = message.args.kind === "explain"
        ? await runExplain(message.args, io, env, runtime)
        : await runRequest(message.args, io, env, runtime);
    } catch (e) {
      const out = failureOutput(e, message.args);
      if (out.internal) log(`internal error: ${(e as Error)?.stack ?? e}`);
      if (out.stderr) stderr(out.stderr);
      if (out.stdout) stdout(out.stdout);
      code = out.code;
    }
    if (!widget) reply({ type: "exit", code });
    await sending;
    return code;
  }

  async function handle(conn: Deno.Conn): Promise<void> {
    const reader = lines(conn);
    const reply = (m: Body<ServerMessage>) => send(conn, m);
    try {
      let first: IteratorResult<string>;
      try {
        first = await reader.next();
      } catch (e) {
        if (e instanceof TooLong) await reply({ type: "error", message: e.message });
        return;
      }
      if (first.done) return;
      const decoded = decode(ClientMessage, first.value);
      if (!decoded.ok) {
        await reply({ type: "error", message: `bad message: ${decoded.reason}` });
        return;
      }
      const message = decoded.message;
      if (message.type === "status") {
        await reply({ type: "status", status: status() });
        return;
      }
      if (message.type === "stop") {
        await reply({ type: "stopping" });
        stop("asked to");
        return;
      }
      // A client that closes its end (Ctrl-C in the widget) cancels its request at once.
      const gone = new AbortController();
      (async () => {
        try {
          while (!(await reader.next()).done) { /* nothing more is expected */ }
        } catch { /* too long or reset: gone all the same */ }
        gone.abort(new CmdaiError(ExitCode.interrupted, "the client went away"));
      })();
      active++;
      const turn = queue.then(async () => {
        if (gone.signal.aborted) return;
        const t = performance.now();
        const code = await answer(message, gone.signal, conn);
        const ms = performance.now() - t;
        served++;
        totalMs += ms;
        log(
          `request: exit ${code} in ${Math.round(ms)} ms${
            gone.signal.aborted ? " (client gone)" : ""
          }`,
        );
      });
      queue = turn.catch(() => {});
      try {
        await turn;
      } finally {
        active--;
      }
    } finally {
      lastActivity = Date.now();
      try {
        conn.close();
      } catch { /* already closed */ }
    }
  }

  const pending = new Set<Promise<void>>();
  try {
    for await (const conn of listener) {
      conns.add(conn);
      const p = handle(conn).finally(() => {
        pending.delete(p);
        conns.delete(conn);
      });
      pending.add(p);
    }
  } catch (e) {
    if (!stopping) throw e;
  }
  clearInterval(watch);
  await Promise.allSettled(pending);
  await models.dispose();
  // Only our own socket is removed: a later server may already have put its own there.
  const now = await Deno.lstat(paths.socket).catch(() => undefined);
  if (now?.ino === socketIno) await Deno.remove(paths.socket).catch(() => {});
  lock.close();
  log("stopped");
  return ExitCode.ok;
}
