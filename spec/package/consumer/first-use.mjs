// Imports the package, then opens a socket: reports whether the import worked and
// what the first use threw. Run with --require ./fake-platform.cjs to pose as
// another platform or architecture.
const netlink = await import('netlink-rx');
const { NETLINK_ROUTE } = await import('netlink-rx/constants');
try {
  new netlink.NetlinkSocket(NETLINK_ROUTE).close();
  console.log(JSON.stringify({ imported: true, opened: true }));
} catch (error) {
  console.log(JSON.stringify({
    imported: true,
    netlinkError: error instanceof netlink.NetlinkError,
    code: error.code,
    message: error.message,
  }));
}
