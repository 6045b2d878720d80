/**
 * Lists of programs by what they do, shared by the rules and the wrapper expander: shells and
 * interpreters (run code), downloaders and senders (talk to the network), and the programs that
 * run other commands (privilege wrappers, job runners, process wrappers). Data only: no rule and
 * no expander lives here, so rules can import it without importing the expander.
 *
 * Names are lower-case command names (`Invocation.key`).
 *
 * @module
 */

/**
 * How a program's options read, for the option reader (`readOptions` in match.ts): which take a
 * value, which make it run code, and which stop it from running anything. Short options cluster
 * the getopt way (`-xec`, `-u root` or `-uroot`).
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

/** A list of words (programs, options) written as one string: `words("-u --user")`. */
export const words = (list: string): readonly string[] => list.trim().split(/\s+/);

const SHELL_OPTIONS: OptionSpec = {
  withValue: ["-o", "-O", "+o", "+O", "--rcfile", "--init-file"],
  codeFlag: ["-c"],
  stdinFlag: ["-s"],
  plus: true,
};

/** Shells that run `-c` code, or code read from stdin. */
export const SHELLS: ReadonlySet<string> = new Set(words(`
  sh bash zsh dash ksh mksh ash fish csh tcsh rbash yash pwsh powershell
`));

/** Interpreters that run code from stdin or an inline `-c`/`-e` argument. */
export const INTERPRETERS: ReadonlySet<string> = new Set(words(`
  python python2 python3 perl ruby node nodejs deno bun php lua tclsh osascript
`));

const PWSH_OPTIONS: OptionSpec = {
  singleDash: true,
  withValue: words(`
    -executionpolicy -ep -workingdirectory -wd -outputformat -of -inputformat -if
    -configurationname -windowstyle -settingsfile
  `),
  code: ["-command", "-c", "-encodedcommand", "-enc", "-ec", "-e"],
  script: ["-file", "-f"],
};
const PYTHON_OPTIONS: OptionSpec = { withValue: ["-W", "-X", "-Q"], code: ["-c"], script: ["-m"] };
const NODE_OPTIONS: OptionSpec = {
  withValue: ["-r", "--require", "--import", "--loader", "-C", "--conditions"],
  code: ["-e", "--eval", "-p", "--print"],
};

/**
 * How each shell and interpreter is told what code to run: an option's value (`perl -e`), the
 * first operand after a flag (`bash -c`), a script operand, or else stdin.
 */
export const CODE_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  ...Object.fromEntries([...SHELLS].map((s) => [s, SHELL_OPTIONS])),
  fish: { withValue: ["-C", "--init-command", "-d", "--debug"], code: ["-c", "--command"] },
  csh: { ...SHELL_OPTIONS, plus: false },
  tcsh: { ...SHELL_OPTIONS, plus: false },
  pwsh: PWSH_OPTIONS,
  powershell: PWSH_OPTIONS,
  python: PYTHON_OPTIONS,
  python2: PYTHON_OPTIONS,
  python3: PYTHON_OPTIONS,
  perl: { optional: ["-M", "-m", "-I", "-i", "-l", "-0", "-F", "-x"], code: ["-e", "-E"] },
  ruby: { withValue: ["-I", "-r", "-C", "-E", "-F"], code: ["-e"] },
  node: NODE_OPTIONS,
  nodejs: NODE_OPTIONS,
  bun: { withValue: ["-r", "--preload", "--cwd"], code: ["-e", "--eval", "-p", "--print"] },
  deno: { codeWord: "eval" },
  php: { withValue: ["-c", "-d", "-z"], code: ["-r", "-B", "-R", "-E"], script: ["-f"] },
  lua: { withValue: ["-l"], code: ["-e"] },
  tclsh: {},
  osascript: { withValue: ["-l", "-s"], code: ["-e"] },
};

/** Programs that fetch from the network and print it (what is piped into a shell). */
export const DOWNLOADERS: ReadonlySet<string> = new Set(words(`
  curl wget fetch http https httpie xh aria2c lwp-request get iwr irm invoke-webrequest
  invoke-restmethod nc ncat socat
`));

/** Raw TCP/UDP tools: whatever reaches their stdin goes to the other end. */
export const SOCKET_TOOLS: ReadonlySet<string> = new Set(words(`
  nc ncat netcat nc.traditional nc.openbsd socat telnet
`));

/** Programs that send data to another machine (files they are given, or their stdin). */
export const SENDERS: ReadonlySet<string> = new Set([
  ...SOCKET_TOOLS,
  "curl",
  "wget",
  "http",
  "https",
  "httpie",
  "xh",
  "scp",
  "sftp",
  "rsync",
  "ftp",
  "lftp",
  "tftp",
  "smbclient",
  "ssh",
  "mail",
  "mailx",
  "sendmail",
  "mutt",
  "aws",
  "gsutil",
  "rclone",
  "azcopy",
  "croc",
  "wormhole",
  "pastebinit",
]);

/** Programs that run another command with other rights (`sudo cmd`, `su -c code`). */
export const PRIVILEGE_RUNNERS: ReadonlySet<string> = new Set(words(`
  sudo doas pkexec run0 runuser su sg gsudo runas
`));

/**
 * Programs that run commands later, in the background, repeatedly or many at once: schedulers,
 * queues, daemonisers, parallelisers, file watchers, retry loops, benchmarks, terminal
 * multiplexers. The command they run is another command's, not theirs.
 */
export const JOB_RUNNERS: ReadonlySet<string> = new Set(words(`
  nohup setsid daemonize start-stop-daemon systemd-run at batch xargs parallel sem rush tsp ts
  nq entr watchexec watch timeout chronic flock lckdo retry hyperfine dtach crontab
`));

/**
 * Tools with commands of their own, one of which runs a command (`tmux new-session CMD`,
 * `screen -dm CMD`, `pueue add CMD`, `doppler run -- CMD`). Not in {@link WRAPPERS}: their other
 * words are theirs (`tmux kill-server`).
 */
export const SUBCOMMAND_RUNNERS: ReadonlySet<string> = new Set(words("tmux screen pueue doppler"));

/**
 * Programs that run a command under changed conditions (priority, tracing, sandbox, proxy,
 * environment, package runner) and otherwise do what it does.
 */
export const PROCESS_WRAPPERS: ReadonlySet<string> = new Set(words(`
  env time nice ionice chrt taskset numactl cpulimit prlimit stdbuf unbuffer strace ltrace
  valgrind catchsegv command builtin exec busybox chroot nsenter unshare fakeroot firejail
  torsocks proxychains proxychains4 caffeinate systemd-inhibit dbus-run-session xvfb-run sshpass
  setpriv chpst gosu su-exec npx pnpx bunx uvx
`));

/** Programs whose arguments hold code or a command line that is looked through. */
export const CODE_RUNNERS: ReadonlySet<string> = new Set(words("eval ssh script ansible find"));

/**
 * Every program whose words are another command's (`sudo rm -rf /`: the words are `rm`'s), so
 * a rule about a program's own subcommands must not read them. Shells and interpreters are not
 * in it: their words are their own options and script.
 */
export const WRAPPERS: ReadonlySet<string> = new Set([
  ...PRIVILEGE_RUNNERS,
  ...JOB_RUNNERS,
  ...PROCESS_WRAPPERS,
  ...CODE_RUNNERS,
]);

/** Programs that print, copy, pack or encode the files they are given. */
export const READERS: ReadonlySet<string> = new Set(words(`
  cat tac less more head tail cp base64 base32 xxd od hexdump strings grep bat vim vi nano tar
  zip 7z gzip bzip2 xz zstd openssl gpg sqlite3 nl pv dd
`));

/** Programs that write a whole database out (what a dump sent elsewhere comes from). */
export const DUMPERS: ReadonlySet<string> = new Set(words(`
  pg_dump pg_dumpall mysqldump mariadb-dump mongodump mongoexport
`));

/** Cloud storage tools: copies to a bucket are usually backups, not leaks. */
export const CLOUD_COPIERS: ReadonlySet<string> = new Set(["aws", "gsutil", "rclone", "azcopy"]);

/** Package managers: their removals are rated by the package rules, not as generic subcommands. */
export const PACKAGE_MANAGERS: readonly string[] =
  `apt apt-get aptitude dpkg yum dnf microdnf zypper rpm pacman yay paru
  apk brew port snap flatpak pip pip3 pipx gem cargo conda mamba choco winget scoop npm pnpm yarn
  nix-env`.split(/\s+/);

/** SQL keywords that start a statement typed as if it were a command (`DROP TABLE x`). */
export const SQL_STATEMENTS: ReadonlySet<string> = new Set(words(`
  delete drop truncate update alter shutdown flushall flushdb
`));
