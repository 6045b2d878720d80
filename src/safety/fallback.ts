/**
 * A tolerant tokenizer for lines the bash parser rejects: unbalanced quotes, fish syntax
 * (`(cmd)` substitution, `; and`, `begin … end`), stray operators. It never fails; it splits on
 * the usual separators and reads quotes the shell way as far as they go.
 *
 * @module
 */

import { words } from "./programs.ts";
import type { Redirect } from "./command.ts";
import { decodeAnsiC } from "../syntax/words.ts";

/** One command found by the tokenizer. */
export interface LooseCommand {
  argv: string[];
  env: Record<string, string>;
  redirects: Redirect[];
  /** The command whose output this one reads (`a | b`). */
  pipedFrom?: LooseCommand;
}

/** Words that start or join commands in bash and fish but are not commands themselves. */
const KEYWORDS = new Set(words(`
  and or not begin end if then else elif fi while until do done for in case esac function ! { }
  time switch
`));

/** How deep substitutions are followed before parentheses become plain separators. */
const MAX_NESTING = 8;

const REDIRECT = /^(\d*|&)(>>?|>\||<|<<<?|>&|<&)$/;

/** Split text into commands; never throws. */
export function tokenizeLoosely(text: string): LooseCommand[] {
  const out: LooseCommand[] = [];
  scan(text, out, 0);
  return out;
}

function scan(text: string, out: LooseCommand[], depth: number): void {
  let words: string[] = [];
  let word = "";
  let inWord = false;
  let last: LooseCommand | undefined;
  let piped = false;
  const flush = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const end = () => {
    flush();
    const cmd = toCommand(words);
    if (cmd) {
      if (piped && last) cmd.pipedFrom = last;
      out.push(cmd);
    }
    last = cmd;
    piped = false;
    words = [];
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") {
      if (i + 1 < text.length && text[i + 1] !== "\n") word += text[i + 1];
      inWord = true;
      i += 2;
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      word += text.slice(i + 1, close < 0 ? undefined : close);
      inWord = true;
      i = close < 0 ? text.length : close + 1;
      continue;
    }
    if (c === "$" && text[i + 1] === "'") {
      const close = findClose(text, i + 2, "'");
      word += decodeAnsiC(text.slice(i + 2, close));
      inWord = true;
      i = close + 1;
      continue;
    }
    if (c === '"') {
      const close = findClose(text, i + 1, '"');
      const inner = text.slice(i + 1, close);
      word += inner.replace(/\\([$`"\\])/g, "$1");
      inWord = true;
      if (depth < MAX_NESTING) {
        for (const sub of substitutionsIn(inner)) scan(sub, out, depth + 1);
      }
      i = close + 1;
      continue;
    }
    if ((c === "(" || c === "`" || (c === "$" && text[i + 1] === "(")) && depth >= MAX_NESTING) {
      // Nested too deep to follow: a plain separator keeps the words around it readable.
      end();
      i++;
      continue;
    }
    if (c === "(" || (c === "$" && text[i + 1] === "(") || c === "`") {
      // Command substitution (bash `$(…)`, fish `(…)`), kept as a word and scanned inside.
      const open = c === "$" ? i + 1 : i;
      const close = c === "`" ? findClose(text, i + 1, "`") : findParen(text, open);
      const inner = text.slice(open + 1, close);
      scan(inner, out, depth + 1);
      word += text.slice(i, close + 1);
      inWord = true;
      i = close + 1;
      continue;
    }
    if (c === "#" && !inWord) {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (c === " " || c === "\t") {
      flush();
      i++;
      continue;
    }
    if (c === ";" || c === "\n" || c === "|" || c === "&" || c === ")") {
      // `&>` and `>&` are redirections, not separators.
      if (c === "&" && text[i + 1] === ">") {
        flush();
        words.push("&>");
        i += 2;
        continue;
      }
      end();
      const doubled = (c === "|" || c === "&") && text[i + 1] === c;
      piped = c === "|" && !doubled;
      i += doubled ? 2 : 1;
      continue;
    }
    if (c === ">" || c === "<") {
      const m = /^(>>|>\||>&|<<<|<<|<&|>|<)/.exec(text.slice(i))!;
      if (inWord && /^\d+$/.test(word)) {
        words.push(word + m[1]);
        word = "";
        inWord = false;
      } else {
        flush();
        words.push(m[1]);
      }
      i += m[1].length;
      continue;
    }
    word += c;
    inWord = true;
    i++;
  }
  end();
}

/** Index of the closing quote (or the end of the text when it never closes). */
function findClose(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  return text.length;
}

function findParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return text.length;
      i = close;
    } else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return text.length;
}

function substitutionsIn(text: string): string[] {
  const subs: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "(") {
      const close = findParen(text, i + 1);
      subs.push(text.slice(i + 2, close));
      i = close;
    } else if (text[i] === "`") {
      const close = findClose(text, i + 1, "`");
      subs.push(text.slice(i + 1, close));
      i = close;
    }
  }
  return subs;
}

function toCommand(words: string[]): LooseCommand | undefined {
  const env: Record<string, string> = {};
  const redirects: Redirect[] = [];
  const argv: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (REDIRECT.test(w) || w === "&>") {
      redirects.push({ op: w.replace(/^\d+/, ""), target: words[i + 1] ?? "" });
      i++;
      continue;
    }
    if (argv.length === 0) {
      if (KEYWORDS.has(w)) continue;
      const eq = w.indexOf("=");
      if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(w.slice(0, eq))) {
        env[w.slice(0, eq)] = w.slice(eq + 1);
        continue;
      }
    }
    argv.push(w);
  }
  return argv.length > 0 ? { argv, env, redirects } : undefined;
}
