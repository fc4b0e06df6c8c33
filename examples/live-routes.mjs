// A live route table: the rows, one "synced", then every change.
//   node examples/live-routes.mjs [NETNS]
import { watch } from 'netlink-rx';

const routes = new Map();
const text = (r) => `${r.dst ?? 'default'}/${r.dstLen} table ${r.table}`;
let live = false;

watch('routes', { family: 'inet' }, { netns: process.argv[2] }).subscribe({
  next: (e) => {
    if (e.type === 'add' || e.type === 'change') routes.set(e.key, e.value);
    else if (e.type === 'remove') routes.delete(e.key);
    if (e.type === 'synced') {
      live = true;
      console.log(`${e.size} routes, now live`);
    } else if (e.type === 'resync') console.log(`re-read (${e.reason}): only the difference follows`);
    else if (!live) return;
    else if (e.type === 'add') console.log(`+ ${text(e.value)}`);
    else if (e.type === 'remove') console.log(`- ${text(e.old)}`);
    else if (e.type === 'change') console.log(`~ ${text(e.value)}`);
  },
  error: (e) => { console.error(`${e.code}: ${e.message}`); process.exitCode = 1; },
});
