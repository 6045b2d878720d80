/**
 * Processes: killing init (PID 1) or every process, and killing processes by name or without
 * letting them clean up.
 *
 * @module
 */

import { rules } from "../rule.ts";
import type { ToolRead } from "../tools.ts";

/** The signal `kill` sends, as given (`-9`, `-KILL`, `-s KILL`, `--signal=KILL`). */
function killSignal(r: ToolRead): string | undefined {
  for (let i = 0; i < r.args.length; i++) {
    const a = r.args[i];
    if (a === "-s" || a === "--signal") return r.args[i + 1]?.toUpperCase();
    const m = /^-(?:s|-signal=)?(\w+)$/.exec(a);
    if (m && !/^[lLa]$/.test(m[1])) return m[1].toUpperCase();
  }
  return undefined;
}

/** The PIDs `kill` is given (after the signal, which may look like `-9` or `-KILL`). */
function killTargets(r: ToolRead): readonly string[] {
  const a = r.args;
  let i = 0;
  if (a[0] === "-s" || a[0] === "-n" || a[0] === "--signal") i = 2;
  else if (a[0]?.startsWith("-") && a.length > 1 && a[0] !== "--") i = 1;
  if (a[i] === "--") i++;
  return a.slice(i);
}

export const processRules = rules("proc", [
  {
    id: "kill-init",
    risk: "critical",
    reason: "kills init (PID 1) or every process, which brings the system down",
    on: ["kill", "pkill", "killall"],
    match: (r) =>
      r.tool === "kill"
        ? killTargets(r).some((p) => p === "1" || p === "-1")
        : r.words.some((p) => /^(init|systemd|launchd)$/.test(p)) ||
          (r.tool === "killall" && r.args.length === 0) || r.args.includes("-1"),
    examples: {
      hit: ["kill -9 1", "kill -9 -1", "sudo pkill systemd"],
      miss: ["kill 1234", "kill -9 4242"],
    },
  },
  {
    id: "kill-force",
    risk: "moderate",
    reason: "kills processes by name or without letting them clean up",
    on: ["kill", "killall", "pkill", "skill", "slay", "taskkill", "stop-process"],
    match: (r) => {
      if (r.tool === "taskkill") return true;
      if (r.tool !== "kill") return r.args.some((a) => !a.startsWith("-"));
      const sig = killSignal(r);
      return sig !== undefined && /^(9|KILL|SIGKILL)$/.test(sig);
    },
    examples: {
      hit: ["kill -9 4242", "killall -9 node", "pkill nginx", "kill -s KILL 4242"],
      miss: ["kill -15 1234", "kill 1234"],
    },
  },
]);
