// A family the library does not ship, described in a few lines: the qdiscs of a namespace.
// Run it: node examples/qdiscs.mjs NETNS
import { attr, attributeSet, describeMessage, s32, string, struct, u8, u32 } from 'netlink-rx/codec';
import { dumpObjects } from 'netlink-rx';

// struct tcmsg and TCA_KIND (<linux/rtnetlink.h>); TCA_OPTIONS and the rest stay in `unknown`.
const RTM_NEWQDISC = 36, RTM_GETQDISC = 38, TCA_KIND = 1;
const tcmsg = struct('struct tcmsg', 20, { family: [0, u8], ifindex: [4, s32], handle: [8, u32], parent: [12, u32] });
const qdiscMessage = describeMessage('RTM_NEWQDISC', tcmsg, attributeSet('TCA', { kind: attr(TCA_KIND, string) }));

dumpObjects({ protocol: 0, type: RTM_GETQDISC, payload: qdiscMessage.encode({ family: 0 }) },
  (msg) => (msg.type === RTM_NEWQDISC ? qdiscMessage.decode(msg) : undefined), { netns: process.argv[2] })
  .subscribe((q) => console.log(q.ifindex, q.kind, q.handle.toString(16)));
