import { assert, assertEquals, assertStringIncludes } from "../../test/support/assert.ts";
import { createProgress, formatBytes, formatDuration } from "./progress.ts";

const MiB = 1024 * 1024;

/** A progress display writing into an array, on a hand-driven clock. */
function harness(isTerminal: boolean, columns?: number) {
  const out: string[] = [];
  let t = 0;
  const progress = createProgress({
    label: "model.gguf",
    write: (s) => out.push(s),
    isTerminal,
    now: () => t,
    columns,
  });
  return { out, progress, tick: (ms: number) => t += ms };
}

Deno.test("formatBytes and formatDuration", () => {
  assertEquals(formatBytes(0), "0 B");
  assertEquals(formatBytes(1023), "1023 B");
  assertEquals(formatBytes(1536), "1.5 KiB");
  assertEquals(formatBytes(986_050_000), "940.4 MiB");
  assertEquals(formatBytes(3 * 1024 * MiB), "3.0 GiB");
  assertEquals(formatDuration(45), "45s");
  assertEquals(formatDuration(187), "3m07s");
  assertEquals(formatDuration(7500), "2h05m");
});

Deno.test("terminal: one line redrawn with \\r, at most 10 times a second", () => {
  const { out, progress, tick } = harness(true);
  const total = 100 * MiB;
  // 1 MiB every 10 ms for 2 s: 200 updates.
  for (let i = 1; i <= 100; i++) {
    tick(10);
    progress.update(i * MiB, total);
  }
  // 1 s of updates → at most 10 draws, plus the first.
  assert(out.length <= 11, `${out.length} redraws in 1 s`);
  assert(out.length >= 9, `${out.length} redraws in 1 s`);
  for (const line of out) {
    assert(line.startsWith("\r") && line.endsWith("\x1b[K"), JSON.stringify(line));
    assert(!line.includes("\n"));
  }
  const mid = out[5];
  assertStringIncludes(mid, "model.gguf");
  assertStringIncludes(mid, "/ 100.0 MiB");
  assertStringIncludes(mid, "%");
  assertStringIncludes(mid, "100.0 MiB/s");
  assertStringIncludes(mid, "ETA 0s");
  assertStringIncludes(out[out.length - 1], "100.0 MiB / 100.0 MiB  100%");
  progress.finish();
  assert(out[out.length - 1].endsWith("\n"), "finish ends the line");
});

Deno.test("terminal: the final 100% is always drawn, and the line fits the width", () => {
  const { out, progress, tick } = harness(true, 40);
  progress.update(0, 1000);
  tick(1);
  progress.update(999, 1000);
  tick(1);
  progress.update(1000, 1000);
  assertStringIncludes(out[out.length - 1], "100%");
  for (const line of out) {
    const visible = line.slice(1, line.endsWith("\x1b[K") ? -3 : undefined);
    assert(visible.length < 40, line);
  }
});

Deno.test("plain: lines at each 10% step, never redraws", () => {
  const { out, progress, tick } = harness(false);
  const total = 1000 * MiB;
  for (let i = 0; i <= 1000; i++) {
    tick(5);
    progress.update(i * MiB, total);
  }
  progress.finish();
  assertEquals(out.length, 11, out.join(""));
  for (const line of out) {
    assert(!line.includes("\r") && !line.includes("\x1b"), JSON.stringify(line));
    assert(line.endsWith("\n"));
  }
  assertEquals(out[0], "model.gguf: 0% (0 B of 1000.0 MiB)\n");
  assertStringIncludes(out[5], "model.gguf: 50% (500.0 MiB of 1000.0 MiB, 200.0 MiB/s)");
  assertStringIncludes(out[10], "100%");
});

Deno.test("plain: a slow download still prints every 10 s, and finish reports where it stopped", () => {
  const { out, progress, tick } = harness(false);
  progress.update(0, 100 * MiB);
  for (let s = 1; s <= 30; s++) {
    tick(1000);
    progress.update(s * 10_000, 100 * MiB); // well under 1 %
  }
  assertEquals(out.length, 4, out.join(""));
  tick(500);
  progress.update(301_000, 100 * MiB);
  progress.finish();
  assertEquals(out.length, 5);
  assertStringIncludes(out[4], "293.9 KiB of 100.0 MiB");
  progress.update(400_000, 100 * MiB);
  assertEquals(out.length, 5, "nothing after finish");
});

Deno.test("unknown total: bytes without percentage", () => {
  const { out, progress, tick } = harness(true);
  progress.update(0, undefined);
  tick(1000);
  progress.update(2 * MiB, undefined);
  assertStringIncludes(out[out.length - 1], "2.0 MiB");
  assert(!out[out.length - 1].includes("%"));
});

Deno.test("a terminal reporting 0 columns (a pty without a size) still gets a line", () => {
  const { out, progress } = harness(true, 0);
  progress.update(5 * MiB, 10 * MiB);
  assertStringIncludes(out[0], "model.gguf  5.0 MiB / 10.0 MiB  50%");
});
