/**
 * Walks a tree-sitter-bash tree and lists every simple command on the line — through pipelines,
 * lists, subshells, command and process substitution, functions, here-documents and
 * redirections — then looks inside wrappers (see `wrappers.ts`). Lines the parser rejects (or
 * fish syntax) also go through a tolerant tokenizer, so nothing is ever left unrated.
 *
 * @module
 */

import type { Node } from "web-tree-sitter";
import type { BashParser } from "../syntax/bash_parser.ts";
import {
  type FunctionDef,
  type Invocation,
  type Line,
  makeInvocation,
  type Redirect,
  type Stdin,
} from "./command.ts";
import { asDisplayed, hasHiddenSpace, wordValue } from "../syntax/words.ts";
import {
  CRON_FILE,
  cronCommands,
  decoder,
  printedBy,
  STARTUP_FILE,
  textTargets,
  writtenText,
} from "./match.ts";
import { expandWrappers } from "./wrappers.ts";
import { type LooseCommand, tokenizeLoosely } from "./fallback.ts";

/** Deepest nesting of re-parsed code (`bash -c "sh -c '…'"`) that is parsed properly. */
const MAX_DEPTH = 8;

/**
 * Longest text handed to the parser; longer input is rated by the tokenizer alone. (The
 * WebAssembly parser aborts on pipelines of ~20,000 stages, about 40 KB.)
 */
const MAX_PARSE = 16 * 1024;

/**
 * Parse and walk one line of shell code (or code found inside a wrapper). A line with look-alike
 * spaces (NBSP, U+2000…, ideographic space) or invisible characters is read twice: as bash reads
 * it, where `rm\u00a0-rf` is one word, and as it shows on screen, where it is `rm -rf`; the
 * commands of both readings are rated.
 */
export function extractLine(parser: BashParser, text: string, depth = 0, via: string[] = []): Line {
  const line = extractOne(parser, text, depth, via);
  if (!hasHiddenSpace(text)) return line;
  const shown = extractOne(parser, asDisplayed(text), depth, via);
  return {
    text,
    commands: [...line.commands, ...shown.commands],
    functions: [...line.functions, ...shown.functions],
    clean: line.clean && shown.clean,
  };
}

function extractOne(parser: BashParser, text: string, depth: number, via: string[]): Line {
  const walker = new Walker(parser, depth, via);
  let clean = false;
  if (text.length <= MAX_PARSE) {
    try {
      const tree = parser.parse(text);
      if (tree) {
        try {
          clean = !tree.rootNode.hasError;
          walker.visit(tree.rootNode);
        } finally {
          tree.delete();
        }
      }
    } catch {
      // A parser abort or a tree too deep to walk: the tokenizer below still rates the line.
      clean = false;
    }
  }
  if (!clean) walker.fallback(text);
  walker.scriptsWrittenHere();
  return { text, commands: walker.commands, functions: walker.functions, clean };
}

/** Parse code found inside another command; the commands come back marked with `via`. */
function extractNested(
  parser: BashParser,
  code: string,
  depth: number,
  via: string[],
): { commands: Invocation[]; functions: FunctionDef[] } {
  if (depth > MAX_DEPTH) {
    // Too deep to keep parsing (code nested this deep is suspicious in itself): flatten the
    // quotes and read every word sequence as a possible command, so wrappers cannot hide one.
    const flat = asDisplayed(code).replace(/[\\'"`]/g, " ");
    const commands: Invocation[] = [];
    for (const c of tokenizeLoosely(flat)) {
      for (let k = 0; k < c.argv.length && commands.length < 256; k++) {
        if (k > 0 && c.argv[k].startsWith("-")) continue;
        commands.push(makeInvocation(c.argv.slice(k), {
          env: c.env,
          redirects: c.redirects,
          via: [...via, "too deep"],
        }));
      }
    }
    return { commands, functions: [] };
  }
  return extractLine(parser, code, depth, via);
}

class Walker {
  commands: Invocation[] = [];
  functions: FunctionDef[] = [];
  readonly parser: BashParser;
  readonly depth: number;
  readonly via: string[];
  /** Stdin for the next simple command built (set by pipes and here-documents). */
  private pending: Stdin | undefined;
  /** Variables set earlier on the line (`x=rm; $x -rf /`), by name. */
  private readonly vars = new Map<string, string>();
  /** What each command substitution prints, when the line spells it out, by its position. */
  private readonly printed = new Map<number, string>();
  /** The substitutions whose output was decoded (`$(echo … | base64 -d)`), by position. */
  private readonly decoded = new Set<number>();

  constructor(parser: BashParser, depth: number, via: string[]) {
    this.parser = parser;
    this.depth = depth;
    this.via = via;
  }

  /** Add an invocation and whatever its wrappers run. */
  private add(inv: Invocation): void {
    this.commands.push(inv);
    // Case-insensitive filesystems (macOS) run `GIT` as `git`: rate the lower-case reading too.
    if (inv.name !== inv.key && inv.name === inv.name.toUpperCase()) {
      this.add(makeInvocation([inv.key, ...inv.args.map((a) => a.toLowerCase())], {
        env: inv.env,
        redirects: inv.redirects,
        stdin: inv.stdin,
        via: [...inv.via, "upper-case"],
      }));
    }
    const nested = expandWrappers(inv, {
      parse: (code, via) => extractNested(this.parser, code, this.depth + 1, via),
    });
    for (const c of nested.commands) this.commands.push(c);
    for (const f of nested.functions) this.functions.push(f);
  }

  /** Visit any node; returns the invocations it produced at its top level (for pipes). */
  visit(node: Node): Invocation[] {
    switch (node.type) {
      case "command":
        return this.command(node, []);
      case "redirected_statement":
        return this.redirected(node);
      case "pipeline":
        return this.pipeline(node.children, []);
      case "function_definition":
        this.functionDef(node);
        return [];
      case "declaration_command":
      case "unset_command":
        return this.declaration(node);
      case "variable_assignment":
        this.assignment(node);
        return [];
      default: {
        const out: Invocation[] = [];
        for (const child of node.children) if (child) out.push(...this.visit(child));
        return out;
      }
    }
  }

  private command(node: Node, extra: Redirect[], extraWords: string[] = []): Invocation[] {
    // Stdin handed down by a pipe or here-document belongs to this command, not to the
    // substitutions inside its words, which are visited first.
    let stdin = this.pending;
    this.pending = undefined;
    const env: Record<string, string> = {};
    const redirects: Redirect[] = [...extra];
    const argv: string[] = [];
    // Substitutions inside the words run too, first (`echo $(rm -rf /)`), and what they print
    // becomes part of the words (`$(echo rm) -rf /`).
    const children = node.children; // one crossing into the parser's memory, not two
    for (const child of children) {
      if (child?.isNamed && child.type !== "heredoc_redirect") this.substitutions(child);
    }
    const value = (n: Node) => this.value(n);
    for (const child of children) {
      if (!child || !child.isNamed) continue;
      switch (child.type) {
        case "variable_assignment": {
          const name = child.childForFieldName("name")?.text ?? "";
          const assigned = child.childForFieldName("value");
          env[name] = assigned ? value(assigned) : "";
          break;
        }
        case "command_name":
          if (child.firstChild) {
            argv.push(...commandWords(child.firstChild, value(child.firstChild)));
          }
          break;
        case "file_redirect": {
          const r = redirectOf(child, value);
          redirects.push(r.redirect);
          argv.push(...r.words);
          break;
        }
        case "herestring_redirect": {
          const word = child.namedChildren.find((c) => c !== null);
          if (word) stdin = { kind: "text", text: value(word) };
          break;
        }
        case "heredoc_redirect":
          stdin = { kind: "text", text: heredocBody(child) };
          break;
        default:
          argv.push(...splitWords(child, value(child)));
      }
    }
    argv.push(...extraWords);
    const decoded = this.decodedIn(node);
    if (argv.length === 0) {
      // `x=rm` alone sets a variable for the rest of the line.
      for (const [name, v] of Object.entries(env)) this.vars.set(name, v);
      return [];
    }
    const inv = makeInvocation(argv, { env, redirects, stdin, via: [...this.via], decoded });
    this.add(inv);
    return [inv];
  }

  /** `x=rm` on its own: set for the rest of the line (what its value runs, runs now). */
  private assignment(node: Node): void {
    this.substitutions(node);
    const name = node.childForFieldName("name")?.text ?? "";
    const value = node.childForFieldName("value");
    this.vars.set(name, value ? this.value(value) : "");
  }

  /** Whether a command's name or arguments hold decoded text (see `Invocation.decoded`). */
  private decodedIn(node: Node): Invocation["decoded"] {
    if (this.decoded.size === 0) return undefined;
    const any = (n: Node | null) =>
      n !== null &&
      descendants(n, "command_substitution").some((s) => this.decoded.has(s.startIndex));
    if (any(node.childForFieldName("name"))) return "name";
    return node.namedChildren.some(any) ? "args" : undefined;
  }

  /** `export A=b`, `declare -x`, `unset HISTFILE`: builtins the grammar parses apart. */
  private declaration(node: Node): Invocation[] {
    const argv: string[] = [];
    for (const child of node.children) {
      if (!child) continue;
      if (!child.isNamed) {
        if (argv.length === 0) argv.push(child.type);
        continue;
      }
      this.substitutions(child);
      if (child.type === "variable_assignment") {
        const assigned = child.childForFieldName("value");
        const name = child.childForFieldName("name")?.text ?? "";
        const value = assigned ? this.value(assigned) : "";
        // `export x=rm`, `local x=rm`: set for the rest of the line.
        if (node.type === "declaration_command") this.vars.set(name, value);
        argv.push(`${name}=${value}`);
      } else argv.push(this.value(child));
    }
    if (argv.length === 0) return [];
    const inv = makeInvocation(argv, { via: [...this.via] });
    this.add(inv);
    return [inv];
  }

  /** Commands inside `$(…)`, backticks, `<(…)`, `$((…))` of a word. */
  private substitutions(node: Node): void {
    if (node.type === "command_substitution" || node.type === "process_substitution") {
      const produced = this.visit(node);
      const last = produced[produced.length - 1];
      const out = node.type === "command_substitution" && last ? printedBy(last) : undefined;
      if (out !== undefined) this.printed.set(node.startIndex, out.replace(/\n+$/, ""));
      if (out !== undefined && decoder(last)) this.decoded.add(node.startIndex);
      return;
    }
    for (const child of node.children) if (child) this.substitutions(child);
  }

  /**
   * A word's value as the shell would pass it: quotes removed (`wordValue`), a command
   * substitution whose output the line spells out replaced by it (`$(echo rm)` → `rm`,
   * `$(echo cm0= | base64 -d)` → `rm`), and variables set earlier on the line replaced by
   * their values. Other expansions stay as written.
   */
  private value(node: Node): string {
    let text = wordValue(node);
    if (this.printed.size > 0 && /\$\(|`/.test(node.text)) {
      for (const sub of descendants(node, "command_substitution")) {
        const out = this.printed.get(sub.startIndex);
        if (out !== undefined) text = text.replace(sub.text, () => out);
      }
    }
    if (this.vars.size > 0 && text.includes("$")) {
      text = text.replace(
        /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
        (whole, name: string) => this.vars.get(name) ?? whole,
      );
    }
    return text;
  }

  private redirected(node: Node): Invocation[] {
    const redirects: Redirect[] = [];
    const words: string[] = [];
    const heredocs: Node[] = [];
    let body: Node | null = null;
    let stdinText: string | undefined;
    const rest: Node[] = [];
    for (const child of node.children) {
      if (!child || !child.isNamed) continue;
      if (child.type === "file_redirect") {
        this.substitutions(child);
        const r = redirectOf(child, (n) => this.value(n));
        redirects.push(r.redirect);
        words.push(...r.words);
      } else if (child.type === "heredoc_redirect") {
        heredocs.push(child);
        stdinText ??= heredocBody(child);
      } else if (child.type === "herestring_redirect") {
        this.substitutions(child);
        const word = child.namedChildren.find((c) => c !== null);
        if (word) stdinText = this.value(word);
      } else if (!body) body = child;
      else rest.push(child);
    }
    if (stdinText !== undefined) this.pending = { kind: "text", text: stdinText };
    let produced: Invocation[] = [];
    if (!body) {
      // `> /dev/sda` alone, or `>/dev/null rm -rf /` (the words after the target are the
      // command): the redirections still happen.
      const stdin = this.pending;
      this.pending = undefined;
      const inv = makeInvocation(words.length > 0 ? words : [":"], {
        redirects,
        stdin,
        via: [...this.via],
      });
      this.add(inv);
      produced = [inv];
    } else if (body.type === "command") {
      produced = this.command(body, redirects, words);
    } else {
      produced = this.visit(body);
      // Redirections of a compound statement apply to each command in it.
      for (const inv of produced) inv.redirects.push(...redirects);
    }
    this.pending = undefined;
    for (const child of rest) this.visit(child);
    for (const doc of heredocs) {
      // tree-sitter-bash puts what follows `<<EOF` on the same line inside the redirect node:
      // `cat <<EOF | sh` has the `| sh` pipeline here, fed by the command above.
      for (const child of doc.namedChildren) {
        if (!child) continue;
        if (child.type === "pipeline") this.pipeline(child.children, produced);
        else if (!child.type.startsWith("heredoc_")) this.visit(child);
      }
    }
    return produced;
  }

  /** Pipeline elements in order; each one's stdin is the previous one's commands. */
  private pipeline(children: (Node | null)[], first: Invocation[]): Invocation[] {
    let previous = first;
    const all: Invocation[] = [];
    for (const child of children) {
      if (!child || !child.isNamed) continue;
      this.pending = previous.length > 0 ? { kind: "commands", from: previous } : undefined;
      const produced = this.visit(child);
      this.pending = undefined;
      all.push(...produced);
      previous = produced;
    }
    return all;
  }

  private functionDef(node: Node): void {
    const name = node.childForFieldName("name")?.text ?? "";
    const body = node.childForFieldName("body");
    const start = this.commands.length;
    if (body) this.visit(body);
    const calls = this.commands.slice(start).map((c) => c.name);
    const spawns = body ? /[|&]/.test(body.text) : false;
    this.functions.push({ name, calls, spawns });
  }

  /**
   * `echo 'rm -rf ~' > x.sh && sh x.sh`: a script written on the line and run on the same line
   * is read as the code it holds. Code written into a shell startup file or a cron table runs
   * later, at every new shell or on its schedule: it is read the same way.
   */
  scriptsWrittenHere(): void {
    const written = new Map<string, string>();
    const later: { code: string; via: string }[] = [];
    for (const c of [...this.commands]) {
      const text = writtenText(c);
      if (text === undefined) continue;
      for (const t of textTargets(c)) {
        const name = t.slice(t.lastIndexOf("/") + 1);
        if (name) written.set(name, (written.get(name) ?? "") + text + "\n");
        if (STARTUP_FILE.test(t)) later.push({ code: text, via: `startup file ${t}` });
        else if (CRON_FILE.test(t)) {
          for (const code of cronCommands(text, !t.startsWith("/var/"))) {
            later.push({ code, via: `cron table ${t}` });
          }
        }
      }
    }
    for (const { code, via } of later) this.addNested(code, via);
    if (written.size === 0) return;
    const runs: string[] = [];
    for (const c of this.commands) {
      if (written.has(c.name) && c.key !== "echo") runs.push(c.name);
      if (/^(sh|bash|zsh|dash|ksh|source|\.)$/.test(c.key)) {
        const script = c.args.find((a) => !a.startsWith("-"));
        const name = script?.slice(script.lastIndexOf("/") + 1);
        if (name && written.has(name)) runs.push(name);
      }
    }
    for (const name of new Set(runs)) this.addNested(written.get(name)!, `script ${name}`);
  }

  /** The commands of code this line writes somewhere and runs (or has run later). */
  private addNested(code: string, label: string): void {
    const nested = extractNested(this.parser, code, this.depth + 1, [...this.via, label]);
    this.commands.push(...nested.commands);
    this.functions.push(...nested.functions);
  }

  /** Tolerant pass for lines the parser rejected. */
  fallback(text: string): void {
    const made = new Map<LooseCommand, Invocation>();
    for (const cmd of tokenizeLoosely(text)) {
      const from = cmd.pipedFrom && made.get(cmd.pipedFrom);
      const inv = makeInvocation(cmd.argv, {
        env: cmd.env,
        redirects: cmd.redirects,
        stdin: from ? { kind: "commands", from: [from] } : undefined,
        via: [...this.via, "unparsed"],
      });
      made.set(cmd, inv);
      this.add(inv);
    }
  }
}

/**
 * A redirection, and the command's words that tree-sitter-bash hangs on it: in
 * `rm -rf 2>/dev/null /` the `/` is an argument of rm but sits inside the redirect node.
 */
function redirectOf(
  node: Node,
  value: (word: Node) => string,
): { redirect: Redirect; words: string[] } {
  let op = "";
  let target: string | undefined;
  const words: string[] = [];
  const next = node.nextSibling;
  for (const child of node.children) {
    if (!child) continue;
    if (!child.isNamed) op ||= child.type;
    else if (child.type === "file_descriptor") continue;
    else if (target === undefined) target = value(child);
    // A number glued to the next redirect is its descriptor (`… 0>&1`), not a word.
    else if (!(child.type === "number" && next && next.startIndex === child.endIndex)) {
      words.push(value(child));
    }
  }
  return { redirect: { op, target: target ?? "" }, words };
}

/**
 * The words a command name stands for: itself, or, when an expansion gave it spaces
 * (`$(echo rm -rf) /`, `c='rm -rf'; $c /`), the words the shell splits it into. A quoted one
 * (`"$c"`) is split too: taking it for the command it spells is the safe reading.
 */
function commandWords(node: Node, value: string): string[] {
  if (!/^["$`]/.test(node.text) || !expandedWithSpaces(node, value)) return [value];
  return value.trim().split(/\s+/);
}

/** Whether an expansion the line resolved (a variable, a substitution) gave `node` spaces. */
function expandedWithSpaces(node: Node, value: string): boolean {
  return value !== wordValue(node) && /\s/.test(value.trim());
}

/** An unquoted expansion in an argument splits into words (`p='rm -rf'; env $p ~`). */
function splitWords(node: Node, value: string): string[] {
  const unquoted = /^(simple_expansion|expansion|command_substitution)$/.test(node.type);
  return unquoted && expandedWithSpaces(node, value) ? value.trim().split(/\s+/) : [value];
}

/** Every descendant of `node` of one type, outermost first. */
function descendants(node: Node, type: string): Node[] {
  const out: Node[] = [];
  const todo = [node];
  while (todo.length > 0) {
    const n = todo.shift()!;
    if (n.type === type) out.push(n);
    else for (const child of n.children) if (child) todo.push(child);
  }
  return out;
}

function heredocBody(node: Node): string {
  for (const child of node.namedChildren) {
    if (child?.type === "heredoc_body") return child.text;
  }
  return "";
}
