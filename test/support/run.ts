/**
 * Runs a program to completion with no stdin and returns its exit code and
 * output as text: the shape every end-to-end test reads.
 *
 * @module
 */

/** A finished process. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cmd` with `args`; `env` is added to this process's unless `clearEnv`. */
export async function run(
  cmd: string,
  args: string[],
  opts: { env?: Record<string, string>; clearEnv?: boolean; cwd?: string } = {},
): Promise<Run> {
  const out = await new Deno.Command(cmd, {
    args,
    env: opts.env,
    clearEnv: opts.clearEnv,
    cwd: opts.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
