# cmdai's widget client for shells that can neither talk to a socket nor read a descriptor while
# the line editor waits (fish, bash): asks a warm `cmdai serve` over its socket, else runs cmdai,
# and prints the widget frame (code NUL message NUL line NUL history NUL) as cmdai wrote it.
#   perl cmdai-client.pl KIND LINE TRIGGER SESSION CWD SHELL NOTIFY LATER KNOWN N RECENT… -- CMDAI ARGS…
# KIND: request or explain. For a request, KNOWN: the shell's alias and function names, one a
# line; N, then N history entries, oldest first. After the frame comes one more field, ended by
# NUL: empty when
# nothing follows; `=MESSAGE` when the message that follows a placed command (its explanation)
# is already here; `+PID` when it is still being written: then this client has forked, PID goes
# on reading, writes the message to the file LATER (created anew, mode 0600) and sends SIGUSR1 to
# the shell's process NOTIFY. With LATER empty, the client waits for everything itself. Killing
# PID (or Ctrl-C) stops it, and the server, or cmdai, stops writing. Exits 1, printing nothing,
# when CMDAI is empty and no server answers; the frame is then the shell's to make.
# Only perl-base modules, so it runs wherever perl does. The protocol is src/server/protocol.ts.
use strict;
use warnings;
use IO::Socket::UNIX;
use POSIX ();

my ($kind, $line, $trigger, $session, $cwd, $shell, $notify, $later, $known, $n, @rest) = @ARGV;
my @recent = splice @rest, 0, $n;
my (undef, @cmdai) = @rest;
my $child;
# Ctrl-C: gone at once, cmdai with it; the server sees the connection close and stops.
$SIG{INT} = $SIG{TERM} = sub {
  if ($child) {
    kill "TERM", $child;
    waitpid $child, 0;
  }
  exit 130;
};

# A JSON string: quotes, backslashes and control characters escaped; other bytes as they are.
sub json {
  my $v = shift;
  $v =~ s/(["\\])/\\$1/g;
  $v =~ s/([\x00-\x1f\x7f])/sprintf("\\u%04x", ord $1)/ge;
  return qq("$v");
}

# The warm server's socket, connected; undefined when there is none to ask.
sub server {
  # The server's directory, as cmdai finds it, and only if it is this user's and closed to others.
  my $dir = ($ENV{XDG_RUNTIME_DIR} // "") ne "" ? "$ENV{XDG_RUNTIME_DIR}/cmdai"
    : ((($ENV{TMPDIR} // "") ne "" ? $ENV{TMPDIR} : "/tmp") . "/cmdai-$<");
  my @st = lstat $dir;
  return undef unless @st && -d _ && $st[4] == $< && ($st[2] & 077) == 0;
  my $sock = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => "$dir/server.sock")
    or return undef;
  # The environment (settings, locale, the API key), as `cmdai` itself sends it.
  my @env = map { json($_) . ":" . json($ENV{$_}) } sort keys %ENV;
  my $args = $kind eq "explain"
    ? qq({"kind":"explain","command":) . json($line) . qq(,"shell":) . json($shell)
      . qq(,"json":false,"widget":true})
    : qq({"kind":"request","request":) . json($line) . qq(,"shell":) . json($shell)
      . qq(,"json":false,"widget":true,"enter":) . ($trigger eq "enter" ? "true" : "false")
      . qq(,"session":) . json($session)
      . qq(,"recent":[) . join(",", map { json($_) } @recent) . "]"
      . qq(,"known":[) . join(",", map { json($_) } grep { $_ ne "" } split /\n/, $known) . "]}";
  print $sock qq({"v":2,"type":"request","reply":"widget","cwd":) . json($cwd)
    . qq(,"colour":false,"env":{) . join(",", @env) . qq(},"args":$args}\n) or return undef;
  return $sock;
}

# cmdai run with its output read here; its stderr goes to a pipe of its own, read if no frame
# comes (why it failed).
sub run {
  return (undef, undef) unless @cmdai;
  pipe(my $out_r, my $out_w) or return (undef, undef);
  pipe(my $err_r, my $err_w) or return (undef, undef);
  $child = fork // return (undef, undef);
  if ($child == 0) {
    open STDIN, "<", "/dev/null";
    open STDOUT, ">&", $out_w;
    open STDERR, ">&", $err_w;
    close $_ for $out_r, $err_r;
    exec @cmdai or POSIX::_exit(127);
  }
  close $_ for $out_w, $err_w;
  return ($out_r, $err_r);
}

# Reads from $in until $buf holds $fields NUL-ended fields; false at the end of the input.
sub fill {
  my ($in, $buf, $fields) = @_;
  while (($$buf =~ tr/\0//) < $fields) {
    my $n = sysread $in, my $chunk, 65536;
    return 0 unless $n;
    $$buf .= $chunk;
  }
  return 1;
}

my $buf = "";
my $in = server();
if ($in && !fill($in, \$buf, 4)) {
  # The server gave no frame (it leaves CMDAI_SERVER=0 to cmdai): cmdai answers.
  close $in;
  undef $in;
  $buf = "";
}
my $err;
if (!$in) {
  ($in, $err) = run();
  exit 1 unless $in;
  if (!fill($in, \$buf, 4)) {
    # No frame: cmdai failed before it could say; the last line of its stderr says why.
    waitpid $child, 0;
    my $code = $? & 127 ? 128 + ($? & 127) : $? >> 8;
    my @why = grep { /\S/ } split /\n/, do { local $/; <$err> // "" };
    my $message = @why ? $why[-1] : "cmdai: failed (exit status $code)";
    print "$code\0$message\0\0\0\0";
    exit 0;
  }
}

my ($frame, $rest) = $buf =~ /\A((?:[^\0]*\0){4})(.*)\z/s;
my ($code, undef, $placed) = split /\0/, $frame, -1;
$| = 1;
if ($code ne "0" || $placed eq "" || $rest =~ /\0/ || $later eq "") {
  # Nothing more to come, or it is here, or the shell waits for it: everything at once.
  fill($in, \$rest, 1) if $code eq "0" && $placed ne "";
  my ($message) = $rest =~ /\A([^\0]*)\0/;
  print $frame, (defined $message ? "=$message" : ""), "\0";
  exit 0;
}

# The command is placed now; its explanation follows. The shell gets the frame and goes on; a
# child of this client waits for the rest, and tells the shell when it is there.
my $reader = fork // do { print $frame, "\0"; exit 0 };
if ($reader) {
  print $frame, "+$reader\0";
  POSIX::_exit(0);
}
# Nothing of the shell's is held: it waits for this client's output to end.
open STDOUT, ">", "/dev/null";
open STDERR, ">", "/dev/null";
exit 0 unless fill($in, \$rest, 1);
my ($message) = $rest =~ /\A([^\0]*)\0/;
unlink $later;
sysopen(my $file, $later, POSIX::O_WRONLY() | POSIX::O_CREAT() | POSIX::O_EXCL(), 0600) or exit 0;
print $file "$message\0";
close $file;
kill "USR1", $notify if $notify =~ /^\d+$/;
