// CommonJS consumer: require() of the ES-module package (Node >= 20.19 loads ESM
// from require). Opens a socket in the given namespace and reports its port id.
const { NetlinkSocket, NetlinkError } = require('netlink-rx');
const { NETLINK_ROUTE } = require('netlink-rx/constants');

const socket = new NetlinkSocket(NETLINK_ROUTE, process.argv[2] ? { netns: process.argv[2] } : {});
console.log(JSON.stringify({
  portId: socket.portId,
  netlinkError: typeof NetlinkError === 'function' && new NetlinkError('x', 1) instanceof Error,
}));
socket.close();
