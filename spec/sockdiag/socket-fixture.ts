/**
 * Real sockets in a throw-away namespace: a Node child (`ip netns exec`) that
 * opens TCP listeners (IPv4 and dual-stack IPv6), established pairs (one of
 * them IPv4-mapped), a TIME-WAIT socket, UDP sockets (bound and connected),
 * UNIX stream sockets (a path and an abstract name); a Perl child (perl is
 * part of every Debian) for what Node cannot open: UNIX datagram sockets, a
 * raw ICMP socket, a packet socket and an MPTCP listener; and a Perl child
 * running as `nobody` with one UDP socket, so a uid is not 0. Each prints
 * its ports as one JSON line, then holds its sockets until stdin closes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Netns } from '../helpers/netns.js';

export interface SocketFixture {
  /** TCP listener on 127.0.0.1, with one established client and one TIME-WAIT leftover. */
  tcp4: number;
  /** TCP listener on [::] (dual stack), with one IPv4 client (mapped) and one IPv6 client. */
  tcp6: number;
  udp4: number;
  udp6: number;
  /** UNIX stream listener path, and abstract name (as ss prints it, '@…'). */
  unixPath: string;
  unixAbstract: string;
  /** UNIX datagram path and abstract name (Perl). */
  dgramPath: string;
  dgramAbstract: string;
  /** Whether the Perl child opened its raw ICMP socket, and its packet socket (ETH_P_ALL). */
  raw: boolean;
  packet: boolean;
  /** The port of the Perl child's MPTCP listener on 127.0.0.1, 0 when the kernel has no MPTCP. */
  mptcp: number;
  /** A UDP socket on 127.0.0.1 owned by uid NOBODY. */
  nobodyUdp: number;
  close(): void;
}

const NODE_FIXTURE = String.raw`
const net = require('node:net'), dgram = require('node:dgram');
const tag = process.argv[1];
const keep = [];
const listen = (server, ...args) => new Promise((ok) => server.listen(...args, () => ok(server.address().port)));
const connect = (opts) => new Promise((ok) => { const s = net.connect(opts, () => ok(s)); keep.push(s); });
(async () => {
  const s4 = net.createServer((c) => { keep.push(c); c.on('end', () => c.end()); });
  const tcp4 = await listen(s4, 0, '127.0.0.1');
  const s6 = net.createServer((c) => keep.push(c));
  const tcp6 = await listen(s6, 0, '::');
  await connect({ port: tcp4, host: '127.0.0.1' });
  await connect({ port: tcp6, host: '127.0.0.1' });
  await connect({ port: tcp6, host: '::1' });
  // The client closes first: after both FINs it sits in TIME-WAIT.
  const tw = await connect({ port: tcp4, host: '127.0.0.1' });
  await new Promise((ok) => { tw.on('close', ok); tw.end(); });
  const u4 = dgram.createSocket('udp4'); keep.push(u4);
  await new Promise((ok) => u4.bind(0, '127.0.0.1', ok));
  const u6 = dgram.createSocket('udp6'); keep.push(u6);
  await new Promise((ok) => u6.bind(0, '::1', ok));
  const uc = dgram.createSocket('udp4'); keep.push(uc);
  await new Promise((ok) => uc.connect(u4.address().port, '127.0.0.1', ok));
  const unixPath = '/tmp/' + tag + '.sock';
  const us = net.createServer((c) => keep.push(c));
  await new Promise((ok) => us.listen(unixPath, ok));
  await connect({ path: unixPath });
  const ua = net.createServer((c) => keep.push(c));
  await new Promise((ok) => ua.listen('\0' + tag, ok));
  process.stdout.write(JSON.stringify({ tcp4, tcp6, udp4: u4.address().port, udp6: u6.address().port, unixPath,
    unixAbstract: '@' + tag }) + '\n');
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
})();
`;

const PERL_FIXTURE = String.raw`
use Socket;
my $tag = $ARGV[0];
my $path = "/tmp/$tag.dgram";
unlink $path;
socket(my $d1, AF_UNIX, SOCK_DGRAM, 0) or die "dgram: $!";
bind($d1, pack_sockaddr_un($path)) or die "bind: $!";
socket(my $d2, AF_UNIX, SOCK_DGRAM, 0) or die "dgram: $!";
bind($d2, pack_sockaddr_un("\0$tag-dgram")) or die "bind: $!";
my $raw = socket(my $r, AF_INET, SOCK_RAW, 1) ? 1 : 0;
my $packet = socket(my $pk, 17, SOCK_RAW, 0x0300) ? 1 : 0;
my $mptcp = 0;
if (socket(my $m, AF_INET, SOCK_STREAM, 262)) {
  bind($m, pack_sockaddr_in(0, inet_aton('127.0.0.1'))) or die "mptcp bind: $!";
  listen($m, 5) or die "mptcp listen: $!";
  ($mptcp) = unpack_sockaddr_in(getsockname($m));
  push @keep, $m;
}
$| = 1;
print "{\"dgramPath\":\"$path\",\"dgramAbstract\":\"\@$tag-dgram\",\"raw\":" . ($raw ? "true" : "false")
  . ",\"packet\":" . ($packet ? "true" : "false") . ",\"mptcp\":$mptcp}\n";
while (<STDIN>) {}
unlink $path;
`;

/** The uid the third child runs as (`nobody`), so that a socket's uid is not 0. */
export const NOBODY = 65534;

const NOBODY_FIXTURE = String.raw`
use Socket;
socket(my $u, AF_INET, SOCK_DGRAM, 0) or die "udp: $!";
bind($u, pack_sockaddr_in(0, inet_aton('127.0.0.1'))) or die "bind: $!";
my ($port) = unpack_sockaddr_in(getsockname($u));
$| = 1;
print "{\"nobodyUdp\":$port}\n";
while (<STDIN>) {}
`;

function firstLine(child: ChildProcess): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    lines.once('line', (line) => resolve(JSON.parse(line) as Record<string, unknown>));
    child.once('exit', (code) => reject(new Error(`fixture exited (${code}): ${stderr}`)));
  });
}

/**
 * startSocketFixture opens the fixture's sockets inside `ns`.
 *
 * @example
 * const fixture = await startSocketFixture(ns);
 * afterAll(() => fixture.close());
 */
export async function startSocketFixture(ns: Netns): Promise<SocketFixture> {
  const tag = `nlrx-${ns.name.slice(-6)}-${process.pid}`;
  const node = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', NODE_FIXTURE, tag], { stdio: ['pipe', 'pipe', 'pipe'] });
  const perl = spawn('ip', ['netns', 'exec', ns.name, 'perl', '-e', PERL_FIXTURE, tag], { stdio: ['pipe', 'pipe', 'pipe'] });
  const nobody = spawn('ip', ['netns', 'exec', ns.name, 'setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups',
    'perl', '-e', NOBODY_FIXTURE], { stdio: ['pipe', 'pipe', 'pipe'] });
  const children = [node, perl, nobody];
  const close = () => {
    for (const child of children) child.stdin!.end();
  };
  try {
    const parts = await Promise.all(children.map(firstLine));
    return Object.assign({}, ...parts, { close }) as SocketFixture;
  } catch (error) {
    for (const child of children) child.kill();
    throw error;
  }
}
