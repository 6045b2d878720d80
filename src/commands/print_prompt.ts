/**
 * `cmdai --print-prompt [--json] REQUEST…`: exactly what the model would be
 * sent for the request, here, now (context, recent commands given with
 * `--recent`, the installed alternatives, the tldr examples), and no model
 * run: it works before any model is downloaded, and with any backend set.
 *
 * @module
 */

import type { RequestArgs } from "../answer/args.ts";
import { tellModel } from "../answer/answer.ts";
import { readLine } from "../answer/ask.ts";
import { checkSettings } from "../backends/open.ts";
import type { Env } from "../env.ts";
import type { IO } from "../io.ts";
import { ExitCode } from "../errors.ts";

/** Prints the prompt for `args.request`; returns the exit code. */
export async function printPrompt(args: RequestArgs, io: IO, env: Env): Promise<number> {
  const { remote } = await checkSettings(env);
  const reading = await readLine(args.request, "key");
  // A key press always asks; readLine answers "command" for Enter alone.
  const ask = reading.kind === "ask" ? reading.ask : { request: args.request };
  const where = { shell: args.shell, env, recent: args.recent, known: args.known };
  const { prompt, aids } = tellModel(ask, where, remote?.url);
  if (args.json) {
    io.stdout(
      JSON.stringify({
        system: prompt.system,
        turns: prompt.turns,
        request: prompt.request,
        recent: aids.recent,
        installed: aids.alternatives,
        grounding: aids.grounding.map(({ page, command, description }) => ({
          page,
          command,
          description,
        })),
      }) + "\n",
    );
    return ExitCode.ok;
  }
  const turns = prompt.turns.flatMap((t) => [`[user]\n${t.user}`, `[assistant]\n${t.reply}`]);
  io.stdout([`[system]\n${prompt.system}`, ...turns, `[user]\n${prompt.request}`].join("\n\n"));
  io.stdout("\n");
  return ExitCode.ok;
}
