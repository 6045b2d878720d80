/**
 * The first step: what the prompt line asks for. A line is a request in words
 * (`find the 10 biggest files here`, or `# undo my last commit`), a command to
 * revise by its trailing comment (`git log --oneline  # only mine`), or, when
 * Enter was pressed, a plain command that is none of cmdai's business.
 *
 * A `#` counts only where the shell would start a comment: the line is parsed
 * with the safety engine's bash parser, so `echo "a # b"` and `curl x#y` hold
 * no instruction.
 *
 * @module
 */

/** What to ask the model. */
export interface Ask {
  /** The request in the user's words, or the instruction for {@link Ask.command}. */
  request: string;
  /** A command to revise as the request says (edit by comment). */
  command?: string;
  /** Commands already offered for this ask: the model is to offer a different one. */
  offered?: string[];
}

/** How a prompt line reads: something to ask, or a command to leave alone. */
export type LineReading = { kind: "ask"; ask: Ask } | { kind: "command" };

/** Where the key press came from: Ctrl-G asks about any line, Enter only about commented ones. */
export type Trigger = "key" | "enter";

/** Joins lines continued with a backslash, as the shell reads them. */
export function joinContinuations(line: string): string {
  return line.replace(/\\\r?\n/g, "");
}

/** A `#` that marks a line as a request (`# undo my last commit`) is not part of it. */
export function cleanRequest(line: string): string {
  return line.trim().replace(/^#+\s*/, "");
}

/**
 * Reads a prompt line. With `trigger` "enter", a line is an ask only when it
 * is nothing but comments (`# list big files`): any other line is a command for
 * the shell to run as usual, a command with a trailing comment too (pasted from
 * documentation, say); revising a command by its comment is Ctrl-G's.
 */
export async function readLine(line: string, trigger: Trigger = "key"): Promise<LineReading> {
  const text = joinContinuations(line).trim();
  if (trigger === "enter") {
    const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
    if (!lines.every((l) => l.startsWith("#"))) return { kind: "command" };
    const request = lines.map(cleanRequest).filter(Boolean).join(" ");
    // A bare `#` asks nothing: Enter runs it as the shell would.
    return request ? { kind: "ask", ask: { request } } : { kind: "command" };
  }
  const whole: LineReading = { kind: "ask", ask: { request: cleanRequest(text) } };
  if (!text.includes("#")) return whole;

  // Loaded only for a line with a `#`: most lines never need the parser.
  const { loadBashParser } = await import("../syntax/bash_parser.ts");
  const parser = await loadBashParser();
  const tree = parser.parse(text);
  if (!tree) return trigger === "key" ? whole : { kind: "command" };
  try {
    // The comments at the end of the line, with nothing but white space after them.
    const comments = tree.rootNode.descendantsOfType("comment").filter((c) => c !== null)
      .sort((a, b) => a.startIndex - b.startIndex);
    let end = text.length;
    let first = comments.length;
    for (let i = comments.length - 1; i >= 0; i--) {
      if (text.slice(comments[i].endIndex, end).trim() !== "") break;
      first = i;
      end = comments[i].startIndex;
    }
    const trailing = comments.slice(first);
    const command = text.slice(0, end).trim();
    if (trailing.length > 0 && command === "") {
      const request = trailing.map((c) => cleanRequest(c.text)).filter(Boolean).join(" ");
      return { kind: "ask", ask: { request } };
    }
    // An instruction is a comment opened by `# `; `#tag` is part of a request in words.
    const instruction = trailing.length > 0 && /^#\s/.test(trailing[0].text)
      ? trailing.map((c) => cleanRequest(c.text)).filter(Boolean).join(" ")
      : "";
    if (instruction) return { kind: "ask", ask: { request: instruction, command } };
    return whole;
  } finally {
    tree.delete();
  }
}
