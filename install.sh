#!/usr/bin/env bash
# Sets up cmdai from this checkout: Deno (if missing), the dependencies, the
# `cmdai` command on PATH and, when asked, the Ctrl-G shell integration.
# Runs on macOS's bash 3.2 and BSD tools; never waits for input without a terminal.
set -eu

DENO_VERSION=2.9.6
DENO_MIN=2.3.0 # the first Deno that reads deno.lock version 5
MARK="# cmdai shell integration"
MARK_END="# end of cmdai shell integration"

usage() {
  cat <<'EOF'
Usage: ./install.sh [options]
  --bin-dir DIR           where to put the cmdai command (default: ~/.local/bin,
                          or $CMDAI_BIN_DIR)
  --shell-integration     add Ctrl-G to ~/.zshrc, fish's conf.d and ~/.bashrc without
                          asking
  --no-shell-integration  do not add it, and do not ask
  --no-build              skip `deno compile`; install the launcher bin/cmdai
  -h, --help              show this help
EOF
}

say() { printf 'cmdai install: %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

root=$(cd "$(dirname "$0")" && pwd -P)
bin_dir=${CMDAI_BIN_DIR:-$HOME/.local/bin}
integration=ask
build=yes
while [ $# -gt 0 ]; do
  case $1 in
    --bin-dir)
      [ $# -ge 2 ] || die "--bin-dir needs a directory"
      bin_dir=$2
      shift
      ;;
    --bin-dir=*) bin_dir=${1#--bin-dir=} ;;
    --shell-integration | --yes | -y) integration=yes ;;
    --no-shell-integration) integration=no ;;
    --no-build) build=no ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown option $1 (see ./install.sh --help)" ;;
  esac
  shift
done

started=$(date +%s)
tools=$root/.tools
mkdir -p "$tools"
export DENO_DIR=$root/.deno_dir DENO_NO_UPDATE_CHECK=1

# --- Deno -------------------------------------------------------------------
# True when version $1 >= $2 (both x.y.z).
version_ge() {
  # shellcheck disable=SC2046
  set -- $(printf '%s %s' "$1" "$2" | tr '.' ' ')
  [ "$1" -gt "$4" ] || { [ "$1" -eq "$4" ] && { [ "$2" -gt "$5" ] || { [ "$2" -eq "$5" ] && [ "$3" -ge "$6" ]; }; }; }
}

# The file a path leads to through symbolic links (no readlink -f on macOS).
resolve() {
  p=$1
  while [ -h "$p" ]; do
    l=$(readlink "$p")
    case $l in /*) p=$l ;; *) p=$(dirname "$p")/$l ;; esac
  done
  printf '%s\n' "$p"
}
deno_version() { "$1" --version 2>/dev/null | sed -n 's/^deno \([0-9][0-9.]*\).*/\1/p' | head -n 1; }

deno_bin=
# An earlier run's Deno is used again: nothing to fetch.
if [ -x "$tools/deno" ]; then
  have=$(deno_version "$tools/deno")
  if [ -n "$have" ] && version_ge "$have" "$DENO_MIN"; then
    deno_bin=$(resolve "$tools/deno")
    say "using Deno $have from an earlier install ($deno_bin)"
  fi
fi
if [ -z "$deno_bin" ] && command -v deno >/dev/null 2>&1; then
  have=$(deno_version deno)
  if [ -n "$have" ] && version_ge "$have" "$DENO_MIN"; then
    deno_bin=$(resolve "$(command -v deno)")
    say "using Deno $have at $deno_bin"
  else
    say "Deno ${have:-?} on PATH is older than $DENO_MIN; installing Deno $DENO_VERSION for cmdai"
  fi
fi
if [ -z "$deno_bin" ]; then
  if command -v npm >/dev/null 2>&1; then
    say "installing Deno $DENO_VERSION from npm into $tools"
    # npm's cache goes inside the checkout and is deleted after: nothing is left in ~/.npm.
    npm install --prefix "$tools" --cache "$tools/npm-cache" --no-save --no-audit --no-fund \
      --update-notifier=false --loglevel=error "deno@$DENO_VERSION" >/dev/null ||
      die "npm could not install deno@$DENO_VERSION"
    rm -rf "$tools/npm-cache"
    deno_bin=$(resolve "$tools/node_modules/deno/deno")
  elif command -v curl >/dev/null 2>&1; then
    say "installing Deno $DENO_VERSION with the official installer into $tools/deno-home"
    curl -fsSL https://deno.land/install.sh |
      DENO_INSTALL="$tools/deno-home" sh -s -- --yes --no-modify-path "v$DENO_VERSION" >/dev/null ||
      die "the Deno installer failed"
    deno_bin=$(resolve "$tools/deno-home/bin/deno")
  else
    die "need npm or curl to install Deno (or install Deno $DENO_MIN+ yourself)"
  fi
fi
"$deno_bin" --version >/dev/null 2>&1 || die "$deno_bin does not run"
# deno_bin is the file itself, never a link: .tools/deno cannot come to point at itself.
[ "$(resolve "$tools/deno")" = "$deno_bin" ] || ln -sf "$deno_bin" "$tools/deno"

# --- Dependencies -----------------------------------------------------------
say "installing dependencies (pinned by deno.lock)"
(cd "$root" && "$tools/deno" install --frozen --quiet) || die "deno install failed"

# node-llama-cpp lists prebuilt llama.cpp binaries for every platform and GPU
# (~650 MB). Keep the package entries (Deno checks them) but drop the binaries
# this machine cannot load: other CPU architectures, and CUDA/Vulkan without them.
arch=$(uname -m)
os=$(uname -s)
has_cuda=no
has_vulkan=no
if command -v nvidia-smi >/dev/null 2>&1 || [ -e /dev/nvidiactl ]; then has_cuda=yes; fi
if command -v ldconfig >/dev/null 2>&1 && ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so'; then
  has_vulkan=yes
fi
keep_binaries() {
  case $1 in
    linux-x64) [ "$os" = Linux ] && [ "$arch" = x86_64 ] ;;
    linux-x64-cuda | linux-x64-cuda-ext) [ "$os" = Linux ] && [ "$arch" = x86_64 ] && [ $has_cuda = yes ] ;;
    linux-x64-vulkan) [ "$os" = Linux ] && [ "$arch" = x86_64 ] && [ $has_vulkan = yes ] ;;
    linux-arm64) [ "$os" = Linux ] && [ "$arch" = aarch64 ] ;;
    linux-armv7l) [ "$os" = Linux ] && [ "$arch" = armv7l ] ;;
    mac-arm64-metal) [ "$os" = Darwin ] && [ "$arch" = arm64 ] ;;
    mac-x64) [ "$os" = Darwin ] && [ "$arch" = x86_64 ] ;;
    *) return 1 ;;
  esac
}
for dir in "$DENO_DIR"/npm/registry.npmjs.org/@node-llama-cpp/*/*/ \
  "$root"/node_modules/.deno/@node-llama-cpp+*/node_modules/@node-llama-cpp/*/; do
  [ -d "$dir/bins" ] || continue
  name=$(basename "$(dirname "$dir")")
  case $dir in */node_modules/@node-llama-cpp/*) name=$(basename "$dir") ;; esac
  keep_binaries "$name" || rm -rf "$dir/bins"
done

# --- The executable ---------------------------------------------------------
# `deno compile` needs its runtime (denort) from Deno's servers; where that is
# out of reach the launcher in bin/ runs the same code with `deno run --cached-only`.
target=$root/bin/cmdai
if [ $build = yes ] && (cd "$root" && "$tools/deno" task --quiet build >/dev/null 2>&1) &&
  "$root/dist/cmdai" --version >/dev/null 2>&1; then
  target=$root/dist/cmdai
  say "built the single executable dist/cmdai"
else
  rm -f "$root/dist/cmdai"
  [ $build = no ] || say "notice: deno compile is unavailable here; installing the launcher bin/cmdai (deno run --cached-only)"
fi
mkdir -p "$bin_dir" || die "cannot create $bin_dir"
ln -sf "$target" "$bin_dir/cmdai"
"$bin_dir/cmdai" --version >/dev/null 2>&1 || die "$bin_dir/cmdai does not run"
say "cmdai is at $bin_dir/cmdai -> $target"
case ":$PATH:" in
  *":$bin_dir:"*) ;;
  *) say "note: $bin_dir is not on your PATH; add this to your shell's startup file: export PATH=\"$bin_dir:\$PATH\"" ;;
esac

# --- Shell integration --------------------------------------------------------
zshrc=${ZDOTDIR:-$HOME}/.zshrc
fish_conf=${XDG_CONFIG_HOME:-$HOME/.config}/fish/conf.d/cmdai.fish
bashrc=$HOME/.bashrc
want() {
  case $integration in
    yes) return 0 ;;
    no) return 1 ;;
  esac
  # Ask only a person at a terminal; otherwise say how to do it later.
  if [ -t 0 ] && [ -t 2 ]; then
    printf 'cmdai install: add Ctrl-G to %s? [y/N] ' "$1" >&2
    read -r answer || answer=
    case $answer in y | Y | yes | YES) return 0 ;; esac
    return 1
  fi
  say "skipped $1 (run ./install.sh --shell-integration to add it)"
  return 1
}
# The integration names cmdai by its absolute path, so it works wherever PATH is set in the
# rc file; if that cmdai is gone, the shell still starts and the key says why.
cmdai_q=$(printf '%s' "$bin_dir/cmdai" | sed "s/'/'\\\\''/g")
gone="cmdai: $bin_dir/cmdai is gone; run cmdai's install.sh again, or remove the cmdai lines from"
zsh_block="$MARK
if [[ -x '$cmdai_q' ]]; then eval \"\$('$cmdai_q' init zsh)\"
else cmdai-widget() { zle -M \"$gone ~/.zshrc\"; }; zle -N cmdai-widget
  () { local m; for m in emacs viins vicmd; do bindkey -M \$m \"\${CMDAI_KEY:-^G}\" cmdai-widget; done; }
fi
$MARK_END"
fish_block="$MARK
if test -x '$cmdai_q'
    '$cmdai_q' init fish | source
else
    function cmdai_widget
        printf '\\n%s\\n' \"$gone $fish_conf\"
        commandline -f repaint
    end
    bind \\cg cmdai_widget
    bind -M insert \\cg cmdai_widget
end
$MARK_END"
# ~/.bashrc is also read by bash run for a remote command: only an interactive shell loads cmdai.
bash_block="$MARK
if [[ \$- == *i* ]]; then
  if [[ -x '$cmdai_q' ]]; then eval \"\$('$cmdai_q' init bash)\"
  else cmdai_widget() { printf '%s\\n' \"$gone ~/.bashrc\"; }; bind -x '\"\\C-g\": cmdai_widget'
  fi
fi
$MARK_END"

# Prints FILE without cmdai's block: the current form (up to MARK_END) or the one-line form
# earlier versions wrote.
without_block() {
  awk -v mark="$MARK" -v end="$MARK_END" '
    skip { if ($0 == end) skip = 0; next }
    $0 == mark { getline nxt; if (nxt !~ /^if command -v cmdai/ && nxt != end) skip = 1; next }
    { print }
  ' "$1"
}

# Adds BLOCK to the rc file FILE of SHELL (when wanted), or writes it in place of the block there:
# a new path or a newer form, never a second copy.
rc_block() {
  if [ -f "$2" ] && grep -qF "$MARK" "$2"; then
    tmp_rc=$(mktemp "${2}.cmdai.XXXXXX") || die "cannot write next to $2"
    { without_block "$2" && printf '%s\n' "$3"; } >"$tmp_rc" && cat "$tmp_rc" >"$2"
    rm -f "$tmp_rc"
    say "$1 integration in $2 is up to date"
  elif want "$2"; then
    printf '\n%s\n' "$3" >>"$2"
    say "added Ctrl-G to $2 (open a new shell)"
  fi
}

if command -v zsh >/dev/null 2>&1; then rc_block zsh "$zshrc" "$zsh_block"; fi
if command -v fish >/dev/null 2>&1; then
  if [ -f "$fish_conf" ]; then
    printf '%s\n' "$fish_block" >"$fish_conf"
    say "fish integration in $fish_conf is up to date"
  elif want "$fish_conf"; then
    mkdir -p "$(dirname "$fish_conf")"
    printf '%s\n' "$fish_block" >"$fish_conf"
    say "added Ctrl-G to $fish_conf (open a new shell)"
  fi
fi
if command -v bash >/dev/null 2>&1; then rc_block bash "$bashrc" "$bash_block"; fi

size=$(du -sk "$root/node_modules" "$DENO_DIR" "$tools" 2>/dev/null | awk '{s += $1} END {printf "%.0f MB", s / 1024}')
say "done in $(($(date +%s) - started)) s; installed size $size (Deno, dependencies and llama.cpp)"
say "next: cmdai model pull   (downloads the default model, ~1 GB, once)"
