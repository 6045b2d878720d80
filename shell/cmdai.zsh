# cmdai for zsh: Ctrl-G turns the request typed on the prompt line into a shell command and puts
# it on the line, to edit or run with Enter; Alt-G explains the command on the line, below it.
# Nothing runs by itself.
#
#   eval "$(cmdai init zsh)"      # in ~/.zshrc; `cmdai init zsh --help` lists the options
#
# Sourcing this defines the widgets, binds them and registers completions for cmdai; it prints
# nothing and sets no shell option.
#   cmdai-widget       the key (Ctrl-G, or `cmdai init zsh --key`): the line becomes a command;
#                      `cmd  # instruction` revises cmd; on a line cmdai just placed, another command
#   cmdai-explain      the explain key (Alt-G, or `cmdai init zsh --explain-key`; none: unbound):
#                      what the command on the line does, part by part, and its risk, shown
#                      below the line; the line and the cursor stay as they are
#   cmdai-accept-line  Enter: a line that is only a comment (`# list big files`) is asked about
#                      instead of run; any other line goes to accept-line as before (whoever
#                      wraps it)
# Read at every press: CMDAI_BIN (the cmdai to run; default: the one that wrote this, then PATH).
# Every other setting is cmdai's to read, from the environment this shell sends it, where
# CMDAI_* variables count whether exported or not.
# The widget protocol: `cmdai --widget [--enter] --shell zsh --session ID -- LINE`, or
# `cmdai explain --widget --shell zsh -- LINE` for the explain key, or the same request sent to
# the warm server's socket, answer with one frame: code NUL message NUL line NUL history NUL.
# code 0: the line becomes `line` (history: what to add to the shell's history); 6: Enter on a
# line that asks nothing, for the shell to run; anything else keeps the line as typed. The
# message is shown under the line (for the explain key, it is the explanation).
#
# zsh expands the user's aliases in a function's body when the function is defined, so
# `cmdai init` hands this script to `emulate -o no_aliases -c`, quoted as one word. The options
# are the user's again once it is done.


# The socket of the resident server, when zsh may use it itself: REPLY is its path. The
# directory must belong to this user and be closed to others, as cmdai checks before use.
_cmdai_server_socket() {
  zmodload zsh/net/socket zsh/stat 2>/dev/null || return 1
  local dir=${TMPDIR:-/tmp}/cmdai-$UID
  [[ -n ${XDG_RUNTIME_DIR-} ]] && dir=$XDG_RUNTIME_DIR/cmdai
  [[ -d $dir && ! -h $dir && -O $dir && -S $dir/server.sock ]] || return 1
  local -a mode
  zstat -s -A mode +mode -- $dir 2>/dev/null && [[ ${mode[1]} == d???------ ]] || return 1
  REPLY=$dir/server.sock
}

# The elements of the array named $1 as JSON strings, in place: one pass over them all, since
# the whole environment is sent at every press.
_cmdai_json_array() {
  emulate -L zsh -o extended_glob
  local -a a=("${(@P)1}")
  a=("${(@)a//\\/\\\\}")
  a=("${(@)a//\"/\\\"}")
  a=("${(@)a//(#m)[[:cntrl:]]/\\u${(l:4::0:)$(( [##16] #MATCH ))}}")
  set -A $1 "${(@)a/(#m)*/\"$MATCH\"}"
}

# What the shell tells cmdai about itself for a request, into the arrays of the caller: recent, the
# last history entries, oldest first (cmdai keeps as many as CMDAI_HISTORY says); known, the
# names of the aliases and functions (they run, as programs on PATH do).
_cmdai_context() {
  zmodload zsh/parameter 2>/dev/null || return 0
  integer n=HISTCMD-1 oldest=HISTCMD-50
  while (( n > 0 && n > oldest && $#recent < @CMDAI_MAX_RECENT@ )); do
    [[ -n ${history[$n]-} ]] && recent=("${history[$n]}" "${recent[@]}")
    (( n-- ))
  done
  # Completion functions (_git) and the helpers of widgets are no commands to run.
  known=(${(k)aliases} ${(k)galiases} ${${(k)functions}:#_*})
}

# The request to the server, one JSON line in REPLY: what `cmdai --widget` would send for kind $1
# (request|explain), trigger $2 (key|enter) and line $3, with the exported environment
# (settings, locale, the API key), and for a request recent and known (the caller has them).
_cmdai_request() {
  emulate -L zsh
  # CMDAI_* settings count whether exported or not, as in the request cmdai is run with.
  local -a names=(${(k)parameters[(R)*export*]} ${(k)parameters[(I)CMDAI_*]}) values env
  names=(${(u)names})
  local k
  integer i
  for k in $names; do values+=("${(P)k}"); done
  _cmdai_json_array names
  _cmdai_json_array values
  for (( i = 1; i <= $#names; i++ )); do env+=("$names[i]:$values[i]"); done
  local -a fields=("$3" "$PWD")
  _cmdai_json_array fields
  REPLY="{\"v\":2,\"type\":\"request\",\"reply\":\"widget\",\"cwd\":$fields[2],"
  REPLY+="\"colour\":false,\"env\":{${(j:,:)env}},\"args\":"
  if [[ $1 == explain ]]; then
    REPLY+="{\"kind\":\"explain\",\"command\":$fields[1],\"shell\":\"zsh\",\"json\":false,"
    REPLY+="\"widget\":true}}"
  else
    local enter=false
    [[ $2 == enter ]] && enter=true
    local -a r=("${recent[@]}") k=("${known[@]}")
    _cmdai_json_array r
    _cmdai_json_array k
    REPLY+="{\"kind\":\"request\",\"request\":$fields[1],\"shell\":\"zsh\",\"json\":false,"
    REPLY+="\"widget\":true,\"enter\":$enter,\"session\":\"zsh-$$\","
    REPLY+="\"recent\":[${(j:,:)r}],\"known\":[${(j:,:)k}]}}"
  fi
}

# Reads from the descriptor $1 into buf (the caller declares it) until it holds $2 NUL-ended
# fields, the input ends, or Ctrl-C (interrupted, the caller sets it); fails unless it got them.
_cmdai_read() {
  local chunk
  integer st
  local -a fields=("${(@0)buf}")
  while (( $#fields <= $2 )); do
    # Waits a tenth of a second at a time: a read blocked on the descriptor would not see Ctrl-C.
    zselect -t 10 -r $1
    st=$?
    (( interrupted )) && return 1
    (( st == 1 )) && continue
    (( st == 0 )) && sysread -i $1 chunk 2>/dev/null || return 1
    buf+=$chunk
    fields=("${(@0)buf}")
  done
  return 0
}

# Asks cmdai about a line: $1 request|explain, $2 key|enter, $3 the line. A warm server is asked
# straight from zsh, through its socket: no process starts, so a request costs what the model
# takes. When no server answers, cmdai is run to ask (it starts the server, or answers itself).
# reply: the fields of the frame (see cmdai --widget), code, message, line and history, then the
# message that follows a placed command when it is here already (its explanation). REPLY: the
# descriptor it is still to come on, if it is (_cmdai_later_pid: the cmdai writing it, if one
# does). Code 130: Ctrl-C cancelled it.
_cmdai_call() {
  emulate -L zsh
  if ! zmodload zsh/system zsh/zselect 2>/dev/null; then
    reply=(1 "cmdai: this zsh lacks its zsh/system and zsh/zselect modules" "" "" "")
    REPLY=
    return 0
  fi
  local buf= fd= pid= err= msg=
  local -a recent known
  integer interrupted=0
  trap "interrupted=1" INT
  [[ $1 == request ]] && _cmdai_context
  if _cmdai_server_socket; then
    local sock=$REPLY
    _cmdai_request $1 $2 $3
    local request=$REPLY nl="
"
    if zsocket $sock 2>/dev/null; then
      fd=$REPLY
      print -rn -u $fd -- "$request$nl" 2>/dev/null && _cmdai_read $fd 4 || {
        # No frame: the server leaves this to cmdai (CMDAI_SERVER=0), or it went away.
        exec {fd}>&-
        fd= buf=
      }
    fi
  fi
  if [[ -z $fd ]] && (( ! interrupted )); then
    _cmdai_bin || { reply=(1 "$REPLY" "" "" ""); REPLY=; return 0; }
    local -a args=(--widget --shell zsh --session zsh-$$ --known=${(pj:\n:)known})
    args+=(--recent=${^recent})
    [[ $2 == enter ]] && args+=(--enter)
    [[ $1 == explain ]] && args=(explain --widget --shell zsh)
    # stderr goes to a file per shell, created exclusively (no_clobber) so a planted file or link
    # in a shared temp directory is refused rather than written through.
    err=${TMPDIR:-/tmp}/cmdai-widget.$$.err
    command rm -f -- $err 2>/dev/null
    if ! { setopt no_clobber; : >$err } 2>/dev/null; then
      reply=(1 "cmdai: cannot create a temporary file in ${TMPDIR:-/tmp}" "" "" "")
      REPLY=
      return 0
    fi
    # Its output on a descriptor, read as it comes. CMDAI_* settings count whether exported or
    # not: in this subshell alone, they are.
    exec {fd}< <(
      export ${(k)parameters[(I)CMDAI_*]}
      exec $REPLY $args -- $3 </dev/null 2>>$err
    )
    pid=${sysparams[procsubstpid]-}
    _cmdai_read $fd 4
    local -a lines=(${(f)"$(<$err)"})
    msg=${lines[-1]-}
    command rm -f -- $err 2>/dev/null
  fi
  local -a fields=("${(@0)buf}")
  if (( interrupted || $#fields < 5 )); then
    # No frame: cancelled, or cmdai failed before it could say (its stderr says why).
    [[ -n $pid ]] && kill -TERM $pid 2>/dev/null
    [[ -n $fd ]] && exec {fd}<&-
    if (( interrupted )); then
      reply=(130 "cmdai: cancelled" "" "" "")
    else
      reply=(1 "${msg:-cmdai: failed}" "" "" "")
    fi
    REPLY=
    return 0
  fi
  reply=("${(@)fields[1,4]}" "")
  REPLY=
  if (( $#fields > 5 )); then
    reply[5]=$fields[5]
  elif [[ $fields[1] == 0 && -n $fields[3] && $1 == request ]]; then
    # A command placed, its explanation still to come: the caller waits for it, or not.
    REPLY=$fd _cmdai_later_pid=$pid _cmdai_later_buf=$fields[5]
    return 0
  fi
  exec {fd}<&-
}

# Asks cmdai about the whole line and places its command there, or says why not. $1: key|enter.
# Returns 6 when Enter was pressed on a line that asks nothing (the caller runs it), else 0.
_cmdai_run() {
  emulate -L zsh
  _cmdai_later_stop
  # A line continued with a backslash keeps its first part in PREBUFFER: the whole is the request.
  local line=$PREBUFFER$BUFFER
  if [[ $line != *[^[:space:]]* ]]; then
    zle -M "cmdai: type a request first, then press "@CMDAI_KEY_NAME@
    return 0
  fi
  _cmdai_notice "cmdai: thinking..."
  # Ctrl-C while waiting: the terminal sends SIGINT to this shell and to what it started. A trap
  # (local to this function) keeps zle from abandoning the line.
  trap : INT
  _cmdai_call request $1 $line
  local -a frame=("${reply[@]}")
  local later=$REPLY
  (( frame[1] == 6 )) && return 6
  _cmdai_drop_keys
  # The message: the explanation when it is here already, else the one in the frame.
  local msg=${frame[5]:-$frame[2]} note=
  (( REPLY )) && note="(keys typed while cmdai worked were ignored)"
  msg+="${msg:+${note:+ }}$note"
  # Control characters are replaced so a message cannot drive the terminal.
  msg=${msg//[[:cntrl:]]/ }
  if (( frame[1] != 0 )) || [[ -z $frame[3] ]]; then
    _cmdai_say "$msg"
    return 0
  fi
  [[ -n $frame[4] ]] && print -rs -- "$frame[4]"
  if [[ -n $PREBUFFER ]]; then
    # The earlier lines of a continued line cannot be edited from here: the command goes onto a
    # fresh prompt line instead, under the message (the explanation too, once it is written).
    if [[ -n $later ]]; then
      local buf=$_cmdai_later_buf
      local -a fields
      integer interrupted=0
      _cmdai_read $later 1 && fields=("${(@0)buf}") && msg=${fields[1]//[[:cntrl:]]/ }
      exec {later}<&-
      _cmdai_later_pid= _cmdai_later_buf=
    fi
    CURSOR=$#BUFFER
    zle -R
    print -nu2 "\n"
    print -nru2 -- "$msg"
    print -rz -- "$frame[3]"
    zle send-break
    return 0
  fi
  BUFFER=$frame[3]
  CURSOR=$#BUFFER
  zle -M -- "$msg"
  # The line belongs to the user now; the explanation follows when it is written, unless the line
  # changes (or runs) first.
  if [[ -n $later ]]; then
    _cmdai_later_fd=$later _cmdai_later_line=$BUFFER _cmdai_later_note=$note
    zle -F -w $later _cmdai_later
  fi
  return 0
}

# The explanation of a placed command, arriving on its descriptor ($1): shown under the line once
# whole; gone with the descriptor if it never comes.
_cmdai_later() {
  emulate -L zsh
  local chunk
  if sysread -i $1 chunk 2>/dev/null; then
    _cmdai_later_buf+=$chunk
    local -a fields=("${(@0)_cmdai_later_buf}")
    (( $#fields > 1 )) || return 0
    local msg=${fields[1]//[[:cntrl:]]/ }
    _cmdai_say "$msg${_cmdai_later_note:+ }$_cmdai_later_note"
  fi
  _cmdai_later_stop
}

# Stops waiting for an explanation: the descriptor closed (the server sees it and stops writing)
# and the cmdai writing it, if one does, stopped. The line belongs to the user once placed:
# this runs when the line changes, is run or is left, and at the next press.
_cmdai_later_stop() {
  [[ -n ${_cmdai_later_fd-} ]] || return 0
  zle -F $_cmdai_later_fd 2>/dev/null
  exec {_cmdai_later_fd}<&-
  [[ -n ${_cmdai_later_pid-} ]] && kill -TERM $_cmdai_later_pid 2>/dev/null
  _cmdai_later_fd= _cmdai_later_pid= _cmdai_later_buf= _cmdai_later_line= _cmdai_later_note=
}

# Before each redraw: a line that is no longer the command placed stops its explanation.
_cmdai_later_watch() {
  [[ -n ${_cmdai_later_fd-} && $BUFFER != ${_cmdai_later_line-} ]] && _cmdai_later_stop
  return 0
}

# Shows a message ($1) under the line. zsh shows none under a line taller than the screen: the
# message goes on the top rows then, drawn once zsh has redrawn the line (a handler on a file
# that is ready at once, holding the text), until the next full redraw.
_cmdai_say() {
  emulate -L zsh
  local line=$PREBUFFER$BUFFER
  if (( (${#line} + 20) / COLUMNS + 2 < LINES )); then
    zle -M -- "$1"
    return
  fi
  local fd
  exec {fd}<<<"$1"
  zle -F $fd _cmdai_say_on_top
}

_cmdai_say_on_top() {
  emulate -L zsh
  local text row=0 l
  read -r -d "" -u $1 text
  zle -F $1
  exec {1}<&-
  {
    print -n "\e7"
    for l in "${(@f)text}"; do
      (( ++row < LINES )) || break
      print -n "\e[$row;1H\e[7m"
      print -rn -- "${l[1,COLUMNS-1]}"
      print -n "\e[m\e[K"
    done
    print -n "\e8"
  } >/dev/tty
}

# The cmdai to run, in REPLY: CMDAI_BIN, else the cmdai that wrote this script, else `cmdai` on
# PATH (a PATH search at each press, not the command hash, which can be stale). When there is
# none, says why under the line and fails.
_cmdai_bin() {
  emulate -L zsh
  local installed=@CMDAI_INSTALLED@
  local bin=${CMDAI_BIN:-cmdai}
  if [[ -z ${CMDAI_BIN-} && -n $installed && -x $installed && ! -d $installed ]]; then
    bin=$installed
  elif [[ $bin != */* ]]; then
    local -a found=(${^path}/$bin(N-*))
    bin=${found[1]-}
  fi
  if [[ -z $bin || -d $bin || ! -x $bin ]]; then
    if [[ -n ${CMDAI_BIN-} ]]; then
      zle -M "cmdai: CMDAI_BIN is not an executable: ${CMDAI_BIN//[[:cntrl:]]/?}"
    elif [[ -n $installed ]]; then
      zle -M "cmdai: ${installed//[[:cntrl:]]/?} is gone and no cmdai is on PATH; reinstall cmdai"
    else
      zle -M "cmdai: command not found on PATH"
    fi
    return 1
  fi
  REPLY=$bin
}

# A notice under the line while cmdai works ($1), in place of any message there: a status line,
# gone at the next redisplay, drawn over only the first row of a message.
_cmdai_notice() {
  zle -M ""
  zle -R "$1"
}

# Keys typed while cmdai worked were meant for the line as it was: an Enter among them would run
# a command nobody has read, a second press would ask again. They are dropped; REPLY: how many.
_cmdai_drop_keys() {
  emulate -L zsh
  local key
  integer n=0
  while (( n < 4096 )) && read -t 0 -k 1 -s key; do
    (( n++ ))
  done
  REPLY=$n
}

cmdai-widget() {
  _cmdai_run key
  return 0
}

# Shows what cmdai says the command on the line does, below it; the line stays as it is.
cmdai-explain() {
  emulate -L zsh
  _cmdai_later_stop
  local line=$PREBUFFER$BUFFER
  if [[ $line != *[^[:space:]]* ]]; then
    zle -M "cmdai: type a command first, then press "@CMDAI_EXPLAIN_KEY_NAME@
    return 0
  fi
  _cmdai_notice "cmdai: explaining..."
  # Ctrl-C while waiting cancels, as in _cmdai_run.
  trap : INT
  _cmdai_call explain key $line
  local text=$reply[2] nl="
"
  _cmdai_drop_keys
  (( REPLY )) && text+="${nl}cmdai: keys typed while cmdai worked were ignored"
  # Line by line, control characters replaced, so the text cannot drive the terminal.
  local -a lines=("${(@f)text}")
  lines=("${(@)lines//[[:cntrl:]]/ }")
  _cmdai_say "${(F)lines}"
  return 0
}

cmdai-accept-line() {
  # Only a line that is nothing but a comment (`# list big files`) costs a cmdai run.
  if [[ -z $PREBUFFER && $BUFFER =~ "^[[:space:]]*#" ]]; then
    _cmdai_run enter
    (( $? == 6 )) || return 0
  fi
  zle accept-line
}

zle -N cmdai-widget
zle -N cmdai-explain
zle -N cmdai-accept-line
zle -N _cmdai_later
zle -N _cmdai_later_watch
zle -N _cmdai_later_stop
# What a pending explanation must give way to: a changed line, a line run or abandoned.
typeset -g _cmdai_later_fd= _cmdai_later_pid= _cmdai_later_buf= _cmdai_later_line= \
  _cmdai_later_note=
# (Ctrl-C leaves the line without line-finish: the next line starting says it.)
autoload -Uz add-zle-hook-widget &&
  add-zle-hook-widget line-pre-redraw _cmdai_later_watch &&
  add-zle-hook-widget line-finish _cmdai_later_stop &&
  add-zle-hook-widget line-init _cmdai_later_stop

# Bindings: the keys in every keymap a user types in; Enter only where it runs accept-line, so
# another binding of Enter is left alone.
() {
  [[ @CMDAI_BIND@ == 1 ]] || return 0
  local m k explain=@CMDAI_EXPLAIN_KEY@
  for m in emacs viins vicmd; do
    bindkey -M $m -- @CMDAI_KEY@ cmdai-widget
    [[ -n $explain ]] && bindkey -M $m -- $explain cmdai-explain
    [[ @CMDAI_COMMENT_ENTER@ == 1 ]] || continue
    for k in "^M" "^J"; do
      [[ $(bindkey -M $m -- $k) == *" accept-line" ]] && bindkey -M $m -- $k cmdai-accept-line
    done
  done
}

# Completion for cmdai itself, where the completion system is loaded (compinit ran), written by
# `cmdai init` from the flags cmdai parses with. Defined here, it runs with the options of plain
# zsh: those the completion helpers need are set again.
@CMDAI_COMPLETIONS@
(( ${+functions[compdef]} )) && compdef _cmdai cmdai
