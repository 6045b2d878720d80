# cmdai for fish: Ctrl-G turns the request typed on the command line into a shell command and
# puts it on the line, to edit or run with Enter. Nothing runs by itself.
#
#   cmdai init fish | source      # in ~/.config/fish/config.fish
#
# Sourcing this defines functions and binds Ctrl-G; it prints nothing and sets no variable.
# Settings, read at every press: CMDAI_BIN, the cmdai to run (default: `cmdai` found on PATH).
# The widget protocol: `cmdai --widget --shell fish -- LINE`; exit 0 puts stdout on the line,
# any other exit keeps the line as typed; stderr's last non-empty line is shown as the message.

function cmdai_widget --description 'cmdai: turn the request on the command line into a command'
    set -l line (commandline | string collect)
    # Where fish left the cursor, for the messages written under the command line.
    set -l lines (commandline)
    set -l below (builtin math (count $lines) - (commandline -L) + 1)
    set -l above (builtin math (count (fish_prompt 2>/dev/null)) - 1 + (commandline -L) - 1)
    if not string match -qr '\S' -- $line
        __cmdai_done 'cmdai: type a request first, then press Ctrl-G' $below $above
        return 0
    end

    # Look the program up at each press.
    set -l bin cmdai
    set -q CMDAI_BIN[1]; and test -n "$CMDAI_BIN"; and set bin $CMDAI_BIN
    string match -q '*/*' -- $bin; or set bin (command -s -- $bin)[1]
    if test -z "$bin" -o -d "$bin"; or not test -x "$bin"
        set -l msg 'cmdai: command not found on PATH'
        set -q CMDAI_BIN[1]; and test -n "$CMDAI_BIN"
        and set msg "cmdai: CMDAI_BIN is not an executable: $CMDAI_BIN"
        __cmdai_done $msg $below $above
        return 0
    end

    # stderr goes to a file per shell, created exclusively (>?) so a planted file or link in a
    # shared temp directory is refused rather than written through.
    set -l dir /tmp
    set -q TMPDIR[1]; and test -n "$TMPDIR"; and set dir $TMPDIR
    set -l err $dir/cmdai-widget.$fish_pid.err
    command rm -f -- $err 2>/dev/null
    if not true >?$err 2>/dev/null
        __cmdai_done "cmdai: cannot create a temporary file in $dir" $below $above
        return 0
    end

    # fish draws nothing while a binding runs: write the notice under the command line ourselves.
    string repeat -N -n $below \n
    builtin printf '\r%s\e[K\r' 'cmdai: thinking...'

    # Ctrl-C while waiting: the terminal sends SIGINT to fish and to the command substitution's
    # processes. Any SIGINT handler stops fish from cancelling this function. In the sh below,
    # cmdai is a background job, which ignores SIGINT: the trap there stops it and ends with
    # 130. A command substitution rather than a job: no job control, $last_pid is left alone,
    # and keys typed meanwhile stay unechoed until fish reads them.
    set -l script 'trap "" TSTP; p=
trap "[ -z \"\$p\" ] || { kill -TERM \"\$p\"; wait \"\$p\"; }; exit 130" INT TERM HUP
"$@" </dev/null & p=$!
wait "$p"'
    function __cmdai_on_sigint --on-signal SIGINT
    end
    set -l reply (command sh -c $script cmdai $bin --widget --shell fish -- $line 2>>$err)
    set -l rc $status
    functions -e __cmdai_on_sigint
    # Lines back into one string; string collect's output is not split again.
    set reply (string join \n -- $reply | string collect)

    set -l msg (string match -rv '^\s*$' <$err)[-1]
    command rm -f -- $err 2>/dev/null

    builtin printf '\r\e[K'
    if test $rc -eq 130
        set msg 'cmdai: cancelled'
    else if test $rc -ne 0
        test -n "$msg"; or set msg "cmdai: failed (exit status $rc)"
    else if test -z "$reply"
        set msg 'cmdai: empty reply'
    else
        commandline -r -- $reply
        commandline -C (string length -- $reply)
    end
    if test -n "$msg"
        __cmdai_done $msg 0 $above
    else
        # Back up from the notice line to where fish left the cursor, and redraw there.
        builtin printf '\e[%dA' $below
        commandline -f repaint
    end
end

# Show a message under the command line, then redraw the prompt below it: fish has no message
# area, and redraws relative to where it left the cursor. `down`: lines from there to the line
# under the command line (0: the cursor is there already); `up`: how far fish's redraw moves
# up. Control characters are replaced so a message cannot drive the terminal.
function __cmdai_done --argument-names msg down up
    string repeat -N -n $down \n
    builtin printf '\r%s\e[K\n' (string replace -ra '[[:cntrl:]]' ' ' -- $msg)
    string repeat -N -n $up \n
    commandline -f repaint
end

# User bindings: fish_vi_key_bindings and fish_default_key_bindings erase only the preset ones,
# so Ctrl-G survives switching modes. "default" is also vi's command mode.
bind \cg cmdai_widget
bind -M insert \cg cmdai_widget
