// ./install.sh on a copy of this checkout (dependencies hard-linked, Deno on PATH):
// the command on PATH, the shell integration only when asked, never twice, and a
// guard that keeps a shell working once cmdai is gone.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";
import { exists } from "../src/fs.ts";
import { run } from "./support/run.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MARK = "# cmdai shell integration";
const has = (tool: string) =>
  new Deno.Command("sh", { args: ["-c", `command -v ${tool}`], stdout: "null" }).outputSync()
    .success;

/** stderr without what an interactive bash says when it has no terminal. */
const quiet = (stderr: string) =>
  stderr.split("\n").filter((l) => l && !/terminal process group|no job control/.test(l)).join(
    "\n",
  );

function sh(cmd: string, args: string[], env: Record<string, string>, cwd?: string) {
  return run(cmd, args, { env, cwd, clearEnv: true });
}

/** A copy of the checkout: tracked files, plus node_modules and the Deno cache hard-linked. */
async function copyCheckout(dest: string) {
  const files = await sh("git", ["-C", ROOT, "ls-files", "-z"], { PATH: Deno.env.get("PATH")! });
  for (const f of files.stdout.split("\0").filter(Boolean)) {
    await Deno.mkdir(join(dest, f, ".."), { recursive: true });
    await Deno.copyFile(join(ROOT, f), join(dest, f));
    if ((await Deno.stat(join(ROOT, f))).mode! & 0o100) await Deno.chmod(join(dest, f), 0o755);
  }
  for (const dir of ["node_modules", ".deno_dir"]) {
    const cp = await sh("cp", ["-al", join(ROOT, dir), join(dest, dir)], {
      PATH: Deno.env.get("PATH")!,
    });
    assertEquals(cp.code, 0, cp.stderr);
  }
}

Deno.test({
  name: "install.sh: PATH command, integration only when asked, once, guarded",
  ignore: !has("zsh") || !has("fish") || !has("bash") || !has("cp"),
  fn: async () => {
    const tmp = await Deno.makeTempDir();
    try {
      const repo = join(tmp, "cmdai"), home = join(tmp, "home"), bin = join(tmp, "bin");
      const pathBin = join(tmp, "path");
      await copyCheckout(repo);
      await Deno.mkdir(home);
      await Deno.mkdir(pathBin);
      // A Deno already on PATH is used (no npm, no network).
      await Deno.symlink(await Deno.realPath(join(ROOT, ".tools", "deno")), join(pathBin, "deno"));
      const base = `${pathBin}:/usr/local/bin:/usr/bin:/bin`;
      const env = { HOME: home, PATH: base, XDG_CONFIG_HOME: join(home, ".config") };
      const install = (...args: string[]) =>
        sh("bash", [join(repo, "install.sh"), "--no-build", "--bin-dir", bin, ...args], env);

      // Without a terminal and without a flag it neither asks nor adds anything.
      let run = await install();
      assertEquals(run.code, 0, run.stderr);
      assertStringIncludes(run.stderr, "using Deno");
      assertStringIncludes(run.stderr, "is not on your PATH");
      assertStringIncludes(run.stderr, "skipped");
      assert(!(await exists(join(home, ".zshrc"))), "no .zshrc without --shell-integration");
      const version = await sh(join(bin, "cmdai"), ["--version"], env);
      assertEquals(version.stdout, "cmdai 0.1.0\n", version.stderr);

      // An rc file with the one-line form of earlier versions: replaced, not doubled.
      await Deno.writeTextFile(
        join(home, ".zshrc"),
        `alias ll='ls -l'\n\n${MARK}\nif command -v cmdai >/dev/null 2>&1; then eval "$(cmdai init zsh)"; fi\n`,
      );
      // With the flag, twice: one integration block each, never two. The first run's Deno is
      // used again, even with its link in .tools/ first on PATH, and never linked to itself.
      const real = await Deno.realPath(join(ROOT, ".tools", "deno"));
      for (let i = 0; i < 2; i++) {
        const path = i === 0 ? base : `${join(repo, ".tools")}:${base}`;
        run = await sh(
          "bash",
          [join(repo, "install.sh"), "--no-build", "--bin-dir", bin, "--shell-integration"],
          { ...env, PATH: path },
        );
        assertEquals(run.code, 0, run.stderr);
        assertStringIncludes(run.stderr, `using Deno 2.9.6 from an earlier install (${real})`);
        assertEquals(await Deno.readLink(join(repo, ".tools", "deno")), real);
      }
      const zshrc = await Deno.readTextFile(join(home, ".zshrc"));
      assertEquals(zshrc.split(MARK).length, 2, zshrc);
      assert(!zshrc.includes("command -v cmdai"), zshrc);
      assert(zshrc.startsWith("alias ll='ls -l'\n"), zshrc);
      const fishConf = join(home, ".config", "fish", "conf.d", "cmdai.fish");
      assertStringIncludes(await Deno.readTextFile(fishConf), `'${bin}/cmdai' init fish | source`);
      const bashrc = await Deno.readTextFile(join(home, ".bashrc"));
      assertEquals(bashrc.split(MARK).length, 2, bashrc);
      assertStringIncludes(bashrc, `eval "$('${bin}/cmdai' init bash)"`);

      // The shells pick it up by its path, with cmdai not on PATH (install.sh's note said to add
      // it; whether the user did, and where in the rc file, does not matter)…
      const z = await sh("zsh", ["-i", "-c", "bindkey '^G'; bindkey '^M'"], env);
      assertEquals(z.stdout, '"^G" cmdai-widget\n"^M" cmdai-accept-line\n', z.stderr);
      assertEquals(z.stderr, "");
      const f = await sh("fish", ["-c", "functions -q cmdai_enter; and echo defined"], env);
      assertEquals(f.stdout, "defined\n", f.stderr);
      // bash without a terminal says it has no job control; nothing else.
      const b = await sh("bash", ["-i", "-c", "bind -X | grep -c cmdai_"], env);
      assertEquals(b.stdout, "3\n", b.stderr);
      assertEquals(quiet(b.stderr), "");
      // Not interactive (a remote command, say): ~/.bashrc loads nothing of cmdai's.
      const nb = await sh("bash", ["-c", 'source ~/.bashrc; type -t cmdai_widget; echo "$?"'], env);
      assertEquals(nb.stdout, "1\n", nb.stderr);
      // doctor knows the block install.sh wrote: no second integration is asked for.
      const doctor = await sh(join(bin, "cmdai"), ["doctor", "--json"], env);
      const found = doctor.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
      for (const shell of ["zsh", "fish", "bash"]) {
        const finding = found.find((f) => f.check === shell);
        assertEquals(finding?.verdict, "ok", doctor.stdout);
        assertStringIncludes(finding.detail, "integration loaded from");
      }
      // …start cleanly once it is gone, and the key says why.
      await Deno.remove(join(bin, "cmdai"));
      const z2 = await sh(
        "zsh",
        ["-i", "-c", "echo ok; bindkey '^G'; whence -f cmdai-widget"],
        env,
      );
      assertEquals(z2.stderr, "");
      assertStringIncludes(z2.stdout, 'ok\n"^G" cmdai-widget\n');
      assertStringIncludes(z2.stdout, `${bin}/cmdai is gone`);
      const f2 = await sh("fish", ["-c", "echo ok; functions cmdai_widget"], env);
      assertEquals(f2.stderr, "");
      assertStringIncludes(f2.stdout, `${bin}/cmdai is gone`);
      const b2 = await sh("bash", ["-i", "-c", "echo ok; bind -X; declare -f cmdai_widget"], env);
      assertEquals(quiet(b2.stderr), "");
      assertStringIncludes(b2.stdout, 'ok\n"\\C-g": "cmdai_widget"\n');
      assertStringIncludes(b2.stdout, `${bin}/cmdai is gone`);

      run = await install("--bogus");
      assertEquals(run.code, 1);
      assertStringIncludes(run.stderr, "unknown option --bogus");
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
