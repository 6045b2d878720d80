# cmdai for bash: Ctrl-G turns the request typed on the prompt line into a shell command and puts
# it on the line, to edit or run with Enter; Alt-G explains the command on the line, below it.
# Nothing runs by itself.
#
#   eval "$(cmdai init bash)"     # in ~/.bashrc; `cmdai init bash --help` lists the options
#
# Needs bash 4.0 or newer (`bind -x` with READLINE_LINE); an older bash, such as macOS's
# /bin/bash 3.2, says so in one line and gets nothing bound. Sourcing this defines the functions,
# binds them (in an interactive shell) and registers completion for cmdai; it prints nothing and
# leaves no variable or option changed.
#   cmdai_widget  the key (Ctrl-G, or `cmdai init bash --key`): the line becomes a command;
#                 `cmd  # instruction` revises cmd; on a line cmdai just placed, another command
#   cmdai_explain the explain key (Alt-G, or `cmdai init bash --explain-key`; none: unbound):
#                 what the command on the line does, part by part, and its risk, shown below
#                 the line; the line and the cursor stay as they are
#   cmdai_enter   Enter (bash 4.4 and newer): a line that is only a comment (`# list big
#                 files`) is asked about instead of run; any other line runs
# Read at every press: CMDAI_BIN (the cmdai to run; default: the one that wrote this, then PATH).
# Every other setting is cmdai's to read, from the environment bash passes on, where CMDAI_*
# variables count whether exported or not.
# The widget protocol: `cmdai --widget [--enter] --shell bash --session ID -- LINE`, or
# `cmdai explain --widget --shell bash -- LINE` for the explain key, or the same request sent to
# the warm server's socket (by a small perl client: bash has no sockets), answer with one frame:
# code NUL message NUL line NUL history NUL. code 0: the line becomes `line` (history: what to
# add to bash's history); 6: Enter on a line that asks nothing, for bash to run; anything else
# keeps the line as typed. The message is shown under the line (for the explain key, it is the
# explanation). bash cannot be told anything once a key's function has returned, so the
# explanation of a placed command is waited for, and comes with it.
#
# How readline runs a `bind -x` function: the line is in READLINE_LINE and the cursor in
# READLINE_POINT (bytes before bash 5.1, characters since); a changed line is one undo step.
# bash 4.4 and newer clear the prompt's last line and the line from the screen first, and draw
# them again after; older ones clear the cursor's row (4.1 to 4.3) or move to a new line (4.0) and
# draw the whole prompt there after, so they get no Enter binding (each line would be drawn
# twice). The functions write the cleared line back with a notice under it, and leave a message
# above the prompt drawn after, as fish does. $? and $_ are kept: each binding passes $_ on and
# returns the status it found.
# Enter is a macro of two keys: the first runs cmdai_enter, the second is accept-line, unless
# cmdai_enter has just placed a command, when it does nothing.
#
# bash expands the user's aliases in a function's body when the function is defined: they are
# off while this is read, and on again after if they were.

\shopt -q expand_aliases && \shopt -u expand_aliases && _cmdai_aliases=1

cmdai_widget() {
  local status=$?
  _cmdai_run key
  return "$status"
}

# Shows what cmdai says the command on the line does, below it; the line stays as it is.
cmdai_explain() {
  local status=$? line=$READLINE_LINE REPLY text
  local -a frame=()
  if [[ $line != *[![:space:]]* ]]; then
    _cmdai_notice ""
    _cmdai_say "cmdai: type a command first, then press "@CMDAI_EXPLAIN_KEY_NAME@
    return "$status"
  fi
  _cmdai_notice "cmdai: explaining..."
  _cmdai_call explain key "$line"
  text=${frame[1]}
  _cmdai_drop_keys
  ((REPLY)) && text+=$'\n'"cmdai: keys typed while cmdai worked were ignored"
  _cmdai_say "$text"
  return "$status"
}

cmdai_enter() {
  local status=$?
  # The macro's next key runs the line, unless a command is placed below.
  bind '"\C-x\C-^": accept-line'
  # Only a line that is nothing but a comment (`# list big files`) costs a cmdai run.
  local text=${READLINE_LINE#"${READLINE_LINE%%[![:space:]]*}"}
  if [[ $text == '#'* ]]; then
    _cmdai_run enter
    (($? == 6)) || bind '"\C-x\C-^": ""'
  fi
  return "$status"
}

# Asks cmdai about the whole line and places its command there, or says why not. $1: key|enter.
# Returns 6 when Enter was pressed on a line that asks nothing (the caller runs it), else 0.
_cmdai_run() {
  local line=$READLINE_LINE REPLY note= msg
  local -a frame=()
  if [[ $line != *[![:space:]]* ]]; then
    _cmdai_notice ""
    _cmdai_say "cmdai: type a request first, then press "@CMDAI_KEY_NAME@
    return 0
  fi
  _cmdai_notice "cmdai: thinking..."
  _cmdai_call request "$1" "$line"
  if [[ ${frame[0]} == 6 ]]; then
    _cmdai_unnotice
    return 6
  fi
  _cmdai_drop_keys
  ((REPLY)) && note="(keys typed while cmdai worked were ignored)"
  # The message: the explanation when one came, else the one in the frame.
  msg=${frame[1]}
  [[ ${frame[4]} == =* ]] && msg=${frame[4]#=}
  msg+=${msg:+${note:+ }}$note
  if [[ ${frame[0]} == 0 && -n ${frame[2]} ]]; then
    [[ -n ${frame[3]} ]] && history -s -- "${frame[3]}"
    READLINE_LINE=${frame[2]}
    # The cursor at the end: counted in characters from bash 5.1, in bytes before.
    READLINE_POINT=${#READLINE_LINE}
    ((BASH_VERSINFO[0] > 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] >= 1))) ||
      _cmdai_bytes READLINE_POINT "$READLINE_LINE"
  fi
  _cmdai_say "$msg"
}

# Asks cmdai about a line: $1 request|explain, $2 key|enter, $3 the line. A warm server is asked
# over its socket by a small perl client, which runs cmdai when no server answers; without perl,
# cmdai is run here. The fields of its frame go into the caller's `frame`: code, message, line
# and history (see `cmdai --widget`), then "=MESSAGE" when a placed command's explanation came
# after it. Code 130: Ctrl-C cancelled it.
_cmdai_call() {
  local kind=$1 trigger=$2 line=$3 REPLY text interrupted= known= trap_int r
  local -a recent=() cmdai=() words=()
  [[ $kind == request ]] && _cmdai_context
  if _cmdai_bin; then
    if [[ $kind == explain ]]; then
      cmdai=("$REPLY" explain --widget --shell bash)
    else
      cmdai=("$REPLY" --widget --shell bash --session "bash-$$" --known="$known")
      for r in "${recent[@]}"; do cmdai+=(--recent="$r"); done
      [[ $trigger == enter ]] && cmdai+=(--enter)
    fi
    cmdai+=(-- "$line")
  fi
  # Ctrl-C while waiting: the terminal sends SIGINT to bash and to what runs in the command
  # substitution (it has no process group, and no job, of its own). A trap keeps bash from
  # abandoning the line; the user's own is put back after.
  trap_int=$(trap -p INT)
  trap 'interrupted=1' INT
  text=$(_cmdai_ask)
  eval "${trap_int:-trap - INT}"
  eval "words=($text)" 2>/dev/null
  local n=${#words[@]}
  if [[ -n $interrupted ]]; then
    frame=(130 "cmdai: cancelled" "" "" "")
  elif ((n >= 6)); then
    frame=("${words[@]:0:n-2}" "")
  elif ((n < 2)); then
    frame=(1 "cmdai: failed" "" "" "")
  else
    # No frame: cmdai failed before it could say (its stderr says why).
    frame=("${words[n-2]:-1}" "${words[n-1]:-cmdai: failed}" "" "" "")
    [[ -n ${words[n-1]} ]] || frame[1]="cmdai: failed (exit status ${frame[0]})"
  fi
}

# Run in a command substitution by _cmdai_call, with its variables: asks the perl client, else
# cmdai itself, and prints the fields of the frame, each a word quoted for bash (a substitution
# drops NULs), then the status and, when cmdai run here gave no frame, its stderr's last line.
_cmdai_ask() {
  local name st why= field
  # CMDAI_* settings count whether exported or not: here, for cmdai, they are.
  for name in ${!CMDAI_@}; do export "$name"; done
  if type -P perl >/dev/null 2>&1; then
    perl -e @CMDAI_PERL_CLIENT@ -- "$kind" "$line" "$trigger" "bash-$$" "$PWD" bash "" "" \
      "$known" "${#recent[@]}" "${recent[@]}" -- "${cmdai[@]}" </dev/null 2>/dev/null | _cmdai_words ""
    st=${PIPESTATUS[0]}
    # Else no server answered and there is no cmdai to run (1), or perl failed: as without it.
    if ((st == 0 || st == 130)); then
      printf '%q %q' "$st" ""
      return
    fi
  fi
  if ((${#cmdai[@]} == 0)); then
    printf '%q %q' 1 "$REPLY"
    return
  fi
  # stderr goes to a file per shell, created exclusively (set -C, in this subshell alone) so a
  # planted file or link in a shared temp directory is refused rather than written through.
  local err=${TMPDIR:-/tmp}/cmdai-widget.$$.err
  command rm -f -- "$err" 2>/dev/null
  if ! { set -C && : >"$err"; } 2>/dev/null; then
    printf '%q %q' 1 "cmdai: cannot create a temporary file in ${TMPDIR:-/tmp}"
    return
  fi
  # What follows a placed command is its explanation, marked as the perl client marks it.
  "${cmdai[@]}" </dev/null 2>>"$err" | _cmdai_words =
  st=${PIPESTATUS[0]}
  while IFS= read -r field; do
    [[ $field == *[![:space:]]* ]] && why=$field
  done <"$err"
  command rm -f -- "$err" 2>/dev/null
  printf '%q %q' "$st" "$why"
}

# Sets the variable named $1 to the length of $2 in bytes (in the C locale, here alone).
_cmdai_bytes() {
  local LC_ALL=C
  printf -v "$1" %d "${#2}"
}

# Each NUL-ended field on stdin, as a word quoted for bash; $1 before the fifth.
_cmdai_words() {
  local field n=0
  while IFS= read -r -d '' field; do
    ((++n == 5)) && field=$1$field
    printf '%q ' "$field"
  done
}

# What bash tells cmdai about itself for a request, into the caller's `recent`, the last history
# entries, oldest first (cmdai keeps as many as CMDAI_HISTORY says), and `known`, the names of the
# aliases and functions, one a line (they run, as programs on PATH do).
_cmdai_context() {
  local list line num next= entry=
  # Each entry as `NUMBER  TEXT`, the lines after its first as they are; numbers are consecutive,
  # so only the next one opens an entry. (history -p and fc take the last entry for their own
  # command line, as if typed, and skip it.)
  list=$(HISTTIMEFORMAT= builtin history @CMDAI_MAX_RECENT@)$'\n'
  while [[ -n $list ]]; do
    line=${list%%$'\n'*} list=${list#*$'\n'}
    num=${line#"${line%%[! ]*}"} num=${num%%[!0-9]*}
    if [[ -n $num && ( -z $next || $num == "$next" ) && ${line#*"$num"} == [\ *]\ * ]]; then
      [[ -n $next ]] && recent+=("$entry")
      entry=${line#*"$num"??} next=$((num + 1))
    elif [[ -n $next ]]; then
      entry+=$'\n'$line
    fi
  done
  [[ -n $next ]] && recent+=("$entry")
  # Completion functions (_git) and the helpers of widgets are no commands to run.
  known=$(compgen -a; compgen -A function -X '_*')
}

# The cmdai to run, in REPLY: CMDAI_BIN, else the cmdai that wrote this script, else `cmdai` on
# PATH (searched at each press, not from the command hash, which can be stale). When there is
# none, fails with the reason in REPLY.
_cmdai_bin() {
  local installed=@CMDAI_INSTALLED@ bin=${CMDAI_BIN:-cmdai} dir rest
  if [[ -z ${CMDAI_BIN-} && -n $installed && -x $installed && ! -d $installed ]]; then
    bin=$installed
  elif [[ $bin != */* ]]; then
    rest=$PATH: REPLY=$bin bin=
    while [[ -n $rest && -z $bin ]]; do
      dir=${rest%%:*} rest=${rest#*:}
      [[ -n $dir && -x $dir/$REPLY && ! -d $dir/$REPLY ]] && bin=$dir/$REPLY
    done
  fi
  if [[ -z $bin || -d $bin || ! -x $bin ]]; then
    if [[ -n ${CMDAI_BIN-} ]]; then
      REPLY="cmdai: CMDAI_BIN is not an executable: $CMDAI_BIN"
    elif [[ -n $installed ]]; then
      REPLY="cmdai: $installed is gone and no cmdai is on PATH; reinstall cmdai"
    else
      REPLY="cmdai: command not found on PATH"
    fi
    return 1
  fi
  REPLY=$bin
}

# Whether bash clears the prompt's last line and the line before running a key's function, and
# draws that last line again after (bash 4.4 and newer, which can also expand the prompt).
_cmdai_clears() {
  ((BASH_VERSINFO[0] > 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] >= 4)))
}

# The prompt as bash shows it, in the caller's `prompt` (PS1 expanded, without the markers of
# its invisible parts), and its last line's width on the screen in `width`.
_cmdai_prompt() {
  prompt=${PS1@P}
  local last=${prompt##*$'\n'}
  while [[ $last == *$'\001'*$'\002'* ]]; do last=${last%%$'\001'*}${last#*$'\002'}; done
  width=${#last}
  prompt=${prompt//[$'\001\002']/}
}

# A notice under the line while cmdai works ($1). bash has cleared the prompt's last line and the
# line: they are written back first, as they were. (bash 4.1 to 4.3 have cleared the cursor's
# row, 4.0 moved to a new one: the notice goes there.)
_cmdai_notice() {
  if _cmdai_clears; then
    local prompt width
    _cmdai_prompt
    printf '%s%s\n' "${prompt##*$'\n'}" "${READLINE_LINE//[^[:print:]$'\n']/?}"
  fi
  printf '\r%s\e[K' "$1"
}

# Takes the notice back: the line is drawn again where it was.
_cmdai_unnotice() {
  printf '\r\e[K'
  _cmdai_clears || return 0
  # The rows the prompt's last line and the line take on the screen.
  local prompt width rows=0 columns=${COLUMNS:-80} rest=$READLINE_LINE$'\n' l
  _cmdai_prompt
  while [[ -n $rest ]]; do
    l=${rest%%$'\n'*} rest=${rest#*$'\n'}
    l=$((${#l} + width)) width=0
    rows=$((rows + (l > 0 ? (l + columns - 1) / columns : 1)))
  done
  printf '\e[%dA' "$rows"
}

# Shows a message ($1, a line or several) in place of the notice; bash draws the prompt and the
# line under it (from bash 4.4, the prompt's last line only: its earlier lines are written here).
# Control characters are replaced so a message cannot drive the terminal.
_cmdai_say() {
  local text=${1//[^[:print:]$'\n']/ } prompt width
  printf '\r\e[K'
  [[ -n $text ]] && printf '%s\e[K\n' "${text//$'\n'/$'\e[K\n'}"
  if _cmdai_clears; then
    _cmdai_prompt
    [[ $prompt == *$'\n'* ]] && printf '%s\n' "${prompt%$'\n'*}"
  fi
}

# Keys typed while cmdai worked were meant for the line as it was: an Enter among them would run
# a command nobody has read, a second press would ask again. They are dropped; REPLY: how many.
_cmdai_drop_keys() {
  local key
  REPLY=0
  while ((REPLY < 4096)) && read -t 0 && IFS= read -r -s -n 1 -d '' -t 1 key; do
    ((REPLY++))
  done
}

# Bindings, in every keymap a user types in: the keys, and Enter (a macro, see above; bash 4.4 and
# newer) only where it runs accept-line, so another binding of Enter is left alone. A DEBUG trap
# runs before each function a key runs, as before a command: bash-preexec (before 0.6.0, which
# checks READLINE_POINT) would take it for the command typed, so it runs with stdout away from
# the terminal, which bash-preexec skips, and gets it back inside.
_cmdai_bind() {
  local m k map key=@CMDAI_KEY@ explain=@CMDAI_EXPLAIN_KEY@
  local run='{ %s "$_" >&3 3>&-; } 3>&1 >/dev/null' widget explainer enter
  printf -v widget "$run" cmdai_widget
  printf -v explainer "$run" cmdai_explain
  printf -v enter "$run" cmdai_enter
  for m in emacs vi-insert vi-command; do
    bind -m "$m" -x "\"$key\": $widget"
    [[ -n $explain ]] && bind -m "$m" -x "\"$explain\": $explainer"
    [[ @CMDAI_COMMENT_ENTER@ == 1 ]] && _cmdai_clears || continue
    bind -m "$m" -x "\"\\C-x\\C-]\": $enter"
    bind -m "$m" '"\C-x\C-^": accept-line'
    map=$'\n'$(bind -m "$m" -p 2>/dev/null)$'\n'
    for k in '\C-m' '\C-j'; do
      [[ $map == *$'\n'"\"$k\": accept-line"$'\n'* ]] &&
        bind -m "$m" "\"$k\": \"\\C-x\\C-]\\C-x\\C-^\""
    done
  done
}

# Completion for cmdai itself, written by `cmdai init` from the flags cmdai parses with.
@CMDAI_COMPLETIONS@

if ((BASH_VERSINFO[0] < 4)); then
  [[ $- == *i* ]] &&
    printf '%s\n' "cmdai: bash $BASH_VERSION cannot run cmdai's keys (they need bash 4.0 or newer); nothing is bound" >&2
else
  complete -F _cmdai cmdai
  # Keys only where there is a line editor to bind them in.
  [[ @CMDAI_BIND@ == 1 && $- == *i* ]] && [[ -o emacs || -o vi ]] && _cmdai_bind
fi
unset -f _cmdai_bind
[[ -n ${_cmdai_aliases-} ]] && shopt -s expand_aliases
unset _cmdai_aliases
