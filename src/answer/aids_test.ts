import { assert, assertEquals } from "../../test/support/assert.ts";
import { gatherAids, installedFor, isLoopback, recentCommands, type Where } from "./aids.ts";
import { gatherContext } from "./context.ts";
import { installedPrograms } from "./installed.ts";

const env = (vars: Record<string, string> = {}) => ({ get: (k: string) => vars[k] });
const where = (recent: string[], vars: Record<string, string> = {}): Where => ({
  shell: "zsh",
  env: env(vars),
  recent,
});
const HISTORY = ["cd src", "make", "git status", "docker tag app r/app:1", "ls"];

Deno.test("isLoopback: this machine's names and addresses only", () => {
  for (const url of ["http://127.0.0.1:8000/v1", "http://localhost:11434", "http://[::1]:80"]) {
    assert(isLoopback(url), url);
  }
  for (
    const url of [
      "http://10.0.0.5:8000",
      "https://api.example.com/v1",
      "http://127.0.0.1.example.com",
    ]
  ) {
    assert(!isLoopback(url), url);
  }
  assert(!isLoopback("not a url"));
});

Deno.test("recent commands: the last CMDAI_HISTORY, oldest first; 0 is none", () => {
  assertEquals(recentCommands(where(HISTORY), "x"), ["git status", "docker tag app r/app:1", "ls"]);
  assertEquals(recentCommands(where(HISTORY, { CMDAI_HISTORY: "1" }), "x"), ["ls"]);
  assertEquals(recentCommands(where(HISTORY, { CMDAI_HISTORY: "10" }), "x"), HISTORY);
  assertEquals(recentCommands(where(HISTORY, { CMDAI_HISTORY: "0" }), "x"), []);
  assertEquals(recentCommands({ shell: "zsh", env: env() }, "x"), [], "no widget, no history");
});

Deno.test("recent commands: the request itself is not one; long entries are cut", () => {
  const recent = ["git log", "# push what I tagged", "cat <<EOF\nsecret\nEOF", "x".repeat(500)];
  const got = recentCommands(where(recent, { CMDAI_HISTORY: "10" }), "push what I tagged");
  assertEquals(got.slice(0, 2), ["git log", "cat <<EOF …"]);
  assert(got[2].length <= 200 && got[2].endsWith(" …"), got[2]);
});

Deno.test("recent commands: withheld from another machine's server unless allowed", () => {
  const remote = "https://llm.example.com/v1";
  assertEquals(recentCommands(where(HISTORY), "x", remote), []);
  assertEquals(recentCommands(where(HISTORY), "x", "http://127.0.0.1:11434").length, 3);
  const allowed = where(HISTORY, { CMDAI_HISTORY_REMOTE: "1" });
  assertEquals(recentCommands(allowed, "x", remote).length, 3);
});

Deno.test("CMDAI_GROUND=0 leaves out the tldr examples and the alternatives, not history", () => {
  const ctx = gatherContext("zsh", "linux", "/");
  const installed = installedPrograms({ path: "", shell: "zsh", known: ["grep", "rg"] });
  const request = "search all files for the word needle";
  const on = gatherAids(request, ctx, where(HISTORY), installed);
  assert(on.grounding.length > 0, "grounded");
  assertEquals(on.alternatives, [{ usual: "grep", installed: ["grep", "rg"] }]);
  const off = gatherAids(request, ctx, where(HISTORY, { CMDAI_GROUND: "0" }), installed);
  assertEquals([off.grounding, off.alternatives, off.recent], [[], [], on.recent]);
});

Deno.test("no PATH in the request: nothing is called missing, no alternatives are told", () => {
  const ctx = gatherContext("zsh", "linux", "/");
  assertEquals(installedFor(where([]), ctx), undefined);
  const request = "search all files for the word needle";
  assertEquals(gatherAids(request, ctx, where([]), undefined).alternatives, []);
  assert(installedFor(where([], { PATH: "/usr/bin" }), ctx)?.has("cd"));
});
