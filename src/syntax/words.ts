/**
 * Turns tree-sitter-bash word nodes into the text the shell would pass to a program, so quoting
 * tricks (`r''m`, `\rm`, `$'\x72m'`, `"rm"`) cannot hide a command name or an argument.
 *
 * Expansions the shell would perform at run time (`$HOME`, `$(…)`) are kept as written:
 * rules read `$HOME` as the home directory and treat other variables as unknown.
 *
 * @module
 */

import type { Node } from "web-tree-sitter";

/** The value of a word as the shell would see it after quote removal. */
export function wordValue(node: Node): string {
  switch (node.type) {
    case "word":
    case "number":
      return unescapeBare(node.text);
    case "raw_string":
      return node.text.slice(1, -1);
    case "ansi_c_string":
      return decodeAnsiC(node.text.slice(2, -1));
    case "string":
    case "translated_string":
      return stringValue(node);
    case "concatenation": {
      let out = "";
      for (const child of node.children) if (child) out += wordValue(child);
      return out;
    }
    case "expansion":
      return expansionValue(node);
    default:
      return node.text;
  }
}

/** Double-quoted string: strip the quotes; backslash escapes only `$ \` " \\` and newline. */
function stringValue(node: Node): string {
  let out = "";
  for (const child of node.children) {
    if (!child) continue;
    switch (child.type) {
      case '"':
      case '$"':
        break;
      case "string_content":
        out += child.text.replace(/\\([$`"\\\n])/g, (_, c: string) => c === "\n" ? "" : c);
        break;
      case "expansion":
        out += expansionValue(child);
        break;
      default:
        out += child.text;
    }
  }
  return out;
}

/** `${HOME}` reads as `$HOME`; anything fancier (`${X:-/tmp}`) stays as written. */
function expansionValue(node: Node): string {
  const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(node.text);
  return m ? "$" + m[1] : node.text;
}

/** Unquoted word: a backslash quotes the next character; backslash-newline vanishes. */
export function unescapeBare(text: string): string {
  if (!text.includes("\\")) return text;
  return text.replace(/\\(\n|.)/gs, (_, c: string) => c === "\n" ? "" : c);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "?": "?",
};

/** Decode the body of `$'…'` (bash ANSI-C quoting). */
export function decodeAnsiC(body: string): string {
  return body.replace(
    /\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/gs,
    (whole, esc: string) => {
      const head = esc[0];
      if (head === "x" || head === "u" || head === "U") {
        const code = parseInt(esc.slice(1), 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      if (/[0-7]/.test(head)) return String.fromCharCode(parseInt(esc, 8) & 0xff);
      if (head === "c") return String.fromCharCode(esc.charCodeAt(1) & 0x1f);
      return SIMPLE_ESCAPES[head] ?? whole;
    },
  );
}

/**
 * Characters that look like a space, or like nothing, but that no shell splits words on: NBSP,
 * the U+2000 spaces, ideographic space, zero-width and bidirectional-control characters.
 * `rm\u00a0-rf\u00a0/` shows as `rm -rf /` yet is one word to bash.
 */
const HIDDEN = "\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028\\u2029\\u202a-\\u202f\\u205f" +
  "\\u2060\\u2066-\\u2069\\u3000\\ufeff\\u000b\\u000c\\u0085";
const HIDDEN_CHAR = new RegExp(`[${HIDDEN}]`);
const HIDDEN_ALL = new RegExp(`[${HIDDEN}]`, "g");
/** The ones that do not even take up room (read as nothing rather than as a space). */
const ZERO_WIDTH = /[\u200c\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]/;

/** Whether `text` holds a look-alike space or an invisible character anywhere. */
export function hasHiddenSpace(text: string): boolean {
  return HIDDEN_CHAR.test(text);
}

/** `text` as it shows on screen: look-alike spaces become spaces, invisible characters go. */
export function asDisplayed(text: string): string {
  return text.replace(HIDDEN_ALL, (c) => ZERO_WIDTH.test(c) ? "" : " ");
}

/**
 * Whether a look-alike space or invisible character sits outside quotes, where it changes how
 * the words of a command read (inside quotes it is only text).
 */
export function hidesWordBreak(text: string): boolean {
  if (!HIDDEN_CHAR.test(text)) return false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (c === "\\") {
      i++;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (HIDDEN_CHAR.test(c)) return true;
  }
  return false;
}
