/**
 * Grounding in the tldr pages: for a request, a few examples of the utilities it most likely
 * needs, as text for the model's user turn. Offline; the index ships in this folder.
 *
 * ```ts
 * const examples = ground("find big log files", { os: "linux", installed });
 * const block = formatGrounding(examples); // "" when there are none
 * ```
 *
 * @module
 */

import { loadIndex } from "./index.ts";
import { type Model, modelOf, scoreUtilities } from "./model.ts";
import {
  type Alternatives,
  chooseExamples,
  exampleLine,
  type Grounding,
  type GroundOptions,
  HEADER,
  installedAlternatives,
} from "./select.ts";

export type { Alternatives, Grounding, GroundOptions } from "./select.ts";

let model: Model | undefined;

/** The shipped index with its lookups, loaded on first use and kept for the process. */
export function groundingModel(): Model {
  model ??= modelOf(loadIndex());
  return model;
}

/**
 * Examples from the tldr pages for the utilities `request` most likely needs, best first;
 * [] when unsure. Pages fit `opts.os`; programs `opts.installed` denies give way to installed
 * alternatives. The first call reads the index (see {@link groundingModel}).
 */
export function ground(request: string, opts: GroundOptions): Grounding[] {
  const m = groundingModel();
  return chooseExamples(m, request, scoreUtilities(m, request), opts);
}

/** What the tldr index tells the model about a request. */
export interface Told {
  /** Examples for the utilities it likely needs (see {@link ground}). */
  examples: Grounding[];
  /** The installed programs among their usual alternatives (`grep` or `rg`). */
  alternatives: Alternatives[];
}

/**
 * {@link ground}'s examples and the installed alternatives for `request`, from one scoring:
 * what the prompt is given. Without `opts.installed` there are no alternatives to tell.
 */
export function groundRequest(request: string, opts: GroundOptions): Told {
  const m = groundingModel();
  const scored = scoreUtilities(m, request);
  return {
    examples: chooseExamples(m, request, scored, opts),
    alternatives: opts.installed ? installedAlternatives(m, scored, opts.installed) : [],
  };
}

/** The examples as the block for the user's turn: a header and one line each; "" for none. */
export function formatGrounding(examples: readonly Grounding[]): string {
  if (examples.length === 0) return "";
  return [HEADER, ...examples.map(exampleLine)].join("\n");
}
