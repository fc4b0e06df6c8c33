// A consistent snapshot of the IPv6 routes: dump() with its raw messages, retried
// whole (up to 3 times) if the kernel says the table changed during the dump.
//   node examples/ipv6-snapshot.mjs [NETNS]
import { dump, snapshot } from 'netlink-rx';
import { NETLINK_ROUTE, RTM_GETROUTE, AF_INET6 } from 'netlink-rx/constants';

const rtmsg = new Uint8Array(12); // struct rtmsg
rtmsg[0] = AF_INET6;
dump({ protocol: NETLINK_ROUTE, type: RTM_GETROUTE, payload: rtmsg }, { netns: process.argv[2] })
  .pipe(snapshot(3))
  .subscribe({
    next: (messages) => console.log(`${messages.length} IPv6 routes`),
    error: (e) => { console.error(`${e.code}: ${e.message}`); process.exitCode = 1; },
  });
