/**
 * Download progress on stderr.
 *
 * At a terminal: one line redrawn in place (`\r`, at most 10 times a second)
 * with bytes, percentage, speed and time left. Elsewhere (logs, CI, the
 * widget's captured stderr) plain lines: one per 10 % step, or every 10 s
 * when a step takes longer. No colour is used, so `NO_COLOR` needs no case.
 *
 * @module
 */

/** Where and how progress is shown; `now` and `write` are injectable for tests. */
export interface ProgressOptions {
  /** What is being downloaded (a file name). */
  label: string;
  /** Writes text to the output, without adding a newline. */
  write: (text: string) => void;
  /** Redraw one line in place (a terminal) or print plain lines. */
  isTerminal: boolean;
  /** Milliseconds clock; defaults to `performance.now`. */
  now?: () => number;
  /** Terminal width; the line is kept shorter than this. Default (and below 20) 80. */
  columns?: number;
}

/** A progress display: feed it byte counts, then finish it once. */
export interface Progress {
  /** Reports `received` bytes of `total` (undefined when unknown). */
  update(received: number, total: number | undefined): void;
  /** Draws the last state and ends the line (call on success and on failure). */
  finish(): void;
}

/** Minimum time between two redraws at a terminal (≤ 10 per second). */
const REDRAW_MS = 100;
/** Longest silence between two plain lines while bytes still arrive. */
const PLAIN_EVERY_MS = 10_000;
/** Speed is averaged over this much recent time. */
const SPEED_WINDOW_MS = 5_000;

/** Formats a byte count with binary units: `512 B`, `1.5 KiB`, `940.4 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = n / 1024, i = 0;
  while (value >= 1024 && i < units.length - 1) value /= 1024, i++;
  return `${value.toFixed(1)} ${units[i]}`;
}

/** Formats seconds as `45s`, `3m07s` or `2h05m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Creates a progress display; see the module documentation for its two modes. */
export function createProgress(opts: ProgressOptions): Progress {
  const now = opts.now ?? (() => performance.now());
  // A pty without a size reports 0 columns: fall back to 80.
  const columns = opts.columns && opts.columns >= 20 ? opts.columns : 80;
  const samples: { t: number; bytes: number }[] = [];
  let received = 0, total: number | undefined;
  let lastDraw = -Infinity, lastStep = -1, drawnBytes = -1, finished = false;

  // Bytes per second over the recent window; undefined until there is enough.
  const speed = (): number | undefined => {
    if (samples.length < 2) return undefined;
    const first = samples[0], last = samples[samples.length - 1];
    const dt = last.t - first.t;
    return dt >= 500 ? ((last.bytes - first.bytes) * 1000) / dt : undefined;
  };

  const percent = () => total ? Math.floor((received / total) * 100) : undefined;

  const terminalLine = (): string => {
    const pct = percent();
    const rate = speed();
    const fields = [
      total !== undefined
        ? `${formatBytes(received)} / ${formatBytes(total)}`
        : formatBytes(received),
      pct !== undefined ? `${pct}%` : "",
      rate !== undefined ? `${formatBytes(Math.round(rate))}/s` : "",
      rate && total !== undefined && received < total
        ? `ETA ${formatDuration((total - received) / rate)}`
        : "",
    ].filter((f) => f !== "").join("  ");
    // Keep the whole line narrower than the terminal, shortening the label first.
    const room = columns - 1 - fields.length - 2;
    let label = opts.label;
    if (room < label.length) label = room > 3 ? label.slice(0, room - 1) + "…" : "";
    return (label ? `${label}  ${fields}` : fields).slice(0, Math.max(0, columns - 1));
  };

  const plainLine = (): string => {
    const pct = percent();
    const rate = speed();
    const amount = total !== undefined
      ? `${pct}% (${formatBytes(received)} of ${formatBytes(total)}`
      : `(${formatBytes(received)}`;
    return `${opts.label}: ${amount}${
      rate !== undefined ? `, ${formatBytes(Math.round(rate))}/s` : ""
    })\n`;
  };

  const draw = (t: number) => {
    lastDraw = t;
    drawnBytes = received;
    if (opts.isTerminal) opts.write(`\r${terminalLine()}\x1b[K`);
    else opts.write(plainLine());
  };

  return {
    update(bytes, size) {
      if (finished) return;
      const t = now();
      received = bytes;
      total = size;
      samples.push({ t, bytes });
      while (samples.length > 2 && t - samples[0].t > SPEED_WINDOW_MS) samples.shift();
      if (opts.isTerminal) {
        if (t - lastDraw >= REDRAW_MS || (total !== undefined && received >= total)) draw(t);
        return;
      }
      const pct = percent();
      const step = pct === undefined ? -1 : Math.floor(pct / 10);
      if ((pct !== undefined && step > lastStep) || t - lastDraw >= PLAIN_EVERY_MS) {
        lastStep = Math.max(lastStep, step);
        draw(t);
      }
    },
    finish() {
      if (finished) return;
      finished = true;
      if (drawnBytes < 0) return;
      if (opts.isTerminal) opts.write(`\r${terminalLine()}\x1b[K\n`);
      else if (received !== drawnBytes) opts.write(plainLine());
    },
  };
}
