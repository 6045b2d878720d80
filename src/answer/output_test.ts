import { assert, assertEquals, assertStringIncludes } from "../../test/support/assert.ts";
import { formatHuman, formatJson, makeStyle, utf8Locale, widgetMessage } from "./output.ts";
import type { Answer } from "./answer.ts";
import type { Risk } from "../safety/mod.ts";

function answer(
  command: string,
  risk: Risk,
  requestRisk: Risk = "safe",
  notFound: string[] = [],
): Answer {
  const rules = (r: Risk, reason: string) => r === "safe" ? [] : [{ id: `x.${r}`, reason }];
  return {
    command,
    explanation: "Does a thing",
    rating: { risk, rules: rules(risk, "it is risky") },
    requestRating: { risk: requestRisk, rules: rules(requestRisk, "asks to wipe a disk") },
    shell: "zsh",
    notFound,
    generateMs: 12.4,
    tokens: { prompt: 300, output: 20 },
  };
}

Deno.test("widget messages: explanation, notice, warning, blocked", () => {
  assertEquals(widgetMessage(answer("ls", "safe"), "line"), "cmdai: Does a thing");
  assertEquals(
    widgetMessage(answer("git push -f", "moderate"), "line-notice"),
    "cmdai: moderate risk: it is risky",
  );
  assertStringIncludes(widgetMessage(answer("x", "high"), "line-warning"), "⚠ HIGH RISK");
  const blocked = widgetMessage(answer("rm -rf ~\necho", "critical"), "blocked");
  assertEquals(
    blocked,
    "cmdai: ✖ not placed on the line (critical risk): rm -rf ~ echo — it is risky",
  );
});

Deno.test("widget messages fall back to ASCII outside UTF-8 locales", () => {
  const msg = widgetMessage(answer("rm -rf ~", "critical"), "blocked", false);
  assert(/^[\x20-\x7e]+$/.test(msg), msg);
  const env = (m: Record<string, string>) => ({ get: (k: string) => m[k] });
  assert(utf8Locale(env({ LANG: "en_US.UTF-8" })));
  assert(utf8Locale(env({ LC_ALL: "C.utf8", LANG: "C" })));
  assert(!utf8Locale(env({ LC_ALL: "C", LANG: "en_US.UTF-8" })));
  assert(!utf8Locale(env({})));
});

Deno.test("a request riskier than its command is mentioned", () => {
  const msg = widgetMessage(answer("ls", "safe", "critical"), "line");
  assertStringIncludes(msg, "the request itself is critical risk: asks to wipe a disk");
  assert(!widgetMessage(answer("rm -rf ~", "critical", "critical"), "blocked").includes("request"));
});

Deno.test("JSON: the documented fields, rounded timings, one line", () => {
  const line = formatJson(answer("ls", "safe"), { kind: "embedded", model: "/m.gguf" }, {
    load_ms: 1.6,
    generate_ms: 2.2,
    total_ms: 4.9,
  });
  assert(!line.includes("\n"));
  assertEquals(JSON.parse(line), {
    command: "ls",
    explanation: "Does a thing",
    risk: "safe",
    rules: [],
    request_risk: "safe",
    request_rules: [],
    shell: "zsh",
    backend: "embedded",
    model: "/m.gguf",
    timings: { load_ms: 2, generate_ms: 2, total_ms: 5 },
    tokens: { prompt: 300, output: 20 },
    not_found: [],
  });
  const missing = formatJson(answer("fd x", "safe", "safe", ["fd"]), { kind: "e", model: "m" }, {
    load_ms: 0,
    generate_ms: 0,
    total_ms: 0,
  });
  assertEquals(JSON.parse(missing).not_found, ["fd"]);
});

Deno.test("a program that is not installed: said in every output but a refusal's", () => {
  const missing = (...names: string[]) => answer("fd x | jq .", "safe", "safe", names);
  assertEquals(
    widgetMessage(missing("fd"), "line"),
    "cmdai: Does a thing | fd is not installed here",
  );
  assertEquals(
    widgetMessage({ ...missing("fd", "jq", "rg"), explanation: undefined }, "line"),
    "cmdai: fd, jq and rg are not installed here",
  );
  assertStringIncludes(
    formatHuman(missing("fd", "jq"), "line", makeStyle(false)),
    "\n  fd and jq are not installed here\n",
  );
  const blocked = { ...missing("shred"), rating: { risk: "critical" as Risk, rules: [] } };
  assert(!widgetMessage(blocked, "blocked").includes("installed"));
});

Deno.test("human output: colour only when asked; blocked never runnable", () => {
  const plain = formatHuman(answer("ls", "safe"), "line", makeStyle(false));
  assertEquals(plain, "ls\n  Does a thing\n  risk: safe");
  assertStringIncludes(formatHuman(answer("ls", "safe"), "line", makeStyle(true)), "\x1b[1mls");
  const blocked = formatHuman(answer("rm -rf ~", "critical"), "blocked", makeStyle(false));
  assert(blocked.startsWith("# blocked (critical): rm -rf ~\n"), blocked);
});
