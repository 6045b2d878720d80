# cmdai for fish: Ctrl-G turns the request typed on the command line into a shell command and
# puts it on the line, to edit or run with Enter; Alt-G explains the command on the line, below
# it. Nothing runs by itself.
#
#   cmdai init fish | source      # in ~/.config/fish/config.fish; `cmdai init fish --help`
#
# Sourcing this defines functions, binds them and adds completions for cmdai; it prints nothing
# and sets no variable.
#   cmdai_widget  the key (Ctrl-G, or `cmdai init fish --key`): the line becomes a command;
#                 `cmd  # instruction` revises cmd; on a line cmdai just placed, another command
#   cmdai_explain the explain key (Alt-G, or `cmdai init fish --explain-key`; none: unbound):
#                 what the command on the line does, part by part, and its risk, shown below
#                 the line; the line and the cursor stay as they are
#   cmdai_enter   Enter: a line that is only a comment (`# list big files`) is asked about instead
#                 of run; any other line runs
# Read at every press: CMDAI_BIN (the cmdai to run; default: the one that wrote this, then PATH).
# Every other setting is cmdai's to read, from the environment fish passes on, where CMDAI_*
# variables count whether exported or not.
# The widget protocol: `cmdai --widget [--enter] --shell fish --session ID -- LINE`, or
# `cmdai explain --widget --shell fish -- LINE` for the explain key, or the same request sent to
# the warm server's socket (by a small perl client), answer with one frame: code NUL message NUL
# line NUL history NUL. code 0: the line becomes `line` (history: what to add to fish's
# history); 6: Enter on a line that asks nothing, for fish to run; anything else keeps the line
# as typed. The message is shown under the line (for the explain key, it is the explanation).

function cmdai_widget --description 'cmdai: turn the request on the command line into a command'
    __cmdai_run key
    return 0
end

function cmdai_explain --description 'cmdai: explain the command on the command line, below it'
    set -l line (commandline | string collect)
    set -l rows (__cmdai_rows)
    if not string match -qr '\S' -- $line
        __cmdai_done $rows 'cmdai: type a command first, then press '@CMDAI_EXPLAIN_KEY_NAME@
        return 0
    end
    __cmdai_notice $rows[1] 'cmdai: explaining...'
    # Ctrl-C while waiting cancels, as in __cmdai_run.
    function __cmdai_on_sigint --on-signal SIGINT
    end
    set -l frame (__cmdai_call explain key $line | string split0)
    functions -e __cmdai_on_sigint
    set -l dropped (__cmdai_drop_keys)
    # The text, line by line.
    set -l text (string split \n -- $frame[2])
    if test -n "$dropped"; and test "$dropped" -gt 0
        set -a text 'cmdai: keys typed while cmdai worked were ignored'
    end
    __cmdai_done (math "min(0, $rows[1])") $rows[2] $text
end

function cmdai_enter --description 'cmdai: Enter asks about a "# request" line, runs any other'
    # Only a line that is nothing but a comment (`# list big files`) costs a cmdai run.
    if not commandline --paging-mode; and string match -qr -- '^\s*#' (commandline | string collect)
        __cmdai_run enter
        test $status -eq 6; or return 0
    end
    commandline -f execute
end

# Asks cmdai about the whole command line and places its command there, or says why not.
# $argv[1]: key|enter. Returns 6 when Enter was pressed on a line that asks nothing.
function __cmdai_run --argument-names trigger
    # Backslash-newlines stay in; cmdai joins continued lines itself.
    set -l line (commandline | string collect)
    set -l rows (__cmdai_rows)
    set -l below $rows[1]
    set -l above $rows[2]
    if not string match -qr '\S' -- $line
        __cmdai_done $below $above 'cmdai: type a request first, then press '@CMDAI_KEY_NAME@
        return 0
    end
    __cmdai_notice $below 'cmdai: thinking...'

    # Ctrl-C while waiting: the terminal sends SIGINT to fish and to the processes started here.
    # Any SIGINT handler stops fish from cancelling this function.
    function __cmdai_on_sigint --on-signal SIGINT
    end
    # Until the line is placed, an explanation that comes early waits for this function.
    set -g __cmdai_busy 1
    set -l frame (__cmdai_call request $trigger $line | string split0)
    set -l rc $frame[1]
    set -l msg $frame[2]
    # What follows the frame: the explanation already (=), or the writer of a later one (+).
    switch "$frame[5]"
        case '=*'
            set msg (string sub -s 2 -- $frame[5])
        case '+*'
            set -g __cmdai_later_pid (string sub -s 2 -- $frame[5])
    end
    functions -e __cmdai_on_sigint
    # A line taller than the screen (below is -1) has its notices on the top rows instead.
    set -l tall (test $below -lt 0; and echo 1)
    test -n "$tall"; or builtin printf '\r\e[K'
    if test $rc -eq 6
        # Enter on a plain command: back to where fish left the cursor, for it to run the line.
        test -n "$tall"; or builtin printf '\e[%dA' $below
        set -e __cmdai_busy
        return 6
    end

    set -l dropped (__cmdai_drop_keys)
    set -l note
    test -n "$dropped"; and test "$dropped" -gt 0
    and set note '(keys typed while cmdai worked were ignored)'
    if test $rc -eq 0; and test -n "$frame[3]"
        test -n "$frame[4]"; and __cmdai_history $frame[4]
        commandline -r -- $frame[3]
        commandline -C (string length -- $frame[3])
        # An explanation that came while this ran is shown now, as if it came with the command;
        # one still to come is shown where this line is (fish tells a signal handler the line as
        # it was when this began), with the note about keys dropped, if any.
        set -l early (__cmdai_later_take)
        if test -n "$early"
            set msg $early
        else if set -q __cmdai_later_pid[1]
            set -g __cmdai_later_rows (__cmdai_rows)
            set -g __cmdai_later_note $note
        end
    end
    set msg (string trim -- "$msg $note")
    if test -n "$msg"
        __cmdai_done (math "min(0, $below)") $above $msg
    else if test -z "$tall"
        # Back up from the notice line to where fish left the cursor, and redraw there.
        builtin printf '\e[%dA' $below
        commandline -f repaint
    end
    set -e __cmdai_busy
    # An explanation whose signal came while this ran (its handler put it off) is shown once fish
    # has drawn the new line, as one that comes later is: drawn now, it would land where the old
    # line was, and fish's redraw would wipe it. The signal comes again a moment after this ends.
    if set -q __cmdai_later_due[1]
        set -e __cmdai_later_due
        set -q __cmdai_later_pid[1]
        and command perl -e 'exit if fork; select undef, undef, undef, 0.05; kill "USR1", $ARGV[0]' \
            $fish_pid
    end
end

# The cmdai to run: CMDAI_BIN, else the cmdai that wrote this script, else `cmdai` on PATH.
# When there is none, prints why and fails.
function __cmdai_bin
    set -l installed @CMDAI_INSTALLED@
    set -l bin cmdai
    if set -q CMDAI_BIN[1]; and test -n "$CMDAI_BIN"
        set bin $CMDAI_BIN
    else if test -n "$installed" -a -x "$installed" -a ! -d "$installed"
        set bin $installed
    end
    string match -q '*/*' -- $bin; or set bin (command -s -- $bin)[1]
    if test -n "$bin" -a ! -d "$bin" -a -x "$bin"
        echo $bin
    else if set -q CMDAI_BIN[1]; and test -n "$CMDAI_BIN"
        echo "cmdai: CMDAI_BIN is not an executable: $CMDAI_BIN"
        return 1
    else if test -n "$installed"
        echo "cmdai: $installed is gone and no cmdai is on PATH; reinstall cmdai"
        return 1
    else
        echo 'cmdai: command not found on PATH'
        return 1
    end
end

# Asks cmdai about a line: $kind request|explain, $trigger key|enter, $line. A warm server is
# asked over its socket by a small perl client (fish has no sockets), which runs cmdai when no
# server answers; without perl, cmdai is run here. Prints the fields of its frame, each ended by a
# NUL: code, message, line and history (see `cmdai --widget`), then what follows a placed
# command: "=MESSAGE" (its explanation, here already), "+PID" (still being written: PID signals
# SIGUSR1 once it is in the file __cmdai_later_path names), or nothing. Code 130: Ctrl-C cancelled
# it, for which the caller has a SIGINT handler.
function __cmdai_call --argument-names kind trigger line
    __cmdai_later_stop
    # CMDAI_* settings count whether exported or not: here, for cmdai, they are.
    for name in (set --names | string match 'CMDAI_*')
        set -fx $name $$name
    end
    # For a request, what fish tells cmdai about itself: the last history entries, oldest first
    # (cmdai keeps as many as CMDAI_HISTORY says), and the names of its functions (aliases are
    # functions in fish), which run as programs on PATH do.
    set -l recent
    set -l known
    if test "$kind" = request
        set recent (builtin history search --max @CMDAI_MAX_RECENT@ --null 2>/dev/null | string split0)
        set recent $recent[-1..1]
        set known (functions --names | string collect)
    end
    set -l bin (__cmdai_bin)
    set -l found $status
    set -l cmdai
    if test $found -eq 0
        set cmdai $bin --widget --shell fish --session fish-$fish_pid
        test "$trigger" = enter; and set -a cmdai --enter
        test "$kind" = request; and set -a cmdai --known=$known --recent=$recent
        test "$kind" = explain; and set cmdai $bin explain --widget --shell fish
        set -a cmdai -- $line
    end
    if command -q perl
        # The explanation may come later for a request; the explain key waits for all it says.
        set -l later
        test "$kind" = request; and set later (__cmdai_later_path)
        command perl -e @CMDAI_PERL_CLIENT@ -- $kind $line $trigger fish-$fish_pid $PWD fish \
            $fish_pid "$later" "$known" (count $recent) $recent -- $cmdai </dev/null 2>/dev/null
        switch $status
            case 0
                return
            case 130
                builtin printf '%s\0' 130 'cmdai: cancelled' '' '' ''
                return
        end
    end
    if test $found -ne 0
        builtin printf '%s\0' 1 $bin '' '' ''
        return
    end
    __cmdai_exec $cmdai
end

# Runs cmdai ($argv: it and its arguments) and prints its frame and what follows it; when it gave
# none, a frame of its own: code 130 when stopped by Ctrl-C, else its exit status and the last
# non-empty line of its stderr.
function __cmdai_exec
    # stderr goes to a file per shell, created exclusively (>?) so a planted file or link in a
    # shared temp directory is refused rather than written through.
    set -l dir /tmp
    set -q TMPDIR[1]; and test -n "$TMPDIR"; and set dir $TMPDIR
    set -l err $dir/cmdai-widget.$fish_pid.err
    command rm -f -- $err 2>/dev/null
    if not true >?$err 2>/dev/null
        builtin printf '%s\0' 1 "cmdai: cannot create a temporary file in $dir" '' '' ''
        return
    end
    # In the sh below, cmdai is a background job, which ignores SIGINT: the trap there stops it
    # and ends with 130. A command substitution rather than a job: no job control, $last_pid is
    # left alone, and keys typed meanwhile stay unechoed until fish reads them.
    set -l script 'trap "" TSTP; p=
trap "[ -z \"\$p\" ] || { kill -TERM \"\$p\"; wait \"\$p\"; }; exit 130" INT TERM HUP
"$@" </dev/null & p=$!
wait "$p"'
    set -l frame (command sh -c $script cmdai $argv 2>>$err | string split0)
    set -l rc $pipestatus[1]
    set -l msg (string match -rv '^\s*$' <$err)[-1]
    command rm -f -- $err 2>/dev/null
    if test $rc -ne 130; and set -q frame[4]; and string match -qr '^\d+$' -- $frame[1]
        set -q frame[5]; and set frame[5] "=$frame[5]"
        builtin printf '%s\0' $frame[1..4] "$frame[5]"
    else if test $rc -eq 130
        builtin printf '%s\0' 130 'cmdai: cancelled' '' '' ''
    else
        test -n "$msg"; or set msg "cmdai: failed (exit status $rc)"
        builtin printf '%s\0' $rc $msg '' '' ''
    end
end

# The file the explanation of a placed command is written to when it comes later: one per shell.
function __cmdai_later_path
    set -l dir /tmp
    set -q TMPDIR[1]; and test -n "$TMPDIR"; and set dir $TMPDIR
    echo $dir/cmdai-later.$fish_pid
end

# The explanation of the placed command, if it has come (its file is there), taken: printed, and
# the file removed.
function __cmdai_later_take
    set -q __cmdai_later_pid[1]; or return
    set -l file (__cmdai_later_path)
    test -f $file; or return
    set -e __cmdai_later_pid
    set -l message (string split0 <$file 2>/dev/null | string replace -ra '[[:cntrl:]]' ' ')
    command rm -f -- $file
    string trim -- "$message $__cmdai_later_note"
    set -e __cmdai_later_note
end

# The explanation is there (the perl client's SIGUSR1): shown under the line, as a message is.
# While the widget still runs (fish may run this between its commands), the widget shows it.
function __cmdai_on_later --on-signal SIGUSR1
    if set -q __cmdai_busy[1]
        set -g __cmdai_later_due 1
        return
    end
    set -l message (__cmdai_later_take)
    test -n "$message"; or return
    set -l rows $__cmdai_later_rows
    set -e __cmdai_later_rows
    set -q rows[2]; or set rows (__cmdai_rows)
    if test $rows[1] -lt 0
        __cmdai_on_top $message
        return
    end
    # In place of the prompt as drawn: the message, then the prompt again under it, as when the
    # explanation comes with the command.
    test $rows[2] -gt 0; and builtin printf '\e[%dA' $rows[2]
    builtin printf '\r\e[J'
    __cmdai_done 0 $rows[2] $message
end

# The line is the user's once the command is placed: Enter, Ctrl-C or another press stops an
# explanation still being written (its writer is killed; the server stops with it).
function __cmdai_later_stop --on-event fish_preexec --on-event fish_cancel
    set -q __cmdai_later_pid[1]; or return
    command kill $__cmdai_later_pid 2>/dev/null
    set -e __cmdai_later_pid __cmdai_later_rows __cmdai_later_note
    command rm -f -- (__cmdai_later_path)
end

# Keys typed while cmdai worked were meant for the line as it was: an Enter among them would run
# a command nobody has read, a second press would ask again. They are dropped; prints how many.
function __cmdai_drop_keys
    command sh -c 's=$(stty -g) || exit 0
stty -icanon -echo min 0 time 0; n=$(dd bs=4096 2>/dev/null | wc -c); stty "$s"; echo $n' </dev/tty 2>/dev/null
end

# fish draws nothing while a binding runs: a notice under the command line, written ourselves.
# `down`: rows from where fish left the cursor to the row under the command line (-1: the line
# is taller than the screen; the notice goes on the top row). The cursor stays on the notice's
# row; __cmdai_done takes it from there (down 0).
function __cmdai_notice --argument-names down text
    if test $down -lt 0
        __cmdai_on_top $text
        return
    end
    string repeat -N -n $down \n
    builtin printf '\r%s\e[K\r' $text
end

# Lines written over the top rows of the screen, the cursor left where it was: where a line
# taller than the screen leaves no row below it. They stay until fish redraws those rows.
function __cmdai_on_top
    builtin printf '\e7'
    set -l row 0
    for line in $argv
        set row (math $row + 1)
        test $row -lt $LINES; or break
        builtin printf '\e[%d;1H\e[7m%s\e[m\e[K' $row (string sub -l (math $COLUMNS - 1) -- $line)
    end
    builtin printf '\e8'
end

# Where fish left the cursor, in screen rows: how many rows down to the row under the command line
# (-1 when the prompt and line are taller than the screen, which has no row under them), and how
# many rows up to the first row of the prompt. Rows, not lines: a long line wraps at $COLUMNS,
# after the prompt's last line on the first line.
function __cmdai_rows
    set -l width $COLUMNS
    test -n "$width" -a "$width" -gt 0 2>/dev/null; or set width 80
    # fish puts the mode prompt (vi mode's [I]), its lines joined, before the prompt's first line.
    set -l mode (fish_mode_prompt 2>/dev/null)
    set -l prompt (fish_prompt 2>/dev/null)
    set prompt[1] (string join '' -- $mode $prompt[1])
    set -l start (string length --visible -- $prompt[-1])
    set -l lines (commandline)
    set -q lines[1]; or set lines ''
    set -l cursor (commandline -C)
    set -l at (commandline -L)
    set -l total 0
    set -l row 0
    set -l offset 0
    for i in (seq (count $lines))
        set -l s 0
        test $i -eq 1; and set s $start
        set -l w (string length --visible -- $lines[$i])
        if test $i -eq $at
            set -l before (string sub -l (math "max(0, $cursor - $offset)") -- $lines[$i])
            set row (math "$total + floor(($s + "(string length --visible -- "$before")") / $width)")
        end
        set total (math "$total + max(1, ceil(($s + $w) / $width))")
        set offset (math "$offset + "(string length -- $lines[$i])" + 1")
    end
    # A cursor at the very end of a full row sits on the next one.
    set total (math "max($total, $row + 1)")
    if test (math (count $prompt) - 1 + $total) -ge $LINES
        echo -1
    else
        echo (math "$total - $row")
    end
    echo (math (count $prompt) - 1 + $row)
end

# fish keeps its history in a file; an entry appended there and merged is one Up brings back.
function __cmdai_history --argument-names text
    set -q fish_private_mode[1]; and return
    set -l name fish
    set -q fish_history; and set name $fish_history
    test -n "$name"; or return
    set -l dir ~/.local/share/fish
    set -q XDG_DATA_HOME[1]; and test -n "$XDG_DATA_HOME"; and set dir $XDG_DATA_HOME/fish
    # The file's form: `- cmd: TEXT` with backslashes doubled and newlines written as \n. Dated a
    # second back: the command run next, in the same second, must come after it, not tie.
    set -l cmd (string join \n -- $text | string replace -a -- '\\' '\\\\' | string join '\n')
    builtin printf '%s\n' "- cmd: $cmd" "  when: "(math (date +%s) - 1) >>$dir/$name"_history" 2>/dev/null
    and builtin history merge
end

# Show a message (the arguments after the first two, a line each) under the command line, then
# redraw the prompt below it: fish has no message area, and redraws relative to where it left
# the cursor. `down`: rows from there to the row under the command line (0: the cursor is there
# already; -1: the line is taller than the screen, and the message goes on the top rows); `up`:
# how far fish's redraw moves up. Control characters are replaced so a message cannot drive the
# terminal.
function __cmdai_done --argument-names down up
    set -l lines (string replace -ra '[[:cntrl:]]' ' ' -- $argv[3..-1])
    if test $down -lt 0
        __cmdai_on_top $lines
        return
    end
    string repeat -N -n $down \n
    builtin printf '\r%s\e[K\n' $lines
    string repeat -N -n $up \n
    commandline -f repaint
end

# User bindings: fish_vi_key_bindings and fish_default_key_bindings erase only the preset ones,
# so these survive switching modes. "default" is also vi's command mode. Enter is bound only
# where it runs `execute`, so another binding of Enter is left alone.
function __cmdai_bind
    test @CMDAI_BIND@ = 1; or return
    set -l explain @CMDAI_EXPLAIN_KEY@
    for mode in default insert
        bind -M $mode @CMDAI_KEY@ cmdai_widget
        set -q explain[1]; and bind -M $mode $explain cmdai_explain
        test @CMDAI_COMMENT_ENTER@ = 1; or continue
        for key in \r \n
            set -l now (bind -M $mode $key 2>/dev/null)
            if test -z "$now"; or string match -qr ' execute$' -- $now[-1]
                bind -M $mode $key cmdai_enter
            end
        end
    end
end
__cmdai_bind
functions -e __cmdai_bind

# Completion for cmdai itself, written by `cmdai init` from the flags cmdai parses with.
@CMDAI_COMPLETIONS@
