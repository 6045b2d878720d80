# cmdai's socket client for shells without sockets (fish): sends one request to a warm
# `cmdai serve` and prints its reply, the widget frame (code NUL message NUL line NUL history
# NUL), byte for byte. Exits 1, printing nothing, when the server cannot be reached or its reply
# is not one whole frame; the widget then runs cmdai instead.
#   perl cmdai-client.pl KIND LINE TRIGGER SESSION CWD SHELL     (KIND: request or explain)
# Only perl-base modules, so it runs wherever perl does. The protocol is src/server/protocol.ts.
use strict;
use warnings;
use IO::Socket::UNIX;

my ($kind, $line, $trigger, $session, $cwd, $shell) = @ARGV;
# Ctrl-C: gone at once; the server sees the connection close and cancels the request.
$SIG{INT} = sub { exit 130 };

# The server's directory, as cmdai finds it, and only if it is this user's and closed to others.
my $dir = ($ENV{XDG_RUNTIME_DIR} // "") ne "" ? "$ENV{XDG_RUNTIME_DIR}/cmdai"
  : ((($ENV{TMPDIR} // "") ne "" ? $ENV{TMPDIR} : "/tmp") . "/cmdai-$<");
my @st = lstat $dir;
exit 1 unless @st && -d _ && $st[4] == $< && ($st[2] & 077) == 0;
my $sock = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => "$dir/server.sock") or exit 1;

# A JSON string: quotes, backslashes and control characters escaped; other bytes as they are.
sub json {
  my $v = shift;
  $v =~ s/(["\\])/\\$1/g;
  $v =~ s/([\x00-\x1f\x7f])/sprintf("\\u%04x", ord $1)/ge;
  return qq("$v");
}

# The environment (settings, locale, the API key), as `cmdai` itself sends it.
my @env = map { json($_) . ":" . json($ENV{$_}) } sort keys %ENV;
my $args = $kind eq "explain"
  ? qq({"kind":"explain","command":) . json($line) . qq(,"shell":) . json($shell)
    . qq(,"json":false,"widget":true})
  : qq({"kind":"request","request":) . json($line) . qq(,"shell":) . json($shell)
    . qq(,"json":false,"widget":true,"enter":) . ($trigger eq "enter" ? "true" : "false")
    . qq(,"session":) . json($session) . "}";
print $sock qq({"v":2,"type":"request","reply":"widget","cwd":) . json($cwd)
  . qq(,"colour":false,"env":{) . join(",", @env) . qq(},"args":$args}\n) or exit 1;

local $/;
my $reply = <$sock>;
exit 1 unless defined $reply && $reply =~ /\A\d+\0[^\0]*\0[^\0]*\0[^\0]*\0\z/;
print $reply;
