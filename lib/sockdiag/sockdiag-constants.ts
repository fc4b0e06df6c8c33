/**
 * sock_diag constants, named as in <linux/sock_diag.h>, <linux/inet_diag.h>,
 * <linux/unix_diag.h>, <linux/netlink_diag.h>, <linux/packet_diag.h>,
 * <linux/tcp.h>, <linux/in.h> and the kernel's <net/tcp_states.h>. The
 * address families AF_UNIX / AF_INET / AF_INET6 / AF_PACKET are route's
 * (`netlink-rx/constants` has them once); AF_NETLINK is only here.
 */

/** The message type of every sock_diag request and reply (<linux/sock_diag.h>). */
export const SOCK_DIAG_BY_FAMILY = 20;
export const SOCK_DESTROY = 21;
/** The socket family of netlink sockets (<linux/socket.h>). */
export const AF_NETLINK = 16;

// Socket types (<linux/net.h>).
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_RDM = 4;
export const SOCK_SEQPACKET = 5;

// Layer-4 protocols (<linux/in.h>).
export const IPPROTO_IP = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_SCTP = 132;
export const IPPROTO_UDPLITE = 136;
export const IPPROTO_RAW = 255;
/** Wider than inet_diag_req_v2's u8 protocol: it travels in INET_DIAG_REQ_PROTOCOL. */
export const IPPROTO_MPTCP = 262;

// TCP states (<net/tcp_states.h>): idiag_state, tcpi_state; UNIX sockets use them too.
export const TCP_ESTABLISHED = 1;
export const TCP_SYN_SENT = 2;
export const TCP_SYN_RECV = 3;
export const TCP_FIN_WAIT1 = 4;
export const TCP_FIN_WAIT2 = 5;
export const TCP_TIME_WAIT = 6;
export const TCP_CLOSE = 7;
export const TCP_CLOSE_WAIT = 8;
export const TCP_LAST_ACK = 9;
export const TCP_LISTEN = 10;
export const TCP_CLOSING = 11;
export const TCP_NEW_SYN_RECV = 12;
export const TCP_BOUND_INACTIVE = 13;
/** idiag_states with every state set: what `ss -a` asks for. */
export const TCPF_ALL = 0xffff_ffff;

// Congestion avoidance states (enum tcp_ca_state, the kernel's TCP_CA_Open …; upper-cased here): tcpi_ca_state.
export const TCP_CA_OPEN = 0;
export const TCP_CA_DISORDER = 1;
export const TCP_CA_CWR = 2;
export const TCP_CA_RECOVERY = 3;
export const TCP_CA_LOSS = 4;

// tcpi_options bits.
export const TCPI_OPT_TIMESTAMPS = 1;
export const TCPI_OPT_SACK = 2;
export const TCPI_OPT_WSCALE = 4;
export const TCPI_OPT_ECN = 8;
export const TCPI_OPT_ECN_SEEN = 16;
export const TCPI_OPT_SYN_DATA = 32;
export const TCPI_OPT_USEC_TS = 64;
export const TCPI_OPT_TFO_CHILD = 128;

// idiag_timer (what `ss -o` prints as timer:(on|keepalive|timewait|persist …)).
export const INET_DIAG_TIMER_OFF = 0;
export const INET_DIAG_TIMER_ON = 1;
export const INET_DIAG_TIMER_KEEPALIVE = 2;
export const INET_DIAG_TIMER_TIMEWAIT = 3;
export const INET_DIAG_TIMER_PERSIST = 4;

/** struct inet_diag_req_v2 and struct inet_diag_msg sizes. */
export const INET_DIAG_REQ_V2_SIZE = 56;
export const INET_DIAG_MSG_SIZE = 72;
/** idiag_cookie value meaning "no cookie" (both words). */
export const INET_DIAG_NOCOOKIE = 0xffff_ffff;

// Request attributes (enum, INET_DIAG_REQ_*).
export const INET_DIAG_REQ_NONE = 0;
export const INET_DIAG_REQ_BYTECODE = 1;
export const INET_DIAG_REQ_SK_BPF_STORAGES = 2;
export const INET_DIAG_REQ_PROTOCOL = 3;

// The bytecode's operations (INET_DIAG_BC_*) are beside their compiler, filter-bytecode.ts.

// Reply attributes (enum, INET_DIAG_*). The first eight are requested by bit (n - 1) of idiag_ext.
export const INET_DIAG_NONE = 0;
export const INET_DIAG_MEMINFO = 1;
export const INET_DIAG_INFO = 2;
export const INET_DIAG_VEGASINFO = 3;
export const INET_DIAG_CONG = 4;
export const INET_DIAG_TOS = 5;
export const INET_DIAG_TCLASS = 6;
export const INET_DIAG_SKMEMINFO = 7;
export const INET_DIAG_SHUTDOWN = 8;
/** Requested as INET_DIAG_VEGASINFO. */
export const INET_DIAG_DCTCPINFO = 9;
/** Reply only: a raw socket's own protocol. */
export const INET_DIAG_PROTOCOL = 10;
export const INET_DIAG_SKV6ONLY = 11;
export const INET_DIAG_LOCALS = 12;
export const INET_DIAG_PEERS = 13;
export const INET_DIAG_PAD = 14;
/** Only with CAP_NET_ADMIN. */
export const INET_DIAG_MARK = 15;
/** Requested as INET_DIAG_VEGASINFO. */
export const INET_DIAG_BBRINFO = 16;
/** Requested as INET_DIAG_TCLASS. */
export const INET_DIAG_CLASS_ID = 17;
export const INET_DIAG_MD5SIG = 18;
export const INET_DIAG_ULP_INFO = 19;
export const INET_DIAG_SK_BPF_STORAGES = 20;
export const INET_DIAG_CGROUP_ID = 21;
export const INET_DIAG_SOCKOPT = 22;

// INET_DIAG_ULP_INFO's nest (enum, INET_ULP_INFO_*), and its TLS part (<linux/tls.h>).
export const INET_ULP_INFO_UNSPEC = 0;
export const INET_ULP_INFO_NAME = 1;
export const INET_ULP_INFO_TLS = 2;
export const INET_ULP_INFO_MPTCP = 3;
export const TLS_INFO_VERSION = 1;
export const TLS_INFO_CIPHER = 2;
export const TLS_INFO_TXCONF = 3;
export const TLS_INFO_RXCONF = 4;
export const TLS_INFO_ZC_RO_TX = 5;
export const TLS_INFO_RX_NO_PAD = 6;

// INET_DIAG_SK_BPF_STORAGES's nest (<linux/sock_diag.h>).
export const SK_DIAG_BPF_STORAGE = 1;
export const SK_DIAG_BPF_STORAGE_PAD = 1;
export const SK_DIAG_BPF_STORAGE_MAP_ID = 2;
export const SK_DIAG_BPF_STORAGE_MAP_VALUE = 3;

// INET_DIAG_SKMEMINFO / UNIX_DIAG_MEMINFO / … : indexes of the u32 array (enum, SK_MEMINFO_*).
export const SK_MEMINFO_RMEM_ALLOC = 0;
export const SK_MEMINFO_RCVBUF = 1;
export const SK_MEMINFO_WMEM_ALLOC = 2;
export const SK_MEMINFO_SNDBUF = 3;
export const SK_MEMINFO_FWD_ALLOC = 4;
export const SK_MEMINFO_WMEM_QUEUED = 5;
export const SK_MEMINFO_OPTMEM = 6;
export const SK_MEMINFO_BACKLOG = 7;
export const SK_MEMINFO_DROPS = 8;
export const SK_MEMINFO_VARS = 9;

// Destroy notifications (enum sknetlink_groups).
export const SKNLGRP_NONE = 0;
export const SKNLGRP_INET_TCP_DESTROY = 1;
export const SKNLGRP_INET_UDP_DESTROY = 2;
export const SKNLGRP_INET6_TCP_DESTROY = 3;
export const SKNLGRP_INET6_UDP_DESTROY = 4;

// UNIX sockets (<linux/unix_diag.h>).
export const UNIX_DIAG_REQ_SIZE = 24;
export const UNIX_DIAG_MSG_SIZE = 16;
export const UDIAG_SHOW_NAME = 0x01;
export const UDIAG_SHOW_VFS = 0x02;
export const UDIAG_SHOW_PEER = 0x04;
export const UDIAG_SHOW_ICONS = 0x08;
export const UDIAG_SHOW_RQLEN = 0x10;
export const UDIAG_SHOW_MEMINFO = 0x20;
export const UDIAG_SHOW_UID = 0x40;
export const UNIX_DIAG_NAME = 0;
export const UNIX_DIAG_VFS = 1;
export const UNIX_DIAG_PEER = 2;
export const UNIX_DIAG_ICONS = 3;
export const UNIX_DIAG_RQLEN = 4;
export const UNIX_DIAG_MEMINFO = 5;
export const UNIX_DIAG_SHUTDOWN = 6;
export const UNIX_DIAG_UID = 7;

// Netlink sockets (<linux/netlink_diag.h>).
export const NETLINK_DIAG_REQ_SIZE = 20;
export const NETLINK_DIAG_MSG_SIZE = 28;
export const NDIAG_PROTO_ALL = 255;
export const NDIAG_SHOW_MEMINFO = 0x01;
export const NDIAG_SHOW_GROUPS = 0x02;
export const NDIAG_SHOW_RING_CFG = 0x04;
export const NDIAG_SHOW_FLAGS = 0x08;
export const NDIAG_FLAG_CB_RUNNING = 0x01;
export const NDIAG_FLAG_PKTINFO = 0x02;
export const NDIAG_FLAG_BROADCAST_ERROR = 0x04;
export const NDIAG_FLAG_NO_ENOBUFS = 0x08;
export const NDIAG_FLAG_LISTEN_ALL_NSID = 0x10;
export const NDIAG_FLAG_CAP_ACK = 0x20;
export const NETLINK_DIAG_MEMINFO = 0;
export const NETLINK_DIAG_GROUPS = 1;
export const NETLINK_DIAG_RX_RING = 2;
export const NETLINK_DIAG_TX_RING = 3;
export const NETLINK_DIAG_FLAGS = 4;
/** ndiag_state (<net/netlink.h>'s NETLINK_UNCONNECTED / NETLINK_CONNECTED). */
export const NETLINK_UNCONNECTED = 0;
export const NETLINK_CONNECTED = 1;

// Packet sockets (<linux/packet_diag.h>).
export const PACKET_DIAG_REQ_SIZE = 20;
export const PACKET_DIAG_MSG_SIZE = 16;
export const PACKET_SHOW_INFO = 0x01;
export const PACKET_SHOW_MCLIST = 0x02;
export const PACKET_SHOW_RING_CFG = 0x04;
export const PACKET_SHOW_FANOUT = 0x08;
export const PACKET_SHOW_MEMINFO = 0x10;
export const PACKET_SHOW_FILTER = 0x20;
export const PACKET_DIAG_INFO = 0;
export const PACKET_DIAG_MCLIST = 1;
export const PACKET_DIAG_RX_RING = 2;
export const PACKET_DIAG_TX_RING = 3;
export const PACKET_DIAG_FANOUT = 4;
export const PACKET_DIAG_UID = 5;
export const PACKET_DIAG_MEMINFO = 6;
export const PACKET_DIAG_FILTER = 7;
export const PDI_RUNNING = 0x01;
export const PDI_AUXDATA = 0x02;
export const PDI_ORIGDEV = 0x04;
export const PDI_VNETHDR = 0x08;
export const PDI_LOSS = 0x10;
