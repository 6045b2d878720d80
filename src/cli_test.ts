import { assertEquals, assertThrows } from "../test/support/assert.ts";
import { parseInvocation } from "./cli.ts";
import { CmdaiError, ExitCode } from "./errors.ts";

const env = (shell?: string) => ({ get: (k: string) => (k === "SHELL" ? shell : undefined) });

Deno.test("a request is the positionals joined; flags parsed", () => {
  assertEquals(parseInvocation(["--json", "find", "big", "files"], env("/bin/zsh")), {
    kind: "request",
    args: {
      kind: "request",
      request: "find big files",
      shell: "zsh",
      json: true,
      widget: false,
      enter: false,
    },
    settings: {},
  });
  // --model is the setting it stands for, as for every command that answers.
  const inv = parseInvocation(["--model", "m.gguf", "x"], env());
  assertEquals(inv.kind === "request" && inv.settings, { CMDAI_MODEL: "m.gguf" });
});

Deno.test("--backend, --url and --remote-model become the settings they stand for", () => {
  const inv = parseInvocation(
    ["--backend", "ollama", "--url=http://h:1", "--remote-model", "m", "x"],
    env(),
  );
  assertEquals(inv.kind === "request" && inv.settings, {
    CMDAI_BACKEND: "ollama",
    CMDAI_URL: "http://h:1",
    CMDAI_REMOTE_MODEL: "m",
  });
  assertThrows(() => parseInvocation(["--url", "", "x"], env()), CmdaiError);
});

Deno.test("--enter and --session belong to the widget; a session id is checked", () => {
  const inv = parseInvocation(["--widget", "--enter", "--session", "zsh-42", "--", "# x"], env());
  assertEquals(inv.kind === "request" && [inv.args.enter, inv.args.session], [true, "zsh-42"]);
  for (
    const args of [
      ["--enter", "--", "# x"],
      ["--session", "1", "x"],
      ["--widget", "--session", "../etc", "x"],
      ["--widget", "--session", "", "x"],
    ]
  ) {
    const e = assertThrows(() => parseInvocation(args, env()), CmdaiError);
    assertEquals((e as CmdaiError).code, ExitCode.usage);
  }
});

Deno.test("after --, subcommand names and flags are the request", () => {
  for (const line of ["check disk space", "-rf", "init zsh", "--help"]) {
    const inv = parseInvocation(["--widget", "--shell", "fish", "--", line], env());
    assertEquals(inv.kind === "request" && inv.args.request, line);
  }
});

Deno.test("subcommands only as the first argument", () => {
  assertEquals(parseInvocation(["check", "--json", "ls"], env()), {
    kind: "subcommand",
    name: "check",
    args: ["--json", "ls"],
  });
  assertEquals(parseInvocation(["please", "check", "disk"], env()).kind, "request");
});

Deno.test("the shell defaults from $SHELL, else bash", () => {
  const shellOf = (s?: string) => {
    const inv = parseInvocation(["x"], env(s));
    return inv.kind === "request" ? inv.args.shell : undefined;
  };
  assertEquals(shellOf("/usr/local/bin/fish"), "fish");
  assertEquals(shellOf("/bin/tcsh"), "bash");
  assertEquals(shellOf(undefined), "bash");
});

Deno.test("usage errors", () => {
  for (
    const args of [[], ["--nope", "x"], ["--shell", "csh", "x"], ["--model", "", "x"], ["--json"]]
  ) {
    const e = assertThrows(() => parseInvocation(args, env()), CmdaiError) as CmdaiError;
    assertEquals(e.code, ExitCode.usage, args.join(" "));
  }
  const e = assertThrows(() => parseInvocation(["--nope", "x"], env()), CmdaiError);
  assertEquals(e.message, "unknown flag --nope (see cmdai --help)");
  assertEquals(parseInvocation(["-h"], env()).kind, "help");
  assertEquals(parseInvocation(["--version"], env()).kind, "version");
});
