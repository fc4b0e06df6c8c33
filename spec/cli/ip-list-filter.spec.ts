import { describe, expect, it } from 'vitest';
import {
  addressSelected, linkKept, linkSelected, parseIpListFilter, parsePrefix,
} from '../../lib/cli/ip-list-filter.js';
import { UsageError } from '../../lib/cli/cli-context.js';
import {
  IFA_F_DEPRECATED, IFA_F_PERMANENT, IFA_F_SECONDARY, IFA_F_TENTATIVE, type Address,
} from '../../lib/route/address-decode.js';
import { IFF_UP, type Link } from '../../lib/route/link-decode.js';

const links: Link[] = [
  { ifindex: 1, ifname: 'lo', flags: IFF_UP, type: 772 } as Link,
  { ifindex: 2, ifname: 'br0', flags: IFF_UP, type: 1, linkinfo: { kind: 'bridge' } } as Link,
  { ifindex: 3, ifname: 'va', flags: 0, type: 1, master: 2, group: 5, linkinfo: { kind: 'veth', slaveKind: 'bridge' } } as Link,
];
const addr = (over: Partial<Address>): Address => ({ family: 2, prefixlen: 24, flags: IFA_F_PERMANENT, scope: 0, ifindex: 3, local: '192.0.2.1', ...over });
const name = (i: number) => links.find((l) => l.ifindex === i)?.ifname ?? `if${i}`;

function failure(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('did not fail');
}

describe('ip link/address show selectors (ipaddr_list_flush_or_save)', () => {
  it('reads prefixes as get_prefix() does', () => {
    expect(parsePrefix('10/8', undefined)).toEqual({ family: 'inet', bytes: Uint8Array.from([10, 0, 0, 0]), bits: 8 });
    expect(parsePrefix('192.0.2.1', undefined).bits).toBe(32);
    expect(parsePrefix('2001:db8::/32', undefined)).toMatchObject({ family: 'inet6', bits: 32 });
    expect(parsePrefix('default', undefined)).toMatchObject({ family: undefined, bits: 0 });
    expect(failure(() => parsePrefix('foo', undefined))).toMatchObject({ message: 'Error: any valid prefix is expected rather than "foo".', exitCode: 1 });
    expect(failure(() => parsePrefix('2001:db8::1', 'inet')).message).toBe('Error: inet prefix is expected rather than "2001:db8::1".');
    expect(() => parsePrefix('10.0.0.0/33', undefined)).toThrow(UsageError);
  });

  it('reads flag words, their negations, dynamic and primary', () => {
    const f = parseIpListFilter(['dynamic', '-tentative', 'primary', 'deprecated'], undefined, links);
    expect(f.flagMask).toBe(IFA_F_PERMANENT | IFA_F_TENTATIVE | IFA_F_SECONDARY | IFA_F_DEPRECATED);
    expect(f.flags).toBe(IFA_F_DEPRECATED);
    expect(addressSelected(f, addr({ flags: IFA_F_DEPRECATED }), name)).toBe(true);
    expect(addressSelected(f, addr({ flags: IFA_F_DEPRECATED | IFA_F_PERMANENT }), name)).toBe(false);
  });

  it('selects by scope, label (fnmatch, the device name without IFA_LABEL) and prefix; `to` sets the family', () => {
    const f = parseIpListFilter(['scope', 'link', 'label', 'v?:*', 'to', '192.0.2.0/24'], undefined, links);
    expect(f.family).toBe('inet');
    expect(addressSelected(f, addr({ scope: 253, label: 'va:1' }), name)).toBe(true);
    expect(addressSelected(f, addr({ scope: 0, label: 'va:1' }), name)).toBe(false);
    expect(addressSelected(f, addr({ scope: 253 }), name)).toBe(false);
    expect(addressSelected(f, addr({ scope: 253, label: 'va:1', local: '198.51.100.1' }), name)).toBe(false);
    expect(parseIpListFilter(['scope', 'all'], undefined, links).scopeMask).toBe(0);
  });

  it('keeps links as ipaddr_filter() does: an address selected, or none at all while no family is asked', () => {
    const f = parseIpListFilter(['secondary'], undefined, links);
    expect(linkKept(f, [], name)).toBe(true);
    expect(linkKept(f, [addr({})], name)).toBe(false);
    expect(linkKept(f, [addr({ flags: IFA_F_SECONDARY | IFA_F_PERMANENT })], name)).toBe(true);
    expect(linkKept(parseIpListFilter([], 'inet6', links), [], name)).toBe(false);
  });

  it('tests links as print_linkinfo() does: up, group, master, nomaster, kind, slave kind', () => {
    const va = links[2];
    expect(linkSelected(parseIpListFilter(['up'], undefined, links), va)).toBe(false);
    expect(linkSelected(parseIpListFilter(['group', '5'], undefined, links), va)).toBe(true);
    expect(linkSelected(parseIpListFilter(['group', 'default'], undefined, links), va)).toBe(false);
    expect(linkSelected(parseIpListFilter(['master', 'br0'], undefined, links), va)).toBe(true);
    expect(linkSelected(parseIpListFilter(['nomaster'], undefined, links), va)).toBe(false);
    expect(linkSelected(parseIpListFilter(['type', 'bridge_slave'], undefined, links), va)).toBe(true);
    expect(linkSelected(parseIpListFilter(['type', 'bridge'], undefined, links), va)).toBe(false);
  });

  it("fails with ip's messages and exit codes", () => {
    expect(failure(() => parseIpListFilter(['scope', 'nope'], undefined, links))).toMatchObject({ message: 'Error: argument "nope" is wrong: invalid "scope"\n', exitCode: 255 });
    expect(failure(() => parseIpListFilter(['master', 'nope'], undefined, links)).message).toBe('Error: argument "nope" is wrong: Device does not exist\n');
    expect(failure(() => parseIpListFilter(['vrf', 'br0'], undefined, links)).message).toBe('Error: argument "br0" is wrong: Not a valid VRF name\n');
    expect(failure(() => parseIpListFilter(['va', 'vb'], undefined, links)).message).toBe('Error: either "dev" is duplicate, or "vb" is a garbage.');
    expect(failure(() => parseIpListFilter(['label'], undefined, links))).toMatchObject({ message: 'Command line is not complete. Try option "help"', exitCode: 255 });
  });
});
