/**
 * `cmdai [flags] request…`: what is decided before the pipeline runs (a
 * flag that does not fit the backend; Enter on a line that asks nothing; a
 * missing model offered for download to a person at a terminal), then the
 * warm server answers, or this process does, the same way (`answer/run.ts`).
 *
 * @module
 */

import type { RequestArgs } from "../answer/args.ts";
import { readLine } from "../answer/ask.ts";
import { runRequest } from "../answer/run.ts";
import { checkSettings } from "../backends/open.ts";
import type { Settings } from "../config.ts";
import type { Env } from "../env.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import type { IO } from "../io.ts";
import { exists } from "../fs.ts";
import { resolveModel } from "../models/spec.ts";
import { widgetFrame } from "../report.ts";
import { requestViaServer } from "../server/client.ts";

/** Runs a parsed request: through the server when it can, else here. */
export async function runRequestCommand(
  args: RequestArgs,
  io: IO,
  env: Settings,
): Promise<number> {
  if (args.printPrompt) {
    const { printPrompt } = await import("./print_prompt.ts");
    return await printPrompt(args, io, env);
  }
  const { kind, remote } = await checkSettings(env);
  if (remote) refuseModelFlag(env, kind);
  // Enter on a line that asks nothing is the shell's: no server is started for it.
  if (args.enter && (await readLine(args.request, "enter")).kind === "command") {
    if (args.widget) io.stdout(widgetFrame({ code: ExitCode.passThrough }));
    return ExitCode.passThrough;
  }
  if (!remote && !args.widget && io.interactive) await offerDownload(env, io);
  const code = await requestViaServer(args, io, env);
  if (code !== undefined) return code;
  return await runRequest(args, io, env);
}

/** `--model` with a remote backend is a mistake worth saying, not a flag to ignore. */
export function refuseModelFlag(env: Settings, kind: string): void {
  if (env.source("CMDAI_MODEL").startsWith("flag")) {
    throw new CmdaiError(
      ExitCode.usage,
      `--model picks a GGUF file for the embedded backend; the ${kind} backend takes --remote-model`,
    );
  }
}

/**
 * A person at a terminal whose hub model is not downloaded yet gets it now,
 * with a progress bar; the widget and scripts are told to pull it instead.
 */
async function offerDownload(env: Env, io: IO): Promise<void> {
  const model = resolveModel({ env });
  if (model.kind !== "hf" || await exists(model.cachedPath)) return;
  const { pullWithProgress } = await import("./model.ts");
  await pullWithProgress(model, { env, dest: model.cachedPath, io });
}
