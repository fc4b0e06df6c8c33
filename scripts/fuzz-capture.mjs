#!/usr/bin/env node
/**
 * Captures the fuzz corpus: real dump replies of every rtnetlink family, read
 * from a throw-away namespace with a few links, addresses, neighbours, routes,
 * rules and nexthops. Run as root after `npm run build`:
 *
 *   node scripts/fuzz-capture.mjs   # writes spec/fuzz/corpus/<family>.json
 *
 * Each file holds the request's seq and the socket's port id (the fuzzer
 * rewrites them) and every datagram of the reply, in hex.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const { NetlinkSocket } = await import(new URL('transport/netlink-socket.js', dist));
const { encodeDumpRequest } = await import(new URL('rx/dump-request.js', dist));
const route = await import(new URL('route/index.js', dist));

const ns = `nlrx-capture-${process.pid}`;
const ip = (...args) => execFileSync('ip', ['-n', ns, ...args]);
execFileSync('ip', ['netns', 'add', ns]);
try {
  ip('link', 'set', 'lo', 'up');
  ip('link', 'add', 'c0', 'type', 'veth', 'peer', 'name', 'c1');
  ip('link', 'add', 'br0', 'type', 'bridge');
  ip('link', 'set', 'c1', 'master', 'br0');
  for (const dev of ['c0', 'c1', 'br0']) ip('link', 'set', dev, 'up');
  ip('addr', 'add', '192.0.2.1/24', 'dev', 'c0');
  ip('addr', 'add', '2001:db8::1/64', 'dev', 'c0', 'nodad');
  ip('neigh', 'add', '192.0.2.7', 'lladdr', '02:00:00:00:00:07', 'dev', 'c0');
  ip('neigh', 'add', '2001:db8::7', 'lladdr', '02:00:00:00:00:08', 'dev', 'c0');
  ip('nexthop', 'add', 'id', '1', 'via', '192.0.2.7', 'dev', 'c0');
  ip('nexthop', 'add', 'id', '2', 'via', '192.0.2.8', 'dev', 'c0');
  ip('nexthop', 'add', 'id', '10', 'group', '1/2');
  ip('route', 'add', '198.51.100.0/24', 'nhid', '10');
  ip('route', 'add', '203.0.113.0/24', 'via', '192.0.2.7', 'metric', '7', 'mtu', '1400');
  ip('route', 'add', '2001:db8:1::/64', 'via', '2001:db8::7');
  ip('rule', 'add', 'from', '192.0.2.0/24', 'table', '100', 'priority', '100');
  ip('rule', 'add', 'fwmark', '7', 'table', '101', 'priority', '101');

  const families = {
    links: route.linkRequest(), addresses: route.addressRequest(), routes: route.routeRequest(),
    neighbours: route.neighbourRequest(), rules: route.ruleRequest(), nexthops: route.nexthopRequest(),
  };
  for (const [family, request] of Object.entries(families)) {
    const socket = new NetlinkSocket(0, { netns: ns, strictCheck: true });
    const seq = 4242;
    socket.send(encodeDumpRequest(request, seq));
    const datagrams = [];
    for (let done = false; !done;) {
      const batch = await socket.read();
      let start = 0;
      for (const end of batch.ends) {
        const datagram = batch.data.subarray(start, end);
        datagrams.push(datagram.toString('hex'));
        // NLMSG_DONE (3) or NLMSG_ERROR (2) as the datagram's last message ends the reply.
        for (let at = 0; at < datagram.length;) {
          const type = datagram.readUInt16LE(at + 4);
          if (type === 2 || type === 3) done = true;
          at += (datagram.readUInt32LE(at) + 3) & ~3;
        }
        start = end;
      }
    }
    const file = new URL(`../spec/fuzz/corpus/${family}.json`, import.meta.url);
    writeFileSync(file, `${JSON.stringify({ family, requestType: request.type, seq, portId: socket.portId, datagrams }, null, 1)}\n`);
    console.log(`${family}: ${datagrams.length} datagrams`);
    socket.close();
  }
} finally {
  execFileSync('ip', ['netns', 'delete', ns]);
}
