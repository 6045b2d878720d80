/**
 * Evaluation progress on stderr, in the style of the download progress (`models/progress.ts`,
 * whose duration format it shares): at a terminal one line redrawn in place, at most 10 times a
 * second, with a bar, done/total, the rate and the time left; elsewhere a plain line per 10 %
 * step, or every 30 s when a step takes longer. The rate is averaged over the whole run: with a
 * model on a CPU every request costs about the same, and a steady ETA reads better.
 *
 * @module
 */

import { formatDuration } from "../models/progress.ts";

/** Where and how progress is shown; `now` is injectable for tests. */
export interface EvalProgressOptions {
  /** Requests in the run. */
  total: number;
  /** Writes text, without adding a newline. */
  write: (text: string) => void;
  /** Redraw one line in place (a terminal) or print plain lines. */
  isTerminal: boolean;
  /** Terminal width; the line is kept shorter. Default (and below 40) 80. */
  columns?: number;
  /** Milliseconds clock; defaults to `performance.now`. */
  now?: () => number;
}

/** A progress display: report each finished request, then finish once. */
export interface EvalProgress {
  /** `done` requests of the total are finished, `failures` of them failed. */
  update(done: number, failures: number): void;
  /** Draws the last state and ends the line. */
  finish(): void;
}

const REDRAW_MS = 100;
const PLAIN_EVERY_MS = 30_000;

/** Requests per second as a person reads it: `2.5 req/s`, or `4.2 s/req` when slower than 1/s. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 1) return `${perSecond.toFixed(1)} req/s`;
  return `${(1 / perSecond).toFixed(1)} s/req`;
}

/** Creates a progress display; see the module documentation for its two modes. */
export function createEvalProgress(opts: EvalProgressOptions): EvalProgress {
  const now = opts.now ?? (() => performance.now());
  const columns = opts.columns && opts.columns >= 40 ? opts.columns : 80;
  const started = now();
  let done = 0, failures = 0, lastDraw = started, lastStep = 0, finished = false;

  const fields = (): string[] => {
    const elapsed = (now() - started) / 1000;
    const rate = done > 0 && elapsed > 0 ? done / elapsed : undefined;
    return [
      `${done}/${opts.total}`,
      rate !== undefined ? formatRate(rate) : "",
      rate !== undefined && done < opts.total
        ? `ETA ${formatDuration((opts.total - done) / rate)}`
        : "",
      failures ? `${failures} failed` : "",
    ].filter((f) => f !== "");
  };

  const terminalLine = (): string => {
    const text = fields().join("  ");
    const room = columns - 1 - text.length - 4;
    if (room < 10) return text.slice(0, columns - 1);
    const width = Math.min(30, room);
    const filled = opts.total ? Math.round((done / opts.total) * width) : width;
    return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]  ${text}`;
  };

  const draw = () => {
    lastDraw = now();
    if (opts.isTerminal) opts.write(`\r${terminalLine()}\x1b[K`);
    else opts.write(`eval: ${fields().join(", ")}\n`);
  };

  if (opts.isTerminal) draw();
  return {
    update(d, f) {
      if (finished) return;
      done = d;
      failures = f;
      const t = now();
      if (opts.isTerminal) {
        if (t - lastDraw >= REDRAW_MS || done >= opts.total) draw();
        return;
      }
      const step = opts.total ? Math.floor((done / opts.total) * 10) : 0;
      if (step > lastStep || t - lastDraw >= PLAIN_EVERY_MS) {
        lastStep = Math.max(lastStep, step);
        draw();
      }
    },
    finish() {
      if (finished) return;
      finished = true;
      if (opts.isTerminal) opts.write(`\r${terminalLine()}\x1b[K\n`);
    },
  };
}
