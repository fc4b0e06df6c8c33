/**
 * Service names as ss prints ports without `-n`: /etc/services (what
 * getservbyport(3) reads on a files-only system), except for ports in the
 * ephemeral range, which ss never names.
 */
import { readFileSync } from 'node:fs';

/** SsServices names ports and reads port names for one protocol table at a time. */
export interface SsServices {
  /** The name ss prints for `port` of `protocol` ('tcp', 'udp'), or the number. */
  name(port: number, protocol: string | undefined): string;
  /** The port of a service name for any of `protocols`; undefined when unknown. */
  port(name: string, protocols: readonly string[]): number | undefined;
  /** Whether `port` is in the ephemeral range (`autobound`). */
  ephemeral(port: number): boolean;
}

interface ServiceEntry {
  readonly names: readonly string[];
  readonly port: number;
  readonly protocol: string;
}

function readServices(path: string): ServiceEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const entries: ServiceEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.replace(/#.*/, '').trim().split(/\s+/);
    const match = /^(\d+)\/(\w+)$/.exec(fields[1] ?? '');
    if (!match) continue;
    entries.push({ names: [fields[0], ...fields.slice(2)], port: Number(match[1]), protocol: match[2] });
  }
  return entries;
}

/**
 * ssServices reads /etc/services and the ephemeral port range once.
 *
 * @example
 * ssServices().name(22, 'tcp'); // 'ssh'
 */
export function ssServices(files: { services?: string; portRange?: string } = {}): SsServices {
  let entries: ServiceEntry[] | undefined;
  let range: [number, number] | undefined;
  const all = () => (entries ??= readServices(files.services ?? '/etc/services'));
  const ephemeral = (port: number) => {
    if (range === undefined) {
      // ss falls back to 1024–4999 when the range cannot be read.
      let parsed: number[] = [];
      try {
        parsed = readFileSync(files.portRange ?? '/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
      } catch { /* the fallback */ }
      range = parsed.length === 2 && parsed.every(Number.isInteger) ? [parsed[0], parsed[1]] : [1024, 4999];
    }
    return port >= range[0] && port <= range[1];
  };
  const cache = new Map<string, string>();
  return {
    name(port, protocol) {
      if (port === 0) return '*';
      const key = `${port}/${protocol}`;
      let name = cache.get(key);
      if (name === undefined) {
        const entry = ephemeral(port) ? undefined : all().find((e) => e.port === port && (protocol === undefined || e.protocol === protocol));
        name = entry?.names[0] ?? String(port);
        cache.set(key, name);
      }
      return name;
    },
    port(name, protocols) {
      const found = protocols.map((p) => all().find((e) => e.protocol === p && e.names.includes(name))?.port);
      const known = found.filter((p): p is number => p !== undefined);
      // Two tables that name the port differently: ss calls the name ambiguous.
      if (known.length === 2 && known[0] !== known[1]) return undefined;
      return known[0];
    },
    ephemeral,
  };
}
