# cmdai for zsh: Ctrl-G turns the request typed on the prompt line into a shell command and puts
# it on the line, to edit or run with Enter. Nothing runs by itself.
#
#   eval "$(cmdai init zsh)"      # in ~/.zshrc
#
# Sourcing this defines one widget and binds it; it prints nothing and sets no shell option.
# Settings, read at every press: CMDAI_BIN, the cmdai to run (default: `cmdai` found on PATH).
# The widget protocol: `cmdai --widget --shell zsh -- LINE`; exit 0 puts stdout on the line,
# any other exit keeps the line as typed; stderr's last non-empty line is shown as the message.
#
# zsh expands the user's aliases in a function's body when the function is defined, so the
# definitions are made under `emulate -o no_aliases -c` (no single quotes inside, then). The
# options are the user's again once it is done.

'builtin' 'emulate' 'zsh' '-o' 'no_aliases' '-c' '

cmdai-widget() {
  emulate -L zsh
  setopt no_clobber

  if [[ $BUFFER != *[^[:space:]]* ]]; then
    zle -M "cmdai: type a request first, then press Ctrl-G"
    return 0
  fi

  # Look the program up at each press (a PATH search, not the command hash, which can be stale).
  local bin=${CMDAI_BIN:-cmdai}
  if [[ $bin != */* ]]; then
    local -a found=(${^path}/$bin(N-*))
    bin=${found[1]-}
  fi
  if [[ -z $bin || -d $bin || ! -x $bin ]]; then
    if [[ -n ${CMDAI_BIN-} ]]; then
      zle -M "cmdai: CMDAI_BIN is not an executable: ${CMDAI_BIN//[[:cntrl:]]/?}"
    else
      zle -M "cmdai: command not found on PATH"
    fi
    return 0
  fi

  # stderr goes to a file per shell, created exclusively (no_clobber) so a planted file or link
  # in a shared temp directory is refused rather than written through.
  local err=${TMPDIR:-/tmp}/cmdai-widget.$$.err
  local -a rm=(command rm -f --)
  zmodload -F zsh/files b:zf_rm 2>/dev/null && rm=(zf_rm -f --)
  $rm $err 2>/dev/null
  if ! { : >$err } 2>/dev/null; then
    zle -M "cmdai: cannot create a temporary file in ${TMPDIR:-/tmp}"
    return 0
  fi

  # Ctrl-C while waiting: the terminal sends SIGINT to this shell and to the command
  # substitution. Here, a trap (local to this function) keeps zle from abandoning the line. In
  # the substitution, cmdai is a background job, which ignores SIGINT: the trap there stops it
  # and ends with 130. A command substitution rather than a job: no job control, `$!` is left
  # alone, and keys typed meanwhile stay unechoed until zle reads them.
  local reply rc
  zle -R "cmdai: thinking..."
  trap : INT
  reply=$(
    exec 2>/dev/null
    pid=
    trap "" TSTP
    trap "[[ -n \$pid ]] && kill -TERM \$pid && wait \$pid; exit 130" INT TERM HUP
    $bin --widget --shell zsh -- "$BUFFER" </dev/null 2>>$err &
    pid=$!
    wait $pid
  )
  rc=$?

  local -a lines=(${(f)"$(<$err)"})
  local msg=${lines[-1]-}
  $rm $err 2>/dev/null

  if (( rc == 130 )); then
    msg="cmdai: cancelled"
  elif (( rc != 0 )); then
    [[ -n $msg ]] || msg="cmdai: failed (exit status $rc)"
  elif [[ -z $reply ]]; then
    msg="cmdai: empty reply"
  else
    BUFFER=$reply
    CURSOR=$#BUFFER
  fi
  # Control characters are replaced so a message cannot drive the terminal.
  zle -M -- "${msg//[[:cntrl:]]/ }"
  return 0
}

zle -N cmdai-widget
bindkey -M emacs "^G" cmdai-widget
bindkey -M viins "^G" cmdai-widget
bindkey -M vicmd "^G" cmdai-widget
'
