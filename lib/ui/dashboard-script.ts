/**
 * The dashboard's script, served as its own file (`dashboard.js`) so the
 * page's Content-Security-Policy can forbid inline script altogether. It
 * reads its settings from the page's `data-config` attribute, opens one
 * stream per table (WebSocket), and renders kernel strings only through `esc()`.
 */

/**
 * DASHBOARD_SCRIPT is the text of `dashboard.js`.
 *
 * @example
 * res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(DASHBOARD_SCRIPT);
 */
export const DASHBOARD_SCRIPT = `"use strict";
// The page hands its settings over as data (CSP allows no inline script).
const CONFIG = JSON.parse(document.body.dataset.config);
const OPER = ["UNKNOWN","NOTPRESENT","DOWN","LOWERLAYERDOWN","TESTING","DORMANT","UP"];
const FAMILY = {2:"inet",10:"inet6",7:"bridge",0:"unspec"};
const SCOPE = {0:"global",200:"site",253:"link",254:"host",255:"nowhere"};
const RTN = ["unspec","unicast","local","broadcast","anycast","multicast","blackhole","unreachable","prohibit","throw","nat","xresolve"];
const TABLE = {253:"default",254:"main",255:"local"};
const PROTO = {0:"unspec",1:"redirect",2:"kernel",3:"boot",4:"static",16:"dhcp",186:"bgp",188:"ospf"};
const NUD = [[1,"INCOMPLETE"],[2,"REACHABLE"],[4,"STALE"],[8,"DELAY"],[16,"PROBE"],[32,"FAILED"],[64,"NOARP"],[128,"PERMANENT"]];
const IPPROTO = {1:"icmp",6:"tcp",17:"udp",33:"dccp",47:"gre",58:"icmpv6",132:"sctp",136:"udplite"};
const TCP_CT = ["NONE","SYN_SENT","SYN_RECV","ESTABLISHED","FIN_WAIT","CLOSE_WAIT","LAST_ACK","TIME_WAIT","CLOSE","SYN_SENT2"];
// IPS_SEEN_REPLY (2) missing is what conntrack prints as [UNREPLIED]; IPS_ASSURED is 4.
const ctStatus = (c) => [(c.status & 2) ? "" : "UNREPLIED", (c.status & 4) ? "ASSURED" : ""].filter(Boolean).join(" ");
const ctState = (c) => c.protoinfo && c.protoinfo.tcp && c.protoinfo.tcp.state !== undefined ? TCP_CT[c.protoinfo.tcp.state] || String(c.protoinfo.tcp.state) : "";
// ss's state names, by the kernel's TCP_* number (UDP and raw sockets are "UNCONN" when closed).
const SK_STATE = ["UNKNOWN","ESTAB","SYN-SENT","SYN-RECV","FIN-WAIT-1","FIN-WAIT-2","TIME-WAIT","UNCONN","CLOSE-WAIT","LAST-ACK","LISTEN","CLOSING","NEW-SYN-RECV"];
const SOCK_TYPE = {1:"u_str",2:"u_dgr",5:"u_seq"};
const skProto = (s) => s.kind === "inet" ? IPPROTO[s.protocol] || s.protocol : s.kind === "unix" ? SOCK_TYPE[s.type] || "unix" : s.kind;
const skAt = (a, p) => a === undefined ? "" : (a.includes(":") ? "[" + a + "]" : a) + ":" + (p ? p : "*");
const skLocal = (s) => s.kind === "inet" ? skAt(s.src, s.srcPort) : s.kind === "unix" ? s.name || "*" : "";
const skPeer = (s) => s.kind === "inet" ? skAt(s.dst, s.dstPort) : s.kind === "unix" && s.peer !== undefined ? "* " + s.peer : "";
const ctPort = (t, p) => !t ? "" : t[p] ?? (p === "sport" ? t.icmpId : t.icmpType) ?? "";
const names = new Map();
// Fleet rows carry their host: an ifindex names a device of that host only.
const nameKey = (h, i) => (h || "") + "/" + i;
const dev = (i, h) => i === undefined ? "" : (names.get(nameKey(h, i)) || "if" + i);
const pfx = (a, l) => a === undefined ? "default" : a + "/" + l;
const linkState = (l) => l.operstate !== undefined && l.operstate !== 0 ? OPER[l.operstate] || String(l.operstate) : (l.flags & 1 ? "UP" : "DOWN");
const TABLES = {
  links: {title: "Links", cols: [
    ["index", (l) => l.ifindex], ["name", (l) => l.ifname || ""], ["state", linkState],
    ["admin", (l) => l.flags & 1 ? "up" : "down"], ["mtu", (l) => l.mtu], ["kind", (l) => (l.linkinfo && l.linkinfo.kind) || ""],
    ["address", (l) => l.address || ""], ["master", (l) => l.master === undefined ? "" : dev(l.master, l.host)]]},
  addresses: {title: "Addresses", cols: [
    ["dev", (a) => dev(a.ifindex, a.host)], ["family", (a) => FAMILY[a.family] || a.family], ["address", (a) => pfx(a.local || a.address, a.prefixlen)],
    ["scope", (a) => SCOPE[a.scope] ?? a.scope], ["label", (a) => a.label || ""]]},
  routes: {title: "Routes", cols: [
    ["dst", (r) => pfx(r.dst, r.dstLen)], ["gateway", (r) => r.gateway || (r.multipath ? "multipath" : "")], ["dev", (r) => dev(r.oif, r.host)],
    ["table", (r) => TABLE[r.table] || r.table], ["proto", (r) => PROTO[r.protocol] ?? r.protocol], ["scope", (r) => SCOPE[r.scope] ?? r.scope],
    ["type", (r) => RTN[r.type] || r.type], ["metric", (r) => r.priority ?? ""], ["family", (r) => FAMILY[r.family] || r.family]]},
  neighbors: {title: "Neighbours", cols: [
    ["dst", (n) => n.dst || ""], ["lladdr", (n) => n.lladdr || ""], ["dev", (n) => dev(n.ifindex, n.host)],
    ["state", (n) => NUD.filter(([b]) => n.state & b).map(([, s]) => s).join(",") || "NONE"], ["family", (n) => FAMILY[n.family] || n.family]]},
  conntrack: {title: "Connections", cols: [
    ["proto", (c) => c.orig ? IPPROTO[c.orig.proto] || c.orig.proto : ""], ["src", (c) => (c.orig && c.orig.src) || ""],
    ["sport", (c) => ctPort(c.orig, "sport")], ["dst", (c) => (c.orig && c.orig.dst) || ""], ["dport", (c) => ctPort(c.orig, "dport")],
    ["tcp state", ctState], ["status", ctStatus], ["reply src", (c) => (c.reply && c.reply.src) || ""],
    ["mark", (c) => c.mark ?? 0], ["zone", (c) => c.zone ?? ""], ["family", (c) => FAMILY[c.family] || c.family]]},
  sockets: {title: "Sockets", cols: [
    ["proto", skProto], ["state", (s) => s.state === undefined ? "" : SK_STATE[s.state] || String(s.state)],
    ["local", skLocal], ["peer", skPeer], ["uid", (s) => s.uid ?? ""], ["inode", (s) => s.inode ?? ""],
    ["dev", (s) => s.kind === "inet" && s.ifindex ? dev(s.ifindex) : ""], ["cookie", (s) => s.cookie]]},
};
// A fleet dashboard (nlrx serve --nats): every table gets a host column, the header a host filter.
if (CONFIG.fleet) for (const spec of Object.values(TABLES)) spec.cols.unshift(["host", (r) => r.host || ""]);
let hostFilter = "";
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
    if (hostFilter && !String(value.host || "").toLowerCase().includes(hostFilter)) continue;
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
/**
 * A table's stream over WebSocket, with EventSource's face (addEventListener,
 * onopen, onerror, readyState) and its reconnects (after a second, with the
 * last event's id as ?lastEventId=). Six EventSources would hold every
 * HTTP/1.1 connection a browser allows one host, and the page could then not
 * even be reloaded; WebSockets have a budget of their own.
 */
function stream(path) {
  const listeners = {};
  const s = {readyState: 0, onopen: null, onerror: null, addEventListener: (type, fn) => { (listeners[type] = listeners[type] || []).push(fn); }};
  let lastId;
  const connectWs = () => {
    const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + path +
      (lastId === undefined ? "" : "?lastEventId=" + encodeURIComponent(lastId)));
    ws.onopen = () => { s.readyState = 1; if (s.onopen) s.onopen(); };
    ws.onmessage = (m) => {
      const frame = JSON.parse(m.data);
      if (frame.id !== undefined) lastId = frame.id;
      for (const fn of listeners[frame.type] || []) fn({data: JSON.stringify(frame.data)});
    };
    ws.onclose = () => { s.readyState = 0; if (s.onerror) s.onerror(); setTimeout(connectWs, 1000); };
  };
  connectWs();
  return s;
}
function connect(t) {
  // No credentials in URLs (they end up in logs): nlrx serve authenticates the streams by an HttpOnly cookie.
  const url = CONFIG.prefix + "/" + t.kind;
  const es = stream(url);
  // "error" is also EventSource's own connection-error event, which has no data.
  const on = (type, fn) => es.addEventListener(type, (e) => { if (typeof e.data !== "string") return; events++; t.events++; fn(JSON.parse(e.data)); });
  const changed = (key) => { t.changed.set(key, Date.now()); schedule(t); };
  on("snapshot", (d) => {
    if (t.synced && d.reason !== "initial") notice("resynced: " + t.spec.title.toLowerCase() + " (" + d.reason + ")");
    t.rows.clear(); t.loading = true;
  });
  on("rows", (d) => { for (const r of d.rows) { t.rows.set(r.key, r.value); if (t.kind === "links") names.set(nameKey(r.value.host, r.value.ifindex), r.value.ifname); } });
  on("synced", () => { t.synced = true; t.loading = false; schedule(t); if (t.kind === "links") for (const k in tables) schedule(tables[k]); });
  on("add", (d) => { t.rows.set(d.key, d.value); if (t.kind === "links") names.set(nameKey(d.value.host, d.value.ifindex), d.value.ifname); changed(d.key); });
  on("change", (d) => { t.rows.set(d.key, d.value); if (t.kind === "links") names.set(nameKey(d.value.host, d.value.ifindex), d.value.ifname); changed(d.key); });
  on("remove", (d) => { t.rows.delete(d.key); t.changed.delete(d.key); schedule(t); });
  // A poll (sockets every 2 s) is routine, not news.
  on("resync", (d) => { if (d.reason !== "poll") notice("resynced: " + t.spec.title.toLowerCase() + " (" + d.reason + ")"); });
  on("error", (d) => notice("error: " + t.kind + ": " + (d.code || "") + " " + d.message));
  es.addEventListener("heartbeat", () => undefined);
  es.onopen = () => { open++; status(); };
  es.onerror = () => { if (es.readyState !== 1) { open = Math.max(0, open - 1); status(); } };
}
function status() {
  document.getElementById("conn").textContent = open === Object.keys(tables).length ? "live" : "connecting… (" + open + "/" + Object.keys(tables).length + ")";
}
for (const kind of Object.keys(TABLES)) { tables[kind] = makeTable(kind); connect(tables[kind]); }
if (CONFIG.fleet) {
  const input = document.getElementById("hostfilter");
  input.hidden = false;
  input.addEventListener("input", (e) => { hostFilter = e.target.value.toLowerCase(); for (const t of Object.values(tables)) schedule(t); });
}
setInterval(() => {
  document.getElementById("rate").textContent = String(events - lastEvents);
  document.getElementById("events").textContent = String(events);
  lastEvents = events;
  for (const t of Object.values(tables)) { document.getElementById("rate-" + t.kind).textContent = String(t.events - t.last); t.last = t.events; }
}, 1000);
`;
