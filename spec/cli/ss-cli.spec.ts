/**
 * Oracle spec for `nlrx ss`: a child node process (and a perl one, for UNIX
 * datagram sockets, which Node cannot make) holds real sockets in a
 * throw-away namespace — TCP listeners on IPv4, IPv6-only and dual-stack
 * addresses, established pairs (one over an IPv4-mapped address), a
 * TIME-WAIT socket (its client closed first), bound and connected UDP,
 * UNIX stream and datagram sockets with path, abstract and no names — and
 * `nlrx -n NS ss …` must print what `ip netns exec NS ss …` prints, byte for
 * byte, with the same exit status and stderr.
 *
 * Where values move between the two runs (TIME-WAIT's timer with -e, the
 * RTT, rates and "last" times of -i), those values are masked and trailing
 * spaces dropped — a longer or shorter value pads the last column
 * differently — and the rest of each line, field names and order included,
 * must still be equal.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { startSocketHolder, type SocketHolder } from '../helpers/socket-holder.js';
import { probe, rxjsModules } from './startup-probe.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Holds the sockets until its stdin closes; prints "ready" once they are all in place. */
const FIXTURE = `
const net = require('net'), dgram = require('dgram'), { spawn } = require('child_process');
const dir = process.argv[1];
const keep = [];
const listen = (o) => new Promise((res) => { const s = net.createServer((c) => { keep.push(c); c.on('end', () => c.end()); }); keep.push(s); s.listen(o, () => res(s)); });
const connect = (o) => new Promise((res) => { const c = net.connect(o, () => res(c)); keep.push(c); });
const udp = (type, port, host) => new Promise((res) => { const u = dgram.createSocket(type); keep.push(u); u.bind(port, host, () => res(u)); });
(async () => {
  await listen({ host: '127.0.0.1', port: 5000 });
  await listen({ host: '::', port: 5001 });
  await listen({ host: '::1', port: 5002, ipv6Only: true });
  await listen({ host: '10.1.2.3', port: 5003 });
  await connect({ host: '127.0.0.1', port: 5000 });
  await connect({ host: '::1', port: 5002 });
  await connect({ host: '::ffff:127.0.0.1', port: 5001 });
  await connect({ host: '10.1.2.3', port: 5003, localAddress: '10.1.2.3' });
  // A TIME-WAIT socket: its client closes first. Made again on "tw" (one lives 60 s), with the next port.
  let port = 40000;
  const timeWait = async () => {
    const closing = net.connect({ host: '127.0.0.1', port: 5000, localPort: port++ });
    await new Promise((res) => closing.once('connect', res));
    await new Promise((res) => { closing.on('close', res); closing.end(); });
  };
  await timeWait();
  await udp('udp4', 6000, '127.0.0.1');
  const client = await udp('udp4', 0, '127.0.0.1');
  await new Promise((res) => client.connect(6000, '127.0.0.1', res));
  await udp('udp6', 6001, '::1');
  await listen({ path: dir + '/stream.sock' });
  await listen({ path: '\\0nlrx-ss-abstract' });
  await connect({ path: dir + '/stream.sock' });
  await connect({ path: '\\0nlrx-ss-abstract' });
  const perl = spawn('perl', ['-MSocket', '-e', [
    'socket(my $a, PF_UNIX, SOCK_DGRAM, 0) or die; bind($a, pack_sockaddr_un("' + dir + '/dgram.sock")) or die;',
    'socket(my $b, PF_UNIX, SOCK_DGRAM, 0) or die; connect($b, pack_sockaddr_un("' + dir + '/dgram.sock")) or die;',
    'socket(my $c, PF_UNIX, SOCK_DGRAM, 0) or die; bind($c, pack_sockaddr_un("\\\\0nlrx-ss-dgram")) or die;',
    'socket(my $d, PF_UNIX, SOCK_DGRAM, 0) or die;',
    '$| = 1; print "ready\\\\n"; <STDIN>;'].join(' ')], { stdio: ['pipe', 'pipe', 'inherit'] });
  keep.push(perl);
  await new Promise((res) => perl.stdout.once('data', res));
  process.stdout.write('ready\\n');
  process.stdin.on('data', async () => { await timeWait(); process.stdout.write('tw\\n'); });
  process.stdin.on('end', () => { perl.kill(); process.exit(0); });
})();`;

/** Forms whose output does not move between two runs: compared byte for byte. */
const EXACT: readonly string[][] = [
  ['-tan'], ['-tln'], ['-uan'], ['-xa'], ['-tanp'], ['-xap'], ['-tanm'], ['-uanm'], ['-xam'], ['-xae'], ['-tlne'],
  ['-tanH'], ['-tlnO'], ['-tlnmO'], ['-tanH4'], ['-tan', '-6'], ['-tan4'], ['-ta'], ['-tl'], ['-ua'], ['-xl'], ['-tuan'], ['-txa'],
  ['-tn', 'state', 'established'], ['-tan', 'state', 'listening'], ['-tn', 'state', 'time-wait'],
  ['-tan', 'state', 'connected'], ['-tan', 'exclude', 'established'], ['-tun', 'state', 'established', 'state', 'listening'],
  ['-tan', 'sport', '=', ':5000'], ['-tan', 'dport', 'gt', ':1024'], ['-tan', 'dport', '>', ':5001'],
  ['-tan', 'sport', '<=', ':5001'], ['-tan', 'src', '10.1.2.3'], ['-tan', 'dst', '10.0.0.0/8'],
  ['-tan', 'src', '127.0.0.1'], ['-tan', 'src', '[::1]'], ['-tan', 'dst', '[::1]:5002'],
  ['-tan', '(', 'sport', '=', ':5000', 'or', 'dport', '=', ':5000', ')'], ['-tan', 'not', 'dst', '127.0.0.1'],
  ['-tan', 'sport = :5000 or sport = :5003', 'and', 'not', 'dport', '=', ':0'], ['-tan', 'sport', '!=', ':5000'],
  ['-tan', 'src', '*:5001'], ['-tn', 'src', 'inet:127.0.0.0/8'], ['-uan', 'dst', '127.0.0.1:6000'],
  ['-xa', 'src', 'unix:*stream*'], ['-xa', 'src', '@nlrx*'], ['-tan', 'autobound'], ['-xa', 'autobound'],
  ['-tan', 'sport', '=', ':5000', 'dport', '=', ':0'], ['-ta'], ['-tan', 'fwmark', '0x0/0xff'], ['-tan', 'dev', 'lo'], ['-tan', 'not', 'dev', '1'],
];

/** The time left on a timer moves: `timer:(timewait,54sec,0)` → `timer:(timewait,T,0)`. */
const timerless = (text: string) => text.replace(/timer:\((\w+),[^,]*,/g, 'timer:($1,T,');
/** The numbers of `-i`'s second lines move (rtt, rates, last send …): keep the field names and their order. */
const infoless = (text: string) => text.replace(/^\t.*$/gm, (line) => line.replace(/\d+(\.\d+)?(e[+-]\d+)?/g, 'N'));
/** Moving values change how far the last column is padded. */
const untrailed = (text: string) => text.replace(/ +$/gm, '');

describe.skipIf(!isRoot)('nlrx ss beside ss', () => {
  let ns: Netns;
  let fixture: SocketHolder;
  let holder: ChildProcess;
  let timeWaitSince = 0;
  const ss = (...args: string[]) => spawnSync('ip', ['netns', 'exec', ns.name, 'ss', ...args], { encoding: 'utf8' });
  const nlrx = (...args: string[]) => spawnSync(process.execPath, [MAIN, '-n', ns.name, 'ss', ...args], { encoding: 'utf8' });

  beforeAll(async () => {
    ns = createNetns('ss');
    ns.ip('address', 'add', '10.1.2.3/32', 'dev', 'lo');
    fixture = await startSocketHolder(ns, 'ss', (dir) => [process.execPath, '-e', FIXTURE, dir]);
    holder = fixture.process;
    timeWaitSince = Date.now();
  }, 30_000);
  // The TIME-WAIT socket lives 60 s: it must not end between the two runs a test compares, so an old one is
  // let go (and seen gone) before a test, and a new one made.
  beforeEach(async () => {
    if (Date.now() - timeWaitSince < 40_000) return;
    for (let i = 0; i < 100 && ss('-tnH', 'state', 'time-wait').stdout !== ''; i++) await new Promise((r) => setTimeout(r, 500));
    holder.stdin?.write('tw\n');
    await new Promise<void>((resolve) => holder.stdout?.once('data', () => resolve()));
    timeWaitSince = Date.now();
  }, 90_000);
  afterAll(() => {
    fixture?.stop();
    ns?.remove();
  });

  it('has the fixture it describes', () => {
    const all = ss('-tuxan').stdout;
    for (const needle of ['TIME-WAIT', '[::ffff:127.0.0.1]:5001', '*:5001', '[::1]:5002', 'UNCONN', '@nlrx-ss-abstract', '/stream.sock',
      '/dgram.sock', '@nlrx-ss-dgram', 'u_dgr', 'u_str']) {
      expect(all).toContain(needle);
    }
  });

  it.each(EXACT.map((form) => [form.join(' '), form]))('ss %s prints what ss prints', (_, form) => {
    const theirs = ss(...form);
    const ours = nlrx(...form);
    expect(ours.stderr).toBe(theirs.stderr);
    expect(ours.status).toBe(theirs.status);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stdout.split('\n').length).toBeGreaterThan(1);
  });

  it.each([['-tane'], ['-uane'], ['-tano'], ['-tanpe'], ['-tlneO']].map((form) => [form.join(' '), form]))(
    'ss %s prints what ss prints, the time left on timers aside', (_, form) => {
      const theirs = ss(...form);
      const ours = nlrx(...form);
      expect(ours.stderr).toBe(theirs.stderr);
      expect(ours.status).toBe(theirs.status);
      expect(untrailed(timerless(ours.stdout))).toBe(untrailed(timerless(theirs.stdout)));
      expect(ours.stdout).toMatch(form[0].includes('e') ? / ino:\d+ sk:[0-9a-f]+/ : /timer:\(timewait,\d+sec,0\)/);
    });

  it.each([['-tani'], ['-tanie'], ['-tanim'], ['-tlni', '-O']].map((form) => [form.join(' '), form]))(
    'ss %s prints the fields ss prints, their moving values aside', (_, form) => {
      const theirs = ss(...form);
      const ours = nlrx(...form);
      expect(ours.status).toBe(theirs.status);
      const normal = (text: string) => untrailed(infoless(timerless(text)));
      if (form.includes('-O')) {
        const numbers = (text: string) => text.replace(/(rtt|rto|minrtt|send|pacing_rate|delivery_rate|lastsnd|lastrcv|lastack|busy|bw|mrtt):?[\d./]+/g, '$1');
        expect(untrailed(numbers(ours.stdout))).toBe(untrailed(numbers(theirs.stdout)));
      } else expect(normal(ours.stdout)).toBe(normal(theirs.stdout));
      expect(ours.stdout).toMatch(/cwnd:\d+/);
    });

  it('refuses what ss refuses, with its words and status', () => {
    for (const form of [['-tan', 'state', 'bogus'], ['-tan', 'sport', '='], ['-tan', '(', 'sport', '=', ':1'], ['-q'], ['-tan', 'sport', 'ge']]) {
      const theirs = ss(...form);
      const ours = nlrx(...form);
      expect(ours.status).toBe(theirs.status);
      expect(ours.stdout).toBe(theirs.stdout);
      // ss follows with its own usage text; nlrx with its own.
      expect(ours.stderr.split('\n')[0]).toBe(theirs.stderr.split('\n')[0]);
    }
    for (const form of [['-tan', 'sport', '=', ':nosuchport'], ['-tan', 'src', '1.2.3.4.5'], ['-tan', 'dev', 'nosuch'],
      ['-tan', 'fwmark', 'zz'], ['-tan', 'sport', '=', ':22', 'bogus']]) {
      const theirs = ss(...form);
      const ours = nlrx(...form);
      expect([ours.status, ours.stderr, ours.stdout]).toEqual([theirs.status, theirs.stderr, theirs.stdout]);
    }
  }, 120_000); // ss asks the resolver about "1.2.3.4.5" before it gives up, which takes a while in an empty namespace

  it('starts without RxJS: its dumps run with forEachDumpBatch (a fact about what it loads, not a timing)', () => {
    for (const form of [['-tan'], ['-xapm', 'src', 'unix:*'], ['-tanie', 'sport', '>', ':1']]) {
      const run = probe(['-n', ns.name, 'ss', ...form]);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('Local Address:Port');
      expect(rxjsModules(run.modules)).toEqual([]);
    }
  });

  it('-j prints one JSON object a line, owners with -p', () => {
    const out = spawnSync(process.execPath, [MAIN, '-n', ns.name, '-j', 'ss', '-tlnp'], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    const sockets = out.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(sockets.map((s) => s.srcPort).sort()).toEqual([5000, 5001, 5002, 5003]);
    for (const socket of sockets) {
      expect(socket).toMatchObject({ kind: 'inet', protocol: 6, state: 10 });
      expect(typeof socket.cookie).toBe('string');
      expect(socket.owners).toEqual([{ pid: holder.pid, command: 'node', fd: expect.any(Number) }]);
    }
  });
});
