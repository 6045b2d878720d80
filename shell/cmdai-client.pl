# cmdai's socket client for shells without sockets (fish): sends one request to a warm
# `cmdai serve` and prints its reply as exit code, NUL, message, NUL, then the widget's stdout
# (the new line, NUL, the history text, NUL). Exits 1, printing nothing, when the server
# cannot be reached or its reply is not whole; the widget then runs cmdai instead.
#   perl cmdai-client.pl LINE TRIGGER SESSION CWD
# Only perl-base modules, so it runs wherever perl does. The protocol is src/server/protocol.ts.
use strict;
use warnings;
use IO::Socket::UNIX;

my ($line, $trigger, $session, $cwd) = @ARGV;
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
my $enter = $trigger eq "enter" ? "true" : "false";
print $sock qq({"v":1,"type":"request","reply":"widget","cwd":) . json($cwd)
  . qq(,"colour":false,"env":{) . join(",", @env) . qq(},"args":{"kind":"request",)
  . qq("request":) . json($line) . qq(,"shell":"fish","json":false,"widget":true,)
  . qq("enter":$enter,"session":) . json($session) . "}}\n" or exit 1;

local $/;
my $reply = <$sock>;
exit 1 unless defined $reply && $reply =~ /\A(\d+)\n([^\n]*)\n?(.*)\z/s;
print "$1\0$2\0$3";
