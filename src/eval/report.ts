/**
 * What an evaluation reports: one result per request (a JSONL line each with `--out`) and a
 * summary over the finished requests, as a table or as one JSON line.
 *
 * Every share is over the finished requests, failures included: a failure is not exact, does
 * not parse, is not rated and scores −1.
 *
 * @module
 */

import { type Risk, riskAtLeast } from "../safety/mod.ts";

/** The outcome of one request. */
export interface RowResult {
  /** 0-based position of the request in the dataset. */
  index: number;
  request: string;
  golds: string[];
  /** The model's command; undefined when the request failed. */
  prediction?: string;
  explanation?: string;
  /** The prediction equals a gold once white space is trimmed. */
  exact: boolean;
  /** NLC2CMD score in [−1, 1]. */
  nlc2cmd: number;
  /** Parses in the target shell; undefined when that cannot be checked. */
  parses?: boolean;
  risk?: Risk;
  /** Why the request failed (a bad reply, a timeout). */
  error?: string;
  /** Time the request took, scoring aside. */
  ms: number;
}

/** The numbers of a run, over its finished requests. */
export interface Summary {
  file: string;
  format: string;
  shell: string;
  backend: string;
  model: string;
  /** Requests in the run (after `--limit`). */
  requests: number;
  /** Requests finished (fewer than `requests` when interrupted). */
  done: number;
  /** Share of exact matches. */
  exact: number;
  /** Mean NLC2CMD score. */
  nlc2cmd: number;
  /** Share that parses in the target shell; undefined when it cannot be checked. */
  parses?: number;
  /** How the parse share is checked: `tree-sitter-bash` or `fish --no-execute`. */
  parseCheck: string;
  /** Why the parse share is unavailable (fish not installed). */
  parseUnavailable?: string;
  /** Share rated high or critical by the safety rater. */
  highRisk: number;
  failures: number;
  /** Mean time per finished request. */
  msPerRequest: number;
  interrupted: boolean;
}

/** Facts about the run that the rows do not hold. */
export type RunFacts = Pick<
  Summary,
  | "file"
  | "format"
  | "shell"
  | "backend"
  | "model"
  | "requests"
  | "parseCheck"
  | "parseUnavailable"
  | "interrupted"
>;

const mean = (xs: number[]) => xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;

/** Sums up `rows` (the finished requests, in any order). */
export function summarize(rows: readonly RowResult[], facts: RunFacts): Summary {
  const share = (pred: (r: RowResult) => boolean) => mean(rows.map((r) => pred(r) ? 1 : 0));
  return {
    ...facts,
    done: rows.length,
    exact: share((r) => r.exact),
    nlc2cmd: mean(rows.map((r) => r.nlc2cmd)),
    parses: facts.parseUnavailable ? undefined : share((r) => r.parses === true),
    highRisk: share((r) => r.risk !== undefined && riskAtLeast(r.risk, "high")),
    failures: rows.filter((r) => r.error !== undefined).length,
    msPerRequest: mean(rows.map((r) => r.ms)),
  };
}

/** One JSONL line for a row (no newline). */
export function rowJson(row: RowResult): string {
  return JSON.stringify({
    index: row.index,
    request: row.request,
    golds: row.golds,
    prediction: row.prediction ?? null,
    explanation: row.explanation ?? null,
    exact: row.exact,
    nlc2cmd: round(row.nlc2cmd, 4),
    parses: row.parses ?? null,
    risk: row.risk ?? null,
    error: row.error ?? null,
    ms: Math.round(row.ms),
  });
}

/** The summary as one compact JSON line (no newline); shares are fractions in [0, 1]. */
export function summaryJson(s: Summary): string {
  return JSON.stringify({
    file: s.file,
    format: s.format,
    shell: s.shell,
    backend: s.backend,
    model: s.model,
    requests: s.requests,
    done: s.done,
    exact: round(s.exact, 4),
    nlc2cmd: round(s.nlc2cmd, 4),
    parses: s.parses === undefined ? null : round(s.parses, 4),
    parse_check: s.parseUnavailable ? `unavailable: ${s.parseUnavailable}` : s.parseCheck,
    high_risk: round(s.highRisk, 4),
    failures: s.failures,
    ms_per_request: Math.round(s.msPerRequest),
    interrupted: s.interrupted,
  });
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  // `+ 0` turns −0 into 0.
  return Math.round(x * f) / f + 0;
}

function percent(share: number, count: number): string {
  return `${(share * 100).toFixed(1)}%  (${count})`;
}

/** The summary as a small aligned table for a person. */
export function formatTable(s: Summary): string {
  const n = s.done;
  const count = (share: number) => Math.round(share * n);
  const rows: [string, string][] = [
    ["requests", s.done === s.requests ? `${n}` : `${n} of ${s.requests} (interrupted)`],
    ["exact match", percent(s.exact, count(s.exact))],
    ["NLC2CMD", n ? s.nlc2cmd.toFixed(3) : "-"],
    [
      `parses (${s.shell})`,
      s.parses === undefined
        ? `unavailable (${s.parseUnavailable ?? "not checked"})`
        : percent(s.parses, count(s.parses)),
    ],
    ["risk >= high", percent(s.highRisk, count(s.highRisk))],
    ["failures", `${s.failures}`],
    ["ms / request", n ? `${Math.round(s.msPerRequest)}` : "-"],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const head = `${s.file}: ${s.format}, shell ${s.shell}, ${s.backend} ${s.model}`;
  return [head, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join("\n") + "\n";
}
