/**
 * `ss -s`: iproute2's (6.1) socket summary, from the files it reads —
 * /proc/net/sockstat and sockstat6 (sockets in use, per protocol) and the
 * `Tcp:` CurrEstab counter of /proc/net/snmp — of the namespace shown.
 */
import { readProcNet } from './ss-proc-net.js';

/** The three files `ss -s` reads, as text ('' when one could not be read). */
export interface SsProcNet {
  sockstat: string;
  sockstat6: string;
  snmp: string;
}

interface Counts {
  socks: number; tcpMem: number; tcpTotal: number; tcpOrphans: number; tcpTws: number; tcp4Hashed: number;
  udp4: number; raw4: number; frag4: number; frag4Mem: number; tcp6Hashed: number; udp6: number; raw6: number;
  frag6: number; frag6Mem: number;
}

/** The numbers after every other word of `rest` (sscanf's `%*s%d%*s%d…`), as far as they read. */
function everySecond(rest: string): number[] {
  const words = rest.trim().split(/\s+/);
  const out: number[] = [];
  for (let i = 1; i < words.length; i += 2) {
    const match = /^[+-]?\d+/.exec(words[i]);
    if (!match) break;
    out.push(Number(match[0]));
  }
  return out;
}

/** get_sockstat_line(): one line of sockstat or sockstat6 into `s`. */
function sockstatLine(line: string, s: Counts): void {
  const match = /^(\S+) (.+)$/.exec(line);
  if (!match) return;
  const [, id, rest] = match;
  const n = everySecond(rest);
  const set = (keys: ReadonlyArray<keyof Counts>) => keys.forEach((key, i) => { if (n[i] !== undefined) s[key] = n[i]; });
  switch (id) {
    case 'sockets:': set(['socks']); break;
    case 'UDP:': set(['udp4']); break;
    case 'UDP6:': set(['udp6']); break;
    case 'RAW:': set(['raw4']); break;
    case 'RAW6:': set(['raw6']); break;
    case 'TCP6:': set(['tcp6Hashed']); break;
    case 'FRAG:': set(['frag4', 'frag4Mem']); break;
    case 'FRAG6:': set(['frag6', 'frag6Mem']); break;
    case 'TCP:': set(['tcp4Hashed', 'tcpOrphans', 'tcpTws', 'tcpTotal', 'tcpMem']); break;
    default: break;
  }
}

/** get_snmp_int(): a counter of /proc/net/snmp by its protocol line (`Tcp:`) and column name. */
function snmpCounter(snmp: string, proto: string, key: string): number {
  const lines = snmp.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].startsWith(proto)) continue;
    const names = lines[i].split(' ');
    const at = names.indexOf(key);
    if (at < 1 || !lines[i + 1].startsWith(proto)) return 0;
    const value = /^[+-]?\d+/.exec(lines[i + 1].split(' ')[at] ?? '');
    return value ? Number(value[0]) : 0;
  }
  return 0;
}

const column = (n: number) => String(n).padEnd(9, ' ');

/**
 * ssSummary is the text `ss -s` prints for these files.
 *
 * @example
 * ssSummary({ sockstat: 'sockets: used 6\n', sockstat6: '', snmp: '' }); // 'Total: 6\nTCP:   0 (estab 0, …'
 */
export function ssSummary(files: SsProcNet): string {
  const s: Counts = {
    socks: 0, tcpMem: 0, tcpTotal: 0, tcpOrphans: 0, tcpTws: 0, tcp4Hashed: 0, udp4: 0, raw4: 0, frag4: 0,
    frag4Mem: 0, tcp6Hashed: 0, udp6: 0, raw6: 0, frag6: 0, frag6Mem: 0,
  };
  for (const line of `${files.sockstat}${files.sockstat6}`.split('\n')) sockstatLine(line, s);
  const estab = snmpCounter(files.snmp, 'Tcp:', 'CurrEstab');
  const row = (name: string, v4: number, v6: number) => `${name}\t  ${column(v4 + v6)} ${column(v4)} ${column(v6)}\n`;
  return `Total: ${s.socks}\n`
    + `TCP:   ${s.tcpTotal + s.tcpTws} (estab ${estab}, closed ${s.tcpTotal - (s.tcp4Hashed + s.tcp6Hashed - s.tcpTws)}, `
    + `orphaned ${s.tcpOrphans}, timewait ${s.tcpTws})\n`
    + '\n'
    + 'Transport Total     IP        IPv6\n'
    + row('RAW', s.raw4, s.raw6)
    + row('UDP', s.udp4, s.udp6)
    + row('TCP', s.tcp4Hashed, s.tcp6Hashed)
    + row('INET', s.raw4 + s.udp4 + s.tcp4Hashed, s.raw6 + s.udp6 + s.tcp6Hashed)
    + row('FRAG', s.frag4, s.frag6)
    + '\n';
}

/**
 * readSsProcNet reads the files `ss -s` reads, of network namespace `netns`
 * (a name or a path; default the caller's own).
 *
 * @example
 * process.stdout.write(ssSummary(await readSsProcNet('blue')));
 */
export async function readSsProcNet(netns?: string): Promise<SsProcNet> {
  const [sockstat, sockstat6, snmp] = await readProcNet(netns, ['sockstat', 'sockstat6', 'snmp']);
  return { sockstat, sockstat6, snmp };
}
