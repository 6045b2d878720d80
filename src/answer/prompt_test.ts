import {
  assert,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../../test/support/assert.ts";
import { cleanRequest } from "./ask.ts";
import { gatherContext } from "./context.ts";
import {
  buildPrompt,
  type Example,
  exampleReply,
  MAX_OFFERED,
  MAX_REQUEST_CHARS,
} from "./prompt.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import { parseReply } from "./reply.ts";

Deno.test("the prompt names the shell, OS, userland and cwd", () => {
  const p = buildPrompt(
    { request: "list files" },
    gatherContext("fish", "darwin", "/Users/me/src"),
  );
  assertStringIncludes(p.system, "Shell: fish");
  assertStringIncludes(p.system, "set VAR value");
  assertStringIncludes(p.system, "macOS with BSD command-line tools");
  // The directory is in the user's turn: the system message stays the same from one to the next.
  assertEquals(p.request, "list files\n(current directory: /Users/me/src)");
  const elsewhere = buildPrompt({ request: "x" }, gatherContext("fish", "darwin", "/tmp"));
  assertEquals(elsewhere.system, p.system);
});

Deno.test("examples match the userland: no GNU-only flags for BSD", () => {
  const bsd = buildPrompt({ request: "x" }, gatherContext("zsh", "darwin", "/"));
  const gnu = buildPrompt({ request: "x" }, gatherContext("zsh", "linux", "/"));
  assert(bsd.turns.every((t) => !t.reply.includes("-printf")));
  assert(gnu.turns.some((t) => t.reply.includes("-printf")));
  assertStringIncludes(gnu.system, "Linux with GNU");
});

Deno.test("example replies are in the contract's form and validate", () => {
  for (const shell of ["zsh", "fish", "bash"] as const) {
    for (
      const { reply } of buildPrompt({ request: "x" }, gatherContext(shell, "linux", "/")).turns
    ) {
      // The command alone on its line, as typed (no escaping), then `# ` and the sentence.
      const [command, explanation, ...more] = reply.split("\n");
      assertEquals(more, []);
      assert(explanation.startsWith("# ") && !command.startsWith("{"), reply);
      assertEquals(exampleReply({ request: "", ...parseReply(reply) } as Example), reply);
    }
  }
});

Deno.test("the prompt stays small", () => {
  const p = buildPrompt({ request: "x" }, gatherContext("zsh", "linux", "/home/me"));
  const chars = p.system.length +
    p.turns.reduce((n, t) => n + t.user.length + t.reply.length, 0);
  // ~3.5 characters a token for English and shell text: well under 1,000 tokens.
  assert(chars < 2000, `${chars} characters`);
});

Deno.test("a leading # marks a request and is dropped", () => {
  assertEquals(cleanRequest("# undo my last commit  "), "undo my last commit");
  assertEquals(cleanRequest("  ## list files"), "list files");
  assertEquals(cleanRequest("echo '#' here"), "echo '#' here");
});

Deno.test("a request too long for the context is a usage error", () => {
  const ctx = gatherContext("zsh", "linux", "/");
  buildPrompt({ request: "x".repeat(MAX_REQUEST_CHARS) }, ctx);
  const e = assertThrows(
    () => buildPrompt({ request: "x".repeat(MAX_REQUEST_CHARS + 1) }, ctx),
    CmdaiError,
  );
  assertEquals((e as CmdaiError).code, ExitCode.usage);
});

Deno.test("edit by comment: the command and the instruction are labelled apart", () => {
  const p = buildPrompt(
    { request: "only mine", command: "git log --oneline" },
    gatherContext("zsh", "linux", "/"),
  );
  assertEquals(
    p.request,
    "Revise this command: git log --oneline\nInstruction: only mine\n(current directory: /)",
  );
  // An example shows the model a revision in the same form.
  assert(p.turns.some((t) => t.user.startsWith("Revise this command: ")));
});

Deno.test("another command: earlier offers are listed, the latest few", () => {
  const offered = Array.from({ length: MAX_OFFERED + 2 }, (_, i) => `ls -${i}`);
  const p = buildPrompt({ request: "# list files", offered }, gatherContext("zsh", "linux", "/"));
  const lines = p.request.split("\n");
  assertEquals(lines[0], "list files");
  assertEquals(lines[1], "Already suggested (reply with a different command):");
  assertEquals(lines.slice(2, -1), offered.slice(-MAX_OFFERED).map((c) => `- ${c}`));
});

Deno.test("the aids go in the user's turn, before the request, marked as context", () => {
  const ctx = gatherContext("zsh", "darwin", "/w");
  const bare = buildPrompt({ request: "# push what I just tagged" }, ctx);
  const aided = buildPrompt({ request: "# push what I just tagged" }, ctx, {
    recent: ["docker tag app r/app:2", "ls"],
    alternatives: [
      { usual: "sed", installed: ["sed", "gsed"] },
      { usual: "grep", installed: ["rg"] },
    ],
    grounding: [{
      page: "common/docker",
      command: "docker push name:tag",
      description: "Push",
      utilities: [],
    }],
  });
  // The cached prefix (system message, examples) is the same with and without them.
  assertEquals([aided.system, aided.turns], [bare.system, bare.turns]);
  assertEquals(
    aided.request,
    [
      "Recent commands (context, not the request):",
      "$ docker tag app r/app:2",
      "$ ls",
      "Installed here: sed, gsed; rg (no grep)",
      "Examples from tldr pages:",
      "- Push: docker push name:tag",
      "Request: push what I just tagged",
      "(current directory: /w)",
    ].join("\n"),
  );
  // An example turn shows the model recent commands used as context.
  assert(aided.turns.some((t) => t.user.startsWith("Recent commands (context, not the request):")));
});
