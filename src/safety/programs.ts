/**
 * The registry of programs: one row per program the rules or the wrapper expander know, with
 * the other names it is run by (`gfind` is `find`, `podman` is `docker`), how its options read
 * (which take a value, which give code), what it is (a shell, a downloader, a privilege runner,
 * a package manager, …) and how it runs another command, if it does (`sudo CMD`, `xargs CMD`,
 * `bash -c CODE`, `npm exec -- CMD`).
 *
 * Every invocation carries its program's name from here (`Invocation.key`: `find` for `gfind`,
 * `timeout` for `gtimeout`), so each rule, the option reader and the wrapper expander see one
 * name. Lists of programs by kind ({@link SHELLS}, {@link WRAPPERS}, …) are views of the
 * registry. Data only: no rule and no expander lives here.
 *
 * @module
 */

/**
 * How a program's options read, for the one option reader (options.ts): which take a value,
 * which make it run code, and which stop it from running anything. Short options cluster the
 * getopt way (`-xec`, `-u root` or `-uroot`).
 */
export interface OptionSpec {
  /** Options that take a value: the next word, glued (`-uroot`) or after `=` (`--user=root`). */
  withValue?: readonly string[];
  /** Short options whose value, if any, is glued (`xargs -i{}`, `perl -Mstrict`). */
  optional?: readonly string[];
  /** Options whose value is code (`perl -e CODE`, `su -c CODE`, `flock -c CODE`). */
  code?: readonly string[];
  /** Flags after which the first operand is code (`bash -c CODE`, `entr -s CODE`). */
  codeFlag?: readonly string[];
  /** Flags that make the program read code from stdin even with operands (`sh -s args`). */
  stdinFlag?: readonly string[];
  /** Options whose value is the program or module to run (`python -m json.tool`). */
  script?: readonly string[];
  /** Options after which nothing runs (`sudo -l`, `command -v`). */
  inert?: readonly string[];
  /** `+o`-style options, as shells take them. */
  plus?: boolean;
  /** Options are whole words, any case (`pwsh -NoProfile -Command`). */
  singleDash?: boolean;
  /** `NAME=value` words before the command are its environment (`env`). */
  assigns?: boolean;
  /** A subcommand whose operand is code (`deno eval CODE`). */
  codeWord?: string;
  /** Options may follow operands (`su root -c CODE`, `ansible all -m shell -a CODE`). */
  permute?: boolean;
}

/** What a program is, for the rules and the expander that name programs by kind. */
export type Role =
  /** Runs `-c` code, or code read from stdin. */
  | "shell"
  /** Runs code from stdin or an inline `-c`/`-e` argument. */
  | "interpreter"
  /** Fetches from the network and prints it (what is piped into a shell). */
  | "downloader"
  /** Raw TCP/UDP: whatever reaches its stdin goes to the other end. */
  | "socket"
  /** Sends data to another machine (files it is given, or its stdin). */
  | "sender"
  /** Runs another command with other rights (`sudo cmd`, `su -c code`). */
  | "privilege"
  /** Runs a command later, in the background, repeatedly or many at once. */
  | "job-runner"
  /** Runs a command under changed conditions (priority, tracing, sandbox, environment). */
  | "process-wrapper"
  /** Its arguments hold code or a command line (`eval`, `ssh host CMD`, `find -exec`). */
  | "code-runner"
  /** One of its own subcommands runs a command (`tmux new CMD`, `npm exec -- CMD`). */
  | "subcommand-runner"
  /** Prints, copies, packs or encodes the files it is given. */
  | "reader"
  /** Writes a whole database out. */
  | "dumper"
  /** Copies to cloud storage (usually backups, not leaks). */
  | "cloud-copier"
  /** Installs and removes packages. */
  | "package-manager"
  /** A SQL keyword typed as if it were a command (`DROP TABLE x`). */
  | "sql"
  /** Its words are text, files or URLs, never subcommands (`echo delete`, `grep drop`). */
  | "no-subcommands";

/** The wrappers whose command is found by code (wrappers.ts), not by the generic reading. */
export type Expander =
  | "shell"
  | "interpreter"
  | "xargs"
  | "parallel"
  | "rush"
  | "find"
  | "crontab"
  | "ansible"
  | "runuser"
  | "start-stop-daemon"
  | "tmux"
  | "screen";

/** How a program runs another command: the words after its options, unless said otherwise. */
export interface Runs {
  /** A subcommand that must come first for anything to run (`pueue add`, `npm exec`). */
  words?: readonly string[];
  /**
   * Operands before the command, after which options may come again: a count (`timeout 5`,
   * `ssh host`), or a pattern for optional ones (`retry 3 cmd`).
   */
  skip?: number | RegExp;
  /** What the words after the options are: a command (the default), shell code, each word
   * shell code, or nothing that runs. */
  rest?: "argv" | "code" | "each" | "none";
  /** The code option's value continues with the rest of the words (`env -S`). */
  joinRest?: boolean;
  /**
   * With nothing else to run, it runs a shell reading stdin: always (`su`, `ssh host`, `at`),
   * or when one of these options is given (`sudo -s`).
   */
  stdinShell?: true | readonly string[];
  /** For programs that do more than run one command (`xargs`, `parallel`, `find`, shells). */
  expand?: Expander;
  /**
   * What it runs is not this machine's program: it runs on another host or root (`ssh host`,
   * `chroot`), or comes with a package it fetches (`npx`). Rated all the same, never looked up.
   */
  elsewhere?: true;
}

/** One program: its options, other names, kinds, and what it runs. */
export interface Program extends OptionSpec {
  /** Other names of the same program (`podman` reads like `docker`, `k` is `kubectl`). */
  aliases?: readonly string[];
  /** Also installed with a `g` prefix, as GNU tools are on macOS (`gfind`, `gtimeout`). */
  gnu?: true;
  roles?: readonly Role[];
  /** How it runs another command, if it does. */
  runs?: Runs;
}

/** A list of words (programs, options) written as one string: `words("-u --user")`. */
export const words = (list: string): readonly string[] => list.trim().split(/\s+/);

// --- shared option tables ---

const SHELL: Program = {
  roles: ["shell"],
  withValue: ["-o", "-O", "+o", "+O", "--rcfile", "--init-file"],
  codeFlag: ["-c"],
  stdinFlag: ["-s"],
  plus: true,
  runs: { expand: "shell" },
};
const PWSH: Program = {
  roles: ["shell"],
  singleDash: true,
  withValue: words(`
    -executionpolicy -ep -workingdirectory -wd -outputformat -of -inputformat -if
    -configurationname -windowstyle -settingsfile
  `),
  code: ["-command", "-c", "-encodedcommand", "-enc", "-ec", "-e"],
  script: ["-file", "-f"],
  runs: { expand: "shell" },
};
const interpreter = (spec: OptionSpec): Program => ({
  ...spec,
  roles: ["interpreter"],
  runs: { expand: "interpreter" },
});
const PYTHON = interpreter({ withValue: ["-W", "-X", "-Q"], code: ["-c"], script: ["-m"] });
const NODE = interpreter({
  withValue: ["-r", "--require", "--import", "--loader", "-C", "--conditions"],
  code: ["-e", "--eval", "-p", "--print"],
});
const TRACE: Program = {
  roles: ["process-wrapper"],
  withValue: words("-o -e -p -s -u -E -a -b -I -O -S -X -P"),
  runs: {},
};
const PARALLEL: Program = {
  roles: ["job-runner"],
  withValue: words(`
    -j --jobs -P --results --res -S --sshlogin --joblog -a --arg-file -d --delimiter --tmpdir
    --workdir --wd -N -n --max-args -L --colsep -C --halt --delay --timeout --retries --id
    --block --memfree --load -I --tagstring --basefile --env
  `),
  runs: { expand: "parallel" },
};
const TASK_SPOOLER: Program = {
  roles: ["job-runner"],
  withValue: words("-L -D -N -E"),
  inert: words("-k -K -r -l -S -C -t -c -p -i -o -s -w -u"),
  runs: {},
};
const SU: Program = {
  roles: ["privilege"],
  withValue: words("-s --shell -g --group -G --supp-group -w --whitelist-environment"),
  code: ["-c", "--command", "--session-command"],
  permute: true,
  runs: { rest: "none", stdinShell: true },
};
/** A program known by its kind alone. */
const is = (...roles: Role[]): Program => ({ roles });
/** A program whose words are text, files or URLs (`echo`, `grep`, `ls`). */
const TEXT = is("no-subcommands");
/** Runs the words after its options as a command (`nohup CMD`). */
const runsRest = (
  role: Role,
  spec: OptionSpec & Pick<Runs, "skip" | "elsewhere"> = {},
): Program => {
  const { skip, elsewhere, ...options } = spec;
  const runs: Runs = {};
  if (skip !== undefined) runs.skip = skip;
  if (elsewhere) runs.elsewhere = elsewhere;
  return { ...options, roles: [role], runs };
};

/** The same row for several programs. */
function each(names: string, row: Program): Record<string, Program> {
  return Object.fromEntries(words(names).map((name) => [name, row]));
}

/** The parts of the registry as one table; a program listed twice is a mistake, caught here. */
function table(parts: Record<string, Program>[]): Record<string, Program> {
  const all: Record<string, Program> = {};
  for (const part of parts) {
    for (const [name, row] of Object.entries(part)) {
      if (Object.hasOwn(all, name)) throw new Error(`programs.ts: ${name} is listed twice`);
      all[name] = row;
    }
  }
  return all;
}

/** The registry, by each program's own name. */
export const PROGRAMS: Readonly<Record<string, Program>> = table([
  {
    // --- shells and interpreters ---
  },
  each("sh bash zsh dash ksh mksh ash rbash yash", SHELL),
  {
    csh: { ...SHELL, plus: false },
    tcsh: { ...SHELL, plus: false },
    fish: {
      roles: ["shell"],
      withValue: ["-C", "--init-command", "-d", "--debug"],
      code: ["-c", "--command"],
      runs: { expand: "shell" },
    },
    pwsh: PWSH,
    powershell: PWSH,
    python: PYTHON,
    python2: PYTHON,
    python3: PYTHON,
    perl: interpreter({
      optional: ["-M", "-m", "-I", "-i", "-l", "-0", "-F", "-x"],
      code: ["-e", "-E"],
    }),
    ruby: interpreter({ withValue: ["-I", "-r", "-C", "-E", "-F"], code: ["-e"] }),
    node: { ...NODE, roles: ["interpreter", "no-subcommands"] },
    nodejs: NODE,
    deno: { ...interpreter({ codeWord: "eval" }), roles: ["interpreter", "no-subcommands"] },
    bun: {
      ...interpreter({
        withValue: ["-r", "--preload", "--cwd"],
        code: ["-e", "--eval", "-p", "--print"],
      }),
      roles: ["interpreter", "package-manager", "no-subcommands"],
    },
    php: interpreter({
      withValue: ["-c", "-d", "-z"],
      code: ["-r", "-B", "-R", "-E"],
      script: ["-f"],
    }),
    lua: interpreter({ withValue: ["-l"], code: ["-e"] }),
    tclsh: interpreter({}),
    osascript: interpreter({ withValue: ["-l", "-s"], code: ["-e"] }),

    // --- privilege ---
    sudo: {
      roles: ["privilege"],
      withValue: words(`
      -u -g -C -D -h -p -r -t -U -T -R --user --group --chdir --prompt --role --type
      --other-user --host --close-from --command-timeout --chroot
    `),
      inert: words("-l --list -v --validate -k -K --help -V --version -e --edit"),
      assigns: true,
      runs: { stdinShell: words("-s -i --shell --login") },
    },
    doas: {
      roles: ["privilege"],
      withValue: words("-u -C"),
      inert: words("-L"),
      runs: { stdinShell: words("-s") },
    },
    pkexec: runsRest("privilege", { withValue: words("--user") }),
    run0: runsRest("privilege", {
      withValue: words("--user -u --unit --property --chdir -D --slice"),
    }),
    gsudo: runsRest("privilege", { withValue: words("-u --user -d --direct") }),
    runas: runsRest("privilege", { singleDash: true, withValue: [] }),
    su: SU,
    runuser: {
      roles: ["privilege"],
      withValue: words("-u --user -g --group -G --supp-group"),
      runs: { expand: "runuser" },
    },
    sg: { roles: ["privilege"], code: words("-c"), runs: { skip: 1, rest: "code" } },

    // --- background, later, repeatedly, in parallel ---
    nohup: { ...runsRest("job-runner"), gnu: true },
    setsid: runsRest("job-runner"),
    chronic: runsRest("job-runner"),
    nq: runsRest("job-runner"),
    daemonize: runsRest("job-runner", { withValue: words("-c -e -E -l -o -p -u") }),
    "start-stop-daemon": {
      roles: ["job-runner"],
      withValue: words(`
      -x --exec -a --startas -p --pidfile -n --name -u --user -c --chuid -g --group -r
      --chroot -d --chdir -N --nicelevel -P --procsched -I --iosched -k --umask -s --signal
      -R --retry -O --output
    `),
      runs: { expand: "start-stop-daemon" },
    },
    "systemd-run": runsRest("job-runner", {
      withValue: words(`
      -p --property --unit -u --uid --gid -E --setenv --description --slice -M --machine -H
      --host --working-directory --nice --service-type --on-active --on-boot --on-startup
      --on-unit-active --on-unit-inactive --on-calendar --timer-property --path-property
      --socket-property
    `),
    }),
    at: {
      roles: ["job-runner"],
      withValue: words("-q -t -f"),
      inert: words("-f -l -d -r -c -b"),
      runs: { rest: "none", stdinShell: true },
    },
    batch: {
      roles: ["job-runner"],
      withValue: words("-q -f"),
      inert: words("-f"),
      runs: { rest: "none", stdinShell: true },
    },
    crontab: { roles: ["job-runner"], withValue: words("-u"), runs: { expand: "crontab" } },
    xargs: {
      roles: ["job-runner"],
      gnu: true,
      withValue: words(`
      -I -n -P -L -a -d -E -s --max-args --max-procs --max-lines --arg-file --delimiter
      --eof --max-chars --process-slot-var
    `),
      optional: words("-i -e -l"),
      runs: { expand: "xargs" },
    },
    parallel: PARALLEL,
    sem: PARALLEL,
    rush: {
      roles: ["job-runner"],
      withValue: words("-j -D -d -T -J -r -t -i -o -n -v -c -C"),
      runs: { expand: "rush" },
    },
    tsp: TASK_SPOOLER,
    ts: TASK_SPOOLER,
    entr: { roles: ["job-runner"], codeFlag: words("-s"), runs: {} },
    watchexec: {
      roles: ["job-runner"],
      withValue: words(`
      -w --watch -e --exts -f --filter -i --ignore --shell -d --debounce --delay-run
      --signal --stop-signal --stop-timeout --on-busy-update --workdir -E --env
      --filter-file --ignore-file --project-origin --poll --emit-events-to
    `),
      runs: { rest: "code" },
    },
    watch: {
      roles: ["job-runner"],
      withValue: words("-n --interval -q --equexit -g"),
      runs: { rest: "code" },
    },
    timeout: {
      ...runsRest("job-runner", { withValue: words("-s --signal -k --kill-after"), skip: 1 }),
      gnu: true,
    },
    flock: {
      roles: ["job-runner"],
      withValue: words("-w --timeout -E --conflict-exit-code"),
      code: words("-c --command"),
      runs: { skip: 1 },
    },
    lckdo: runsRest("job-runner", { withValue: words("-W"), skip: 1 }),
    retry: runsRest("job-runner", {
      withValue: words(`
      -t --times --tries -d --delay -m --min -x --max -n --attempts -attempts -delay -sleep
      -backoff -jitter -max-time -task-time
    `),
      skip: /^\d+[smh]?$/,
    }),
    hyperfine: {
      roles: ["job-runner"],
      withValue: words(`
      -w --warmup -m --min-runs -M --max-runs -r --runs -S --shell -L --parameter-list -P
      --parameter-scan -D --parameter-step-size -n --command-name --style --sort -u
      --time-unit --export-asciidoc --export-csv --export-json --export-markdown
      --export-orgmode --output --input
    `),
      code: words("-p --prepare -c --cleanup -s --setup --conclude"),
      permute: true,
      runs: { rest: "each" },
    },
    dtach: runsRest("job-runner", { withValue: words("-n -c -A -a -e -r -z") }),
    // Tools with commands of their own, one of which runs a command.
    screen: {
      roles: ["subcommand-runner"],
      withValue: words("-S -c -e -h -p -t -T -Logfile"),
      runs: { expand: "screen" },
    },
    tmux: {
      roles: ["subcommand-runner"],
      withValue: words("-L -S -f -c"),
      runs: { expand: "tmux" },
    },
    pueue: {
      roles: ["subcommand-runner"],
      withValue: words(`
      -w --working-directory -d --delay -g --group -a --after -l --label -o --priority -c
      --config -p --profile
    `),
      runs: { words: words("add"), rest: "code" },
    },
    doppler: {
      roles: ["subcommand-runner"],
      withValue: words("-p --project -c --config --token --scope --fallback"),
      code: words("--command"),
      runs: { words: words("run") },
    },

    // --- the same command, under changed conditions ---
    env: {
      roles: ["process-wrapper"],
      gnu: true,
      withValue: words("-u --unset -C --chdir"),
      code: words("-S --split-string"),
      assigns: true,
      runs: { joinRest: true },
    },
    time: runsRest("process-wrapper", { withValue: words("-o -f --output --format") }),
    nice: { ...runsRest("process-wrapper", { withValue: words("-n --adjustment") }), gnu: true },
    ionice: runsRest("process-wrapper", {
      withValue: words("-c -n --class --classdata"),
      inert: words("-p --pid -P -u"),
    }),
    chrt: runsRest("process-wrapper", { skip: 1, inert: words("-p --pid") }),
    taskset: runsRest("process-wrapper", { skip: 1, inert: words("-p --pid") }),
    numactl: runsRest("process-wrapper", {
      withValue: words("-C --physcpubind -N --cpunodebind -m --membind -i -p"),
    }),
    cpulimit: runsRest("process-wrapper", {
      withValue: words("-l --limit -p --pid -e --exe"),
      inert: words("-p -e"),
    }),
    prlimit: runsRest("process-wrapper", {
      optional: words("-c -d -e -f -i -l -m -n -q -r -s -t -u -v"),
      inert: words("-p --pid"),
    }),
    stdbuf: {
      ...runsRest("process-wrapper", { withValue: words("-i -o -e --input --output --error") }),
      gnu: true,
    },
    unbuffer: runsRest("process-wrapper"),
    strace: TRACE,
    ltrace: TRACE,
    valgrind: runsRest("process-wrapper"),
    catchsegv: runsRest("process-wrapper"),
    command: runsRest("process-wrapper", { inert: words("-v -V") }),
    builtin: runsRest("process-wrapper"),
    exec: runsRest("process-wrapper", { withValue: words("-a") }),
    busybox: runsRest("process-wrapper"),
    toybox: runsRest("process-wrapper"),
    chroot: {
      ...runsRest("process-wrapper", {
        withValue: words("--userspec --groups"),
        skip: 1,
        elsewhere: true,
      }),
      gnu: true,
    },
    nsenter: runsRest("process-wrapper", {
      withValue: words("-t --target -S --setuid -G --setgid"),
      optional: words("-m -u -i -n -p -U -C -T -r -w"),
    }),
    unshare: runsRest("process-wrapper", {
      withValue: words("-S --setuid -G --setgid -R --root -w --wd"),
      optional: words("-m -u -i -n -p -U -C -T"),
    }),
    fakeroot: runsRest("process-wrapper", { withValue: words("-l --lib --faked -s -i -b") }),
    firejail: runsRest("process-wrapper"),
    torsocks: runsRest("process-wrapper", { withValue: words("-u -p -a -P") }),
    proxychains: runsRest("process-wrapper", { withValue: words("-f") }),
    proxychains4: runsRest("process-wrapper", { withValue: words("-f") }),
    caffeinate: runsRest("process-wrapper", { withValue: words("-t -w") }),
    "systemd-inhibit": runsRest("process-wrapper", {
      withValue: words("--what --who --why --mode"),
    }),
    "dbus-run-session": runsRest("process-wrapper", {
      withValue: words("--config-file --dbus-daemon"),
    }),
    "xvfb-run": runsRest("process-wrapper", {
      withValue: words("-n --server-num -s --server-args -e --error-file -f -p -w"),
    }),
    sshpass: runsRest("process-wrapper", { withValue: words("-p -f -d -P") }),
    setpriv: runsRest("process-wrapper", {
      withValue: words(`
      --reuid --regid --ruid --euid --rgid --egid --groups --inh-caps --ambient-caps
      --bounding-set --securebits --pdeathsig --selinux-label --apparmor-profile
    `),
    }),
    chpst: runsRest("process-wrapper", { withValue: words("-u -U -e -/ -n -l -L -m -d -o -p -f") }),
    gosu: runsRest("process-wrapper", { skip: 1 }),
    "su-exec": runsRest("process-wrapper", { skip: 1 }),
    // Package runners: the package's program is the command.
    npx: {
      roles: ["process-wrapper"],
      withValue: words("-p --package --cache"),
      code: words("-c --call"),
      runs: { elsewhere: true },
    },
    pnpx: runsRest("process-wrapper", { elsewhere: true }),
    bunx: runsRest("process-wrapper", { withValue: words("-p --package"), elsewhere: true }),
    uvx: runsRest("process-wrapper", {
      withValue: words("--from --with --python -p --index"),
      elsewhere: true,
    }),

    // --- code given on the line ---
    eval: { roles: ["code-runner"], runs: { rest: "code" } },
    ssh: {
      roles: ["code-runner", "sender"],
      withValue: words("-B -b -c -D -E -e -F -I -i -J -L -l -m -O -o -p -Q -R -S -W -w"),
      runs: { skip: 1, rest: "code", stdinShell: true, elsewhere: true },
    },
    script: {
      roles: ["code-runner"],
      withValue: words("-E --echo -I --log-in -O --log-out -B --log-io -T"),
      code: words("-c --command"),
      permute: true,
      runs: { rest: "none" },
    },
    ansible: {
      roles: ["code-runner"],
      withValue: words(`
      -m --module-name -a --args -i --inventory -u --user -e --extra-vars -f --forks -l
      --limit -M --module-path -c --connection -T --timeout -B -P
    `),
      permute: true,
      runs: { expand: "ansible" },
    },
    find: { roles: ["code-runner"], gnu: true, runs: { expand: "find" } },

    // --- version control and packages ---
    git: {
      withValue: words(`
      -C -c --git-dir --work-tree --namespace --exec-path --config-env --super-prefix -m
      --message -b -B --orphan --conflict -o --push-option --repo -e --exclude -F --file --depth
      --reference --create --force-create
    `),
    },
    npm: {
      aliases: ["pnpm", "yarn"],
      roles: ["package-manager", "subcommand-runner"],
      withValue: [
        "--prefix",
        "-C",
        "--dir",
        "--filter",
        "-w",
        "--workspace",
        "--registry",
        "--tag",
      ],
      code: words("-c --call"),
      // `npm exec -- CMD`, `npm x CMD`, `pnpm exec CMD`, `pnpm dlx CMD`, `yarn exec CMD`.
      runs: { words: words("exec x dlx"), elsewhere: true },
    },
    apt: {
      aliases: ["apt-get", "aptitude"],
      roles: ["package-manager"],
      withValue: ["-o", "--option", "-c", "-t"],
    },
    dnf: {
      aliases: ["yum", "microdnf", "dnf5"],
      roles: ["package-manager"],
      withValue: ["-c", "--config", "--installroot", "--releasever", "-x", "--exclude"],
    },
    pacman: {
      aliases: ["yay", "paru"],
      roles: ["package-manager"],
      withValue: ["-r", "--root", "-b", "--dbpath", "--config"],
    },
    pip: {
      aliases: ["pip3"],
      roles: ["package-manager"],
      withValue: ["-r", "--requirement", "-c", "--constraint"],
    },
  },
  each(
    `
      dpkg zypper rpm apk brew port snap flatpak pipx gem cargo conda mamba choco winget scoop
      nix-env
    `,
    is("package-manager"),
  ),
  {
    // --- services ---
    systemctl: {
      withValue: words(`
      -H --host -M --machine -p --property -t --type --state -n --lines -o --output -s --signal
      --root --job-mode --kill-whom --what --timestamp --preset-mode --image --boot-loader-entry
      --reboot-argument --message --when
    `),
    },

    // --- containers and clusters ---
    docker: {
      aliases: ["podman", "nerdctl"],
      withValue: [
        ...words("-c --context -H --host --config -l --log-level"),
        // Not `-f`: a filter or file for some subcommands, `--force` for `rm`, `prune`, `logs`.
        ...words("--filter --file --format --name -v --volume -e --env -p --publish -w --workdir"),
        ...words("--network --mount -u --user --entrypoint --platform --rmi"),
      ],
    },
    "docker-compose": {
      aliases: ["podman-compose"],
      withValue: ["-f", "--file", "-p", "--project-name", "--profile", "--env-file", "--rmi"],
    },
    kubectl: {
      aliases: ["k", "oc", "kubecolor", "microk8s.kubectl"],
      withValue: words(`
      -n --namespace --context --cluster --kubeconfig -l --selector --field-selector -o --output
      -f --filename -c --container --user -s --server --grace-period --timeout -k --kustomize
      --as --as-group --token --request-timeout --patch --type --image --replicas --sort-by
      --template --field-manager
    `),
    },
    helm: {
      aliases: ["helm3"],
      withValue: words(`
      -n --namespace --kube-context --kubeconfig -f --values --set --set-string --set-file
      --version -o --output --timeout --repo --description --cascade --registry-config
      --repository-config
    `),
    },
    helmfile: {
      withValue: ["-e", "--environment", "-f", "--file", "-l", "--selector", "-n", "--namespace"],
    },

    // --- clouds and infrastructure ---
    aws: {
      aliases: ["awslocal"],
      roles: ["sender", "cloud-copier"],
      withValue: words(`
      --region --profile --output --endpoint-url --query --color --cli-input-json
      --cli-input-yaml --ca-bundle --cli-read-timeout --cli-connect-timeout --cli-binary-format
    `),
    },
    gcloud: {
      withValue: words(`
      --project --zone --region --location --format --account --configuration --filter
      --verbosity --impersonate-service-account --billing-project --flags-file --limit --sort-by
    `),
    },
    gsutil: { roles: ["sender", "cloud-copier"], withValue: ["-h", "-o", "-u"] },
    az: {
      withValue: words(`
      -g --resource-group -n --name --subscription -o --output --query -l --location
      --account-name --vault-name --cluster-name --namespace-name --workspace-name
    `),
    },
    doctl: { withValue: words("-t --access-token -c --config --context -o --output --format") },
    // Single-dash options (`-var x`) are not read as taking values; `-chdir=dir` needs no entry.
    terraform: { aliases: ["tofu", "terragrunt"], withValue: ["-chdir", "-var", "-var-file"] },
    pulumi: {
      withValue: ["-s", "--stack", "-C", "--cwd", "-c", "--config", "--config-file", "-m"],
    },
    cdk: { aliases: ["cdktf"], withValue: ["-a", "--app", "-c", "--context", "--profile"] },
    serverless: {
      aliases: ["sls"],
      withValue: ["-s", "--stage", "-r", "--region", "-c", "--config", "--aws-profile", "--app"],
    },
    eksctl: {
      withValue: ["-n", "--name", "-r", "--region", "-f", "--config-file", "-p", "--profile"],
    },

    // --- hosting and code platforms ---
    flyctl: {
      aliases: ["fly"],
      withValue: ["-a", "--app", "-c", "--config", "-r", "--region", "-o", "--org", "-t"],
    },
    heroku: { withValue: ["-a", "--app", "-r", "--remote", "-t", "--team", "--confirm"] },
    vercel: {
      aliases: ["vc", "now"],
      withValue: [
        "--scope",
        "-S",
        "--token",
        "-t",
        "--cwd",
        "-A",
        "--local-config",
        "-T",
        "--team",
      ],
    },
    netlify: { withValue: ["--site", "--auth", "--context", "--filter"] },
    firebase: { withValue: ["-P", "--project", "--token", "--config"] },
    gh: {
      aliases: ["glab"],
      withValue: words(`
      -R --repo --hostname -X --method -H --header -f --raw-field -F --field -q --jq -t
      --template -e --env -o --org -L --limit --visibility
    `),
    },

    // --- files and disks ---
    rm: { gnu: true },
    unlink: { gnu: true },
    cp: {
      gnu: true,
      roles: ["reader", "no-subcommands"],
      withValue: ["-t", "--target-directory", "-S", "--suffix"],
    },
    mv: {
      gnu: true,
      roles: ["no-subcommands"],
      withValue: ["-t", "--target-directory", "-S", "--suffix"],
    },
    ln: {
      gnu: true,
      roles: ["no-subcommands"],
      withValue: ["-t", "--target-directory", "-S", "--suffix"],
    },
    install: {
      gnu: true,
      withValue: words("-t --target-directory -S --suffix -m --mode -o --owner -g"),
    },
    // Also the SQL statement typed bare (`TRUNCATE TABLE x`).
    truncate: { gnu: true, roles: ["sql"], withValue: ["-s", "--size", "-r", "--reference"] },
    shred: { gnu: true, withValue: ["-n", "--iterations", "-s", "--size"] },
    dd: { gnu: true, roles: ["reader"] },
    tee: { gnu: true, roles: ["no-subcommands"] },
    tar: {
      aliases: ["gtar", "bsdtar"],
      roles: ["reader", "no-subcommands"],
      withValue: words(`
      -f --file -C --directory -T --files-from -X --exclude-from --exclude -b -H --format -N
      --newer -g --listed-incremental -V --label -I --use-compress-program --transform
    `),
    },
    rsync: {
      roles: ["sender"],
      withValue: words(`
      -e --rsh --rsync-path -f --filter --exclude --include --exclude-from --include-from
      --files-from -T --temp-dir --partial-dir --backup-dir --suffix --compare-dest --copy-dest
      --link-dest --chmod --chown -B -M --remote-option --log-file --password-file --port
      --timeout --bwlimit --max-size --min-size --out-format
    `),
    },
    chmod: { gnu: true, withValue: ["--reference"] },
    chown: { gnu: true, withValue: ["--reference", "--from"] },
    chgrp: { gnu: true, withValue: ["--reference"] },
    // Partition tables: the options that take a value, so a partition number is not a word.
    sgdisk: {
      withValue: words(`
        -a --set-alignment -A --attributes -b --backup -c --change-name -d --delete -i --info
        -l --load-backup -n --new -r --transpose -R --replicate -t --typecode -u --partition-guid
        -U --disk-guid -m --gpttombr -h --hybrid -T --transform-bsd
      `),
    },
    sfdisk: {
      withValue: words(`
        -N --partno -X --label -Y --label-nested -w --wipe -W --wipe-partitions -O --backup-file
        --color --lock
      `),
    },
    fdisk: {
      withValue: words(`
        -b --sector-size -w --wipe -W --wipe-partitions -C --cylinders -H --heads -S --sectors
        --lock -L --color -u --units -c --compatibility
      `),
    },
    parted: { withValue: ["-a", "--align"] },
    lvresize: { withValue: ["-L", "--size", "-l", "--extents"] },
    lvreduce: { withValue: ["-L", "--size", "-l", "--extents"] },
    cryptsetup: {
      withValue: words(`
      -c --cipher -h --hash -s --key-size -d --key-file -S --key-slot --type --label --header
      --pbkdf -i --iter-time --offset
    `),
    },
    mysqladmin: { withValue: ["-u", "--user", "-h", "--host", "-P", "--port", "-S", "--socket"] },

    // --- accounts ---
    passwd: {
      withValue: words(`
        -n --mindays -x --maxdays -w --warndays -i --inactive -r --repository -R --root -P
        --prefix
      `),
    },
    usermod: {
      withValue: words(`
        -c --comment -d --home -e --expiredate -f --inactive -g --gid -G --groups -l --login -p
        --password -P --prefix -R --root -s --shell -u --uid -Z --selinux-user --add-subuids
        --del-subuids --add-subgids --del-subgids
      `),
    },
    chage: {
      withValue: words(`
        -d --lastday -E --expiredate -I --inactive -m --mindays -M --maxdays -W --warndays -R
        --root -P --prefix
      `),
    },
    userdel: { withValue: words("-R --root -P --prefix") },
    deluser: { withValue: words("--backup-to -c --conf") },

    // --- the network (what they send is read from their operands and option values) ---
    scp: {
      roles: ["sender", "no-subcommands"],
      withValue: ["-i", "-P", "-o", "-F", "-c", "-l", "-S", "-J", "-D", "-X", "-b"],
    },
    sftp: {
      roles: ["sender", "no-subcommands"],
      withValue: ["-i", "-P", "-o", "-F", "-c", "-l", "-S", "-J", "-D", "-X", "-b"],
    },
    curl: {
      roles: ["downloader", "sender", "no-subcommands"],
      withValue: words(`
      -T --upload-file -F --form -d --data --data-binary --data-ascii --data-urlencode
      --data-raw --json -o --output -H --header -X --request -u --user -A --user-agent -e
      --referer -b --cookie -c --cookie-jar -K --config -E --cert --key --cacert -x --proxy -m
      --max-time --connect-timeout -w --write-out --resolve -r --range --retry
    `),
    },
    wget: {
      roles: ["downloader", "sender", "no-subcommands"],
      withValue: ["--post-file", "--body-file", "-O", "--output-document", "-o", "-P", "-U", "-e"],
    },
  },
  each("http https httpie xh", is("downloader", "sender", "no-subcommands")),
  {},
  each(
    `
      fetch aria2c lwp-request get iwr irm invoke-webrequest invoke-restmethod
    `,
    is("downloader"),
  ),
  {},
  each("nc ncat socat", is("downloader", "socket", "sender")),
  {},
  each("netcat nc.traditional nc.openbsd telnet", is("socket", "sender")),
  {
    mail: {
      aliases: ["mailx", "mutt"],
      roles: ["sender"],
      withValue: ["-a", "-A", "-s", "-c", "-b", "-r", "-S"],
    },
  },
  each("ftp lftp tftp smbclient sendmail croc wormhole pastebinit", is("sender")),
  {
    rclone: is("sender", "cloud-copier"),
    azcopy: is("sender", "cloud-copier"),
    // --- files read, databases dumped ---
  },
  each(
    "cat tac head tail base64 base32 nl",
    { gnu: true, roles: ["reader", "no-subcommands"] } satisfies Program,
  ),
  {
    grep: { gnu: true, roles: ["reader", "no-subcommands"] },
  },
  each("less more bat vim vi nano zip gzip", is("reader", "no-subcommands")),
  {},
  each("xxd od hexdump strings 7z bzip2 xz zstd openssl gpg sqlite3 pv", is("reader")),
  {},
  each("pg_dump pg_dumpall mysqldump mariadb-dump mongodump mongoexport", is("dumper")),
  {},
  each("delete drop update alter shutdown flushall flushdb", is("sql")),
  {
    // --- programs whose words are text, files or URLs ---
  },
  each(
    `
      echo printf egrep fgrep rg ag ack sed awk man info help tldr which whereis type hash whatis
      apropos alias unalias export set unset test [ [[ true false cd ls touch mkdir unzip jq yq
      wc sort uniq cut tr read history make cmake go say notify-send code emacs open xdg-open
      diff cmp comm file stat du df date cal sleep wait jobs fg bg disown shift return exit
      logout source .
    `,
    TEXT,
  ),
]);

/** Program name by every name it goes by (aliases and `g`-prefixed GNU copies). */
const BY_NAME: ReadonlyMap<string, string> = (() => {
  const names = new Map<string, string>();
  for (const [name, row] of Object.entries(PROGRAMS)) {
    for (const n of [name, ...(row.aliases ?? []), ...(row.gnu ? ["g" + name] : [])]) {
      const other = names.get(n);
      if (other) throw new Error(`programs.ts: ${n} names both ${other} and ${name}`);
      names.set(n, name);
    }
  }
  return names;
})();

/** The registry's name for a lower-case command name: `find` for `gfind`, else the name. */
export function canonical(name: string): string {
  return BY_NAME.get(name) ?? name;
}

/** Every name the registry knows, aliases and `g`-prefixed copies included. */
export function knownNames(): string[] {
  return [...BY_NAME.keys()];
}

/** A program's row; undefined for programs the registry does not describe. */
export function program(name: string): Program | undefined {
  return Object.hasOwn(PROGRAMS, name) ? PROGRAMS[name] : undefined;
}

/** Every name `name` goes by: itself, its aliases and its `g`-prefixed copy. */
export function namesOf(name: string): string[] {
  return [...BY_NAME].filter(([, p]) => p === name).map(([n]) => n);
}

/** The programs of one kind. */
function withRole(...roles: Role[]): ReadonlySet<string> {
  return new Set(
    Object.entries(PROGRAMS).filter(([, p]) => roles.some((r) => p.roles?.includes(r)))
      .map(([name]) => name),
  );
}

/** Shells that run `-c` code, or code read from stdin. */
export const SHELLS = withRole("shell");
/** Interpreters that run code from stdin or an inline `-c`/`-e` argument. */
export const INTERPRETERS = withRole("interpreter");
/** Programs that fetch from the network and print it (what is piped into a shell). */
export const DOWNLOADERS = withRole("downloader");
/** Raw TCP/UDP tools: whatever reaches their stdin goes to the other end. */
export const SOCKET_TOOLS = withRole("socket");
/** Programs that send data to another machine (files they are given, or their stdin). */
export const SENDERS = withRole("sender");
/** Programs that run another command with other rights (`sudo cmd`, `su -c code`). */
export const PRIVILEGE_RUNNERS = withRole("privilege");
/**
 * Every program whose words are another command's (`sudo rm -rf /`: the words are `rm`'s), so
 * a rule about a program's own subcommands must not read them. Shells and interpreters are not
 * in it: their words are their own options and script.
 */
export const WRAPPERS = withRole("privilege", "job-runner", "process-wrapper", "code-runner");
/** Programs that print, copy, pack or encode the files they are given. */
export const READERS = withRole("reader");
/** Programs that write a whole database out (what a dump sent elsewhere comes from). */
export const DUMPERS = withRole("dumper");
/** Cloud storage tools: copies to a bucket are usually backups, not leaks. */
export const CLOUD_COPIERS = withRole("cloud-copier");
/** Package managers: their removals are rated by the package rules. */
export const PACKAGE_MANAGERS = withRole("package-manager");
/** SQL keywords that start a statement typed as if it were a command (`DROP TABLE x`). */
export const SQL_STATEMENTS = withRole("sql");
/** Programs whose words are text, files or URLs, never subcommands. */
export const NO_SUBCOMMANDS = withRole("no-subcommands");
/** Every program that runs another command or code, by its registry row's `runs`. */
export const RUNNERS: ReadonlySet<string> = new Set(
  Object.entries(PROGRAMS).filter(([, p]) => p.runs).map(([name]) => name),
);
