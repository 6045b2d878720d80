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
