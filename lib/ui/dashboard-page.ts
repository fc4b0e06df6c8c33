/**
 * The dashboard `nlrx serve` sends at `/`: one self-contained HTML page, no
 * framework, that opens one EventSource per table and renders live tables of
 * links, addresses, routes and neighbours. Kept as a string in a module so
 * the TypeScript build ships it (tsc copies no other files).
 */

/**
 * dashboardPage renders the page for a namespace; the streams are read from
 * `${prefix}/<kind>`, with the page's own `?token=` passed along.
 *
 * @example
 * res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(dashboardPage({ netns: 'blue' }));
 */
export function dashboardPage(options: { netns?: string; prefix?: string } = {}): string {
  const title = `nlrx · ${options.netns ?? 'host namespace'}`;
  const config = JSON.stringify({ prefix: options.prefix ?? '/live', netns: options.netns ?? null })
    .replace(/</g, '\\u003c');
  return PAGE.split('%TITLE%').join(escapeHtml(title)).replace('%CONFIG%', () => config);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>%TITLE%</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>
body{font:13px system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{display:flex;gap:1.5em;align-items:center;padding:.6em 1em;background:#1d2330;color:#fff}
header h1{font-size:15px;margin:0}header .stat b{font-variant-numeric:tabular-nums}
#notice{background:#f5b700;color:#1d2330;padding:.2em .6em;border-radius:3px;font-weight:600}
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:1em;padding:1em}
section{background:#fff;border:1px solid #dde1e8;border-radius:4px;padding:.5em .8em;min-width:0}
section h2{font-size:14px;margin:.2em 0 .4em;display:flex;gap:1em;align-items:baseline}
section h2 small{font-weight:400;color:#5b6475}
input{font:inherit;padding:.2em .4em;width:16em}
.wrap{max-height:420px;overflow:auto;margin-top:.4em}
table{border-collapse:collapse;width:100%;font:12px ui-monospace,monospace}
th{position:sticky;top:0;background:#eef0f4;text-align:left;cursor:pointer;user-select:none;white-space:nowrap}
th,td{padding:.15em .5em;border-bottom:1px solid #eef0f4}
th.asc::after{content:" \\25B2"}th.desc::after{content:" \\25BC"}
tr.hl td{background:#fff3b0;transition:background 1.5s}
.down{color:#b42318;font-weight:600}.up{color:#067647;font-weight:600}
.state{font-size:12px;color:#aab}.more{color:#5b6475;padding:.3em}
</style></head><body>
<header><h1>%TITLE%</h1>
<span class="stat">events/s <b id="rate">0</b></span>
<span class="stat">events <b id="events">0</b></span>
<span class="state" id="conn">connecting…</span>
<span id="notice" hidden></span></header>
<main id="main"></main>
<script>
"use strict";
const CONFIG = %CONFIG%;
const TOKEN = new URLSearchParams(location.search).get("token");
const OPER = ["UNKNOWN","NOTPRESENT","DOWN","LOWERLAYERDOWN","TESTING","DORMANT","UP"];
const FAMILY = {2:"inet",10:"inet6",7:"bridge",0:"unspec"};
const SCOPE = {0:"global",200:"site",253:"link",254:"host",255:"nowhere"};
const RTN = ["unspec","unicast","local","broadcast","anycast","multicast","blackhole","unreachable","prohibit","throw","nat","xresolve"];
const TABLE = {253:"default",254:"main",255:"local"};
const PROTO = {0:"unspec",1:"redirect",2:"kernel",3:"boot",4:"static",16:"dhcp",186:"bgp",188:"ospf"};
const NUD = [[1,"INCOMPLETE"],[2,"REACHABLE"],[4,"STALE"],[8,"DELAY"],[16,"PROBE"],[32,"FAILED"],[64,"NOARP"],[128,"PERMANENT"]];
const names = new Map();
const dev = (i) => i === undefined ? "" : (names.get(i) || "if" + i);
const pfx = (a, l) => a === undefined ? "default" : a + "/" + l;
const linkState = (l) => l.operstate !== undefined && l.operstate !== 0 ? OPER[l.operstate] || String(l.operstate) : (l.flags & 1 ? "UP" : "DOWN");
const TABLES = {
  links: {title: "Links", cols: [
    ["index", (l) => l.ifindex], ["name", (l) => l.ifname || ""], ["state", linkState],
    ["admin", (l) => l.flags & 1 ? "up" : "down"], ["mtu", (l) => l.mtu], ["kind", (l) => (l.linkinfo && l.linkinfo.kind) || ""],
    ["address", (l) => l.address || ""], ["master", (l) => l.master === undefined ? "" : dev(l.master)]]},
  addresses: {title: "Addresses", cols: [
    ["dev", (a) => dev(a.ifindex)], ["family", (a) => FAMILY[a.family] || a.family], ["address", (a) => pfx(a.local || a.address, a.prefixlen)],
    ["scope", (a) => SCOPE[a.scope] ?? a.scope], ["label", (a) => a.label || ""]]},
  routes: {title: "Routes", cols: [
    ["dst", (r) => pfx(r.dst, r.dstLen)], ["gateway", (r) => r.gateway || (r.multipath ? "multipath" : "")], ["dev", (r) => dev(r.oif)],
    ["table", (r) => TABLE[r.table] || r.table], ["proto", (r) => PROTO[r.protocol] ?? r.protocol], ["scope", (r) => SCOPE[r.scope] ?? r.scope],
    ["type", (r) => RTN[r.type] || r.type], ["metric", (r) => r.priority ?? ""], ["family", (r) => FAMILY[r.family] || r.family]]},
  neighbors: {title: "Neighbours", cols: [
    ["dst", (n) => n.dst || ""], ["lladdr", (n) => n.lladdr || ""], ["dev", (n) => dev(n.ifindex)],
    ["state", (n) => NUD.filter(([b]) => n.state & b).map(([, s]) => s).join(",") || "NONE"], ["family", (n) => FAMILY[n.family] || n.family]]},
};
const MAX_ROWS = 2000, HIGHLIGHT_MS = 1500;
let events = 0, lastEvents = 0, noticeTimer = 0;
const esc = (v) => String(v ?? "").replace(/[&<>"]/g, (c) => "&#" + c.charCodeAt(0) + ";");
function notice(text) {
  const el = document.getElementById("notice");
  el.textContent = text; el.hidden = false;
  clearTimeout(noticeTimer); noticeTimer = setTimeout(() => { el.hidden = true; }, 8000);
}
function makeTable(kind) {
  const spec = TABLES[kind];
  const t = {kind, spec, rows: new Map(), changed: new Map(), sort: 0, desc: false, filter: "", dirty: false, events: 0, last: 0, synced: false};
  const sec = document.createElement("section");
  sec.innerHTML = '<h2>' + spec.title + ' <small><b id="count-' + kind + '">0</b> rows · <b id="rate-' + kind + '">0</b> events/s</small></h2>' +
    '<input type="search" placeholder="filter ' + spec.title.toLowerCase() + '" id="filter-' + kind + '">' +
    '<div class="wrap"><table id="table-' + kind + '"><thead><tr>' + spec.cols.map((c, i) => '<th data-col="' + i + '">' + c[0] + '</th>').join("") +
    '</tr></thead><tbody></tbody></table><div class="more" id="more-' + kind + '"></div></div>';
  document.getElementById("main").appendChild(sec);
  t.body = sec.querySelector("tbody");
  t.head = sec.querySelectorAll("th");
  sec.querySelector("input").addEventListener("input", (e) => { t.filter = e.target.value.toLowerCase(); schedule(t); });
  t.head.forEach((th) => th.addEventListener("click", () => {
    const col = Number(th.dataset.col);
    t.desc = t.sort === col ? !t.desc : false; t.sort = col; schedule(t);
  }));
  return t;
}
function schedule(t) {
  if (t.dirty) return;
  t.dirty = true;
  setTimeout(() => { t.dirty = false; render(t); }, 100);
}
function cmp(a, b) {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, {numeric: true});
}
function render(t) {
  const now = Date.now(), cols = t.spec.cols;
  let list = [];
  for (const [key, value] of t.rows) {
    const cells = cols.map((c) => c[1](value));
    if (t.filter && !cells.some((c) => String(c ?? "").toLowerCase().includes(t.filter))) continue;
    list.push([key, cells]);
  }
  list.sort((a, b) => cmp(a[1][t.sort] ?? "", b[1][t.sort] ?? ""));
  if (t.desc) list.reverse();
  const total = list.length;
  list = list.slice(0, MAX_ROWS);
  let html = "", pending = false;
  for (const [key, cells] of list) {
    const when = t.changed.get(key);
    const hl = when !== undefined && now - when < HIGHLIGHT_MS;
    if (hl) pending = true; else if (when !== undefined) t.changed.delete(key);
    html += '<tr data-key="' + esc(key) + '"' + (hl ? ' class="hl"' : "") + ">" +
      cells.map((c, i) => { const v = esc(c); return "<td" + (cols[i][0] === "state" ? ' class="' + (v === "DOWN" ? "down" : v === "UP" ? "up" : "") + '"' : "") + ">" + v + "</td>"; }).join("") + "</tr>";
  }
  t.body.innerHTML = html;
  t.head.forEach((th, i) => th.className = i === t.sort ? (t.desc ? "desc" : "asc") : "");
  document.getElementById("count-" + t.kind).textContent = String(t.rows.size);
  document.getElementById("more-" + t.kind).textContent = total > MAX_ROWS ? "showing " + MAX_ROWS + " of " + total + " matching rows" : (t.filter ? total + " matching" : "");
  if (pending) setTimeout(() => schedule(t), HIGHLIGHT_MS);
}
const tables = {};
let open = 0;
function connect(t) {
  const url = CONFIG.prefix + "/" + t.kind + (TOKEN ? "?token=" + encodeURIComponent(TOKEN) : "");
  const es = new EventSource(url);
  // "error" is also EventSource's own connection-error event, which has no data.
  const on = (type, fn) => es.addEventListener(type, (e) => { if (typeof e.data !== "string") return; events++; t.events++; fn(JSON.parse(e.data)); });
  const changed = (key) => { t.changed.set(key, Date.now()); schedule(t); };
  on("snapshot", (d) => {
    if (t.synced && d.reason !== "initial") notice("resynced: " + t.spec.title.toLowerCase() + " (" + d.reason + ")");
    t.rows.clear(); t.loading = true;
  });
  on("rows", (d) => { for (const r of d.rows) { t.rows.set(r.key, r.value); if (t.kind === "links") names.set(r.value.ifindex, r.value.ifname); } });
  on("synced", () => { t.synced = true; t.loading = false; schedule(t); if (t.kind === "links") for (const k in tables) schedule(tables[k]); });
  on("add", (d) => { t.rows.set(d.key, d.value); if (t.kind === "links") names.set(d.value.ifindex, d.value.ifname); changed(d.key); });
  on("change", (d) => { t.rows.set(d.key, d.value); if (t.kind === "links") names.set(d.value.ifindex, d.value.ifname); changed(d.key); });
  on("remove", (d) => { t.rows.delete(d.key); t.changed.delete(d.key); schedule(t); });
  on("resync", (d) => notice("resynced: " + t.spec.title.toLowerCase() + " (" + d.reason + ")"));
  on("error", (d) => notice("error: " + t.kind + ": " + (d.code || "") + " " + d.message));
  es.addEventListener("heartbeat", () => undefined);
  es.onopen = () => { open++; status(); };
  es.onerror = () => { if (es.readyState !== 1) { open = Math.max(0, open - 1); status(); } };
}
function status() {
  document.getElementById("conn").textContent = open === Object.keys(tables).length ? "live" : "connecting… (" + open + "/" + Object.keys(tables).length + ")";
}
for (const kind of Object.keys(TABLES)) { tables[kind] = makeTable(kind); connect(tables[kind]); }
setInterval(() => {
  document.getElementById("rate").textContent = String(events - lastEvents);
  document.getElementById("events").textContent = String(events);
  lastEvents = events;
  for (const t of Object.values(tables)) { document.getElementById("rate-" + t.kind).textContent = String(t.events - t.last); t.last = t.events; }
}, 1000);
</script></body></html>
`;
