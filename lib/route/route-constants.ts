/**
 * Route constants from <linux/rtnetlink.h>, named as the kernel names them:
 * route types (RTN_*), protocols (RTPROT_*), scopes (RT_SCOPE_*), reserved
 * tables (RT_TABLE_*), rtm_flags (RTM_F_*), next-hop flags (RTNH_F_*),
 * attribute types (RTA_*) and metrics (RTAX_*).
 */

/** sizeof(struct rtmsg): family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), flags (u32). */
export const RTMSG_SIZE = 12;

// enum { RTN_UNSPEC, RTN_UNICAST, … } — rtm_type.
export const RTN_UNSPEC = 0;
export const RTN_UNICAST = 1;
export const RTN_LOCAL = 2;
export const RTN_BROADCAST = 3;
export const RTN_ANYCAST = 4;
export const RTN_MULTICAST = 5;
export const RTN_BLACKHOLE = 6;
export const RTN_UNREACHABLE = 7;
export const RTN_PROHIBIT = 8;
export const RTN_THROW = 9;
export const RTN_NAT = 10;
export const RTN_XRESOLVE = 11;

// rtm_protocol.
export const RTPROT_UNSPEC = 0;
export const RTPROT_REDIRECT = 1;
export const RTPROT_KERNEL = 2;
export const RTPROT_BOOT = 3;
export const RTPROT_STATIC = 4;
export const RTPROT_GATED = 8;
export const RTPROT_RA = 9;
export const RTPROT_MRT = 10;
export const RTPROT_ZEBRA = 11;
export const RTPROT_BIRD = 12;
export const RTPROT_DNROUTED = 13;
export const RTPROT_XORP = 14;
export const RTPROT_NTK = 15;
export const RTPROT_DHCP = 16;
export const RTPROT_MROUTED = 17;
export const RTPROT_KEEPALIVED = 18;
export const RTPROT_BABEL = 42;
export const RTPROT_OPENR = 99;
export const RTPROT_BGP = 186;
export const RTPROT_ISIS = 187;
export const RTPROT_OSPF = 188;
export const RTPROT_RIP = 189;
export const RTPROT_EIGRP = 192;

// enum rt_scope_t — rtm_scope.
export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_SITE = 200;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

// enum rt_class_t — reserved table ids.
export const RT_TABLE_UNSPEC = 0;
export const RT_TABLE_COMPAT = 252;
export const RT_TABLE_DEFAULT = 253;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

// rtm_flags.
export const RTM_F_NOTIFY = 0x100;
export const RTM_F_CLONED = 0x200;
export const RTM_F_EQUALIZE = 0x400;
export const RTM_F_PREFIX = 0x800;
export const RTM_F_LOOKUP_TABLE = 0x1000;
export const RTM_F_FIB_MATCH = 0x2000;
export const RTM_F_OFFLOAD = 0x4000;
export const RTM_F_TRAP = 0x8000;
export const RTM_F_OFFLOAD_FAILED = 0x20000000;

// rtnh_flags (also carried in the low byte of rtm_flags).
export const RTNH_F_DEAD = 1;
export const RTNH_F_PERVASIVE = 2;
export const RTNH_F_ONLINK = 4;
export const RTNH_F_OFFLOAD = 8;
export const RTNH_F_LINKDOWN = 16;
export const RTNH_F_UNRESOLVED = 32;
export const RTNH_F_TRAP = 64;

// enum rtattr_type_t.
export const RTA_UNSPEC = 0;
export const RTA_DST = 1;
export const RTA_SRC = 2;
export const RTA_IIF = 3;
export const RTA_OIF = 4;
export const RTA_GATEWAY = 5;
export const RTA_PRIORITY = 6;
export const RTA_PREFSRC = 7;
export const RTA_METRICS = 8;
export const RTA_MULTIPATH = 9;
export const RTA_PROTOINFO = 10;
export const RTA_FLOW = 11;
export const RTA_CACHEINFO = 12;
export const RTA_SESSION = 13;
export const RTA_MP_ALGO = 14;
export const RTA_TABLE = 15;
export const RTA_MARK = 16;
export const RTA_MFC_STATS = 17;
export const RTA_VIA = 18;
export const RTA_NEWDST = 19;
export const RTA_PREF = 20;
export const RTA_ENCAP_TYPE = 21;
export const RTA_ENCAP = 22;
export const RTA_EXPIRES = 23;
export const RTA_PAD = 24;
export const RTA_UID = 25;
export const RTA_TTL_PROPAGATE = 26;
export const RTA_IP_PROTO = 27;
export const RTA_SPORT = 28;
export const RTA_DPORT = 29;
export const RTA_NH_ID = 30;

// RTA_METRICS nests RTAX_* attributes.
export const RTAX_UNSPEC = 0;
export const RTAX_LOCK = 1;
export const RTAX_MTU = 2;
export const RTAX_WINDOW = 3;
export const RTAX_RTT = 4;
export const RTAX_RTTVAR = 5;
export const RTAX_SSTHRESH = 6;
export const RTAX_CWND = 7;
export const RTAX_ADVMSS = 8;
export const RTAX_REORDERING = 9;
export const RTAX_HOPLIMIT = 10;
export const RTAX_INITCWND = 11;
export const RTAX_FEATURES = 12;
export const RTAX_RTO_MIN = 13;
export const RTAX_INITRWND = 14;
export const RTAX_QUICKACK = 15;
export const RTAX_CC_ALGO = 16;
export const RTAX_FASTOPEN_NO_COOKIE = 17;

/** RTAX_FEATURE_ECN: the `features` metric bit for ECN. */
export const RTAX_FEATURE_ECN = 1 << 0;

// RTA_PREF values (<linux/icmpv6.h>): the router preference of an IPv6 route.
export const ICMPV6_ROUTER_PREF_LOW = 3;
export const ICMPV6_ROUTER_PREF_MEDIUM = 0;
export const ICMPV6_ROUTER_PREF_HIGH = 1;
export const ICMPV6_ROUTER_PREF_INVALID = 2;

/** sizeof(struct rtnexthop): len u16, flags u8, hops u8, ifindex s32. */
export const RTNEXTHOP_SIZE = 8;
/** sizeof(struct rta_cacheinfo): eight u32 fields. */
export const RTA_CACHEINFO_SIZE = 32;
