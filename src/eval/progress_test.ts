import { assert, assertEquals, assertStringIncludes } from "../../test/support/assert.ts";
import { createEvalProgress, formatRate } from "./progress.ts";

Deno.test("rates read as requests per second, or seconds per request when slow", () => {
  assertEquals(formatRate(2.5), "2.5 req/s");
  assertEquals(formatRate(0.25), "4.0 s/req");
});

Deno.test("at a terminal: one redrawn line with a bar, done/total, rate and ETA", () => {
  let t = 0, out = "";
  const p = createEvalProgress({
    total: 10,
    write: (s) => out += s,
    isTerminal: true,
    now: () => t,
  });
  assertStringIncludes(out, "0/10");
  t = 8000;
  p.update(2, 1);
  // 2 requests in 8 s: 4 s each, 8 left → 32 s.
  assertStringIncludes(
    out,
    "\r[######------------------------]  2/10  4.0 s/req  ETA 32s  1 failed",
  );
  t = 8050;
  const before = out;
  p.update(3, 1);
  assertEquals(out, before, "no redraw within 100 ms");
  t = 40_000;
  p.update(10, 1);
  p.finish();
  assert(out.endsWith("10/10  4.0 s/req  1 failed\x1b[K\n"), JSON.stringify(out));
});

Deno.test("elsewhere: a plain line per 10 % step", () => {
  let t = 0;
  const lines: string[] = [];
  const p = createEvalProgress({
    total: 20,
    write: (s) => lines.push(s),
    isTerminal: false,
    now: () => t,
  });
  for (let d = 1; d <= 20; d++) {
    t += 1000;
    p.update(d, 0);
  }
  p.finish();
  assertEquals(lines.length, 10);
  assertEquals(lines[0], "eval: 2/20, 1.0 req/s, ETA 18s\n");
  assertEquals(lines[9], "eval: 20/20, 1.0 req/s\n");
});
