// Two dumps composed: the main table's IPv4 routes with their device names.
//   node examples/routes-with-devices.mjs [NETNS]
import { rtnetlink } from 'netlink-rx';
import { forkJoin, map, toArray } from 'rxjs';

const client = rtnetlink({ netns: process.argv[2] });

forkJoin([client.links().pipe(toArray()), client.routes({ family: 'inet', table: 'main' }).pipe(toArray())])
  .pipe(map(([links, routes]) => {
    const names = new Map(links.map((l) => [l.ifindex, l.ifname]));
    return routes.map((r) => `${r.dst === undefined ? 'default' : `${r.dst}/${r.dstLen}`} dev ${names.get(r.oif)}`);
  }))
  .subscribe({
    next: (lines) => console.log(lines.join('\n')),
    error: (e) => { console.error(`${e.code}: ${e.message}`); process.exitCode = 1; },
    complete: () => client.close(),
  });
