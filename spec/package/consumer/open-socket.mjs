// ESM consumer: opens a Netlink socket through the installed package and, given a
// namespace, dumps its links with a hand-built RTM_GETLINK request.
// Prints {"names": [...], "addon": "<the netlink_rx.node this process mapped>"}.
import { readFileSync } from 'node:fs';
import { NetlinkSocket } from 'netlink-rx';
import { AttributeCursor, MessageWriter, readHeader } from 'netlink-rx/codec';
import { NETLINK_ROUTE, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLM_F_DUMP, NLM_F_REQUEST } from 'netlink-rx/constants';

// <linux/rtnetlink.h>: RTM_GETLINK; <linux/if_link.h>: IFLA_IFNAME; sizeof(struct ifinfomsg) = 16.
const RTM_GETLINK = 18;
const IFLA_IFNAME = 3;
const IFINFOMSG_SIZE = 16;

const netns = process.argv[2];
const socket = new NetlinkSocket(NETLINK_ROUTE, netns ? { netns } : {});
const names = [];
if (netns) {
  const request = new MessageWriter();
  request.begin({ type: RTM_GETLINK, flags: NLM_F_REQUEST | NLM_F_DUMP, seq: 1 });
  request.struct(IFINFOMSG_SIZE);
  socket.send(request.end());
  dump: for (;;) {
    const { data } = await socket.read();
    for (let at = 0; at < data.length;) {
      const msg = readHeader(data, at);
      if (msg.type === NLMSG_DONE) break dump;
      if (msg.type === NLMSG_ERROR) throw new Error(`RTM_GETLINK failed: errno ${-data.readInt32LE(at + NLMSG_HDRLEN)}`);
      const attrs = new AttributeCursor(data, at + NLMSG_HDRLEN + IFINFOMSG_SIZE, at + msg.length);
      while (attrs.next()) if (attrs.type === IFLA_IFNAME) names.push(attrs.string());
      at += (msg.length + 3) & ~3;
    }
  }
}
socket.close();
const addon = readFileSync('/proc/self/maps', 'utf8').split('\n')
  .map((line) => line.slice(line.indexOf('/')))
  .find((path) => path.endsWith('.node'));
console.log(JSON.stringify({ names: names.sort(), addon }));
