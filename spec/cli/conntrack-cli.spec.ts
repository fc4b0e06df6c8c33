/**
 * Oracle spec for `nlrx conntrack`: entries made with `conntrack -I` in a
 * throw-away namespace (no traffic), listed by `nlrx -n NS conntrack …` and by
 * conntrack-tools' `conntrack …` inside the namespace; stdout must be the
 * same lines in the same order, timeouts aside (they tick between the two runs).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Replaces the timeout (the number after the protocol number) so runs a second apart compare equal. */
const untimed = (text: string) => text.replace(/^((?:ipv[46] +\d+ )?[a-z0-9]+ +\d+ )\d+ /gm, '$1T ');

const FORMS: readonly string[][] = [
  ['-L'], ['-L', '-o', 'extended'], ['-L', '-p', 'tcp'], ['-L', '-p', 'udp'], ['-L', '-p', 'icmp'],
  ['-L', '-m', '3'], ['-L', '-f', 'ipv6'], ['-L', '-f', 'ipv4'], ['-L', '-s', '10.0.1.2'], ['-L', '-d', '10.0.0.3'],
  ['-L', '-p', 'tcp', '--dport', '80'], ['-L', '-p', 'tcp', '--sport', '93'], ['-L', '-w', '3'], ['-C'], ['-S'],
];

describe.skipIf(!isRoot)('nlrx conntrack beside conntrack', () => {
  let ns: Netns;
  const conntrack = (...args: string[]) => spawnSync('ip', ['netns', 'exec', ns.name, 'conntrack', ...args], { encoding: 'utf8' });
  const nlrx = (...args: string[]) => spawnSync(process.execPath, [MAIN, '-n', ns.name, 'conntrack', ...args], { encoding: 'utf8' });

  beforeAll(() => {
    ns = createNetns('ct');
    const insert = (...args: string[]) => {
      const out = conntrack('-I', ...args);
      if (out.status !== 0) throw new Error(`conntrack -I ${args.join(' ')}: ${out.stderr}`);
    };
    for (let i = 1; i <= 5; i++) {
      insert('-p', 'tcp', '-s', `10.0.1.${i}`, '-d', '10.0.0.2', '--sport', `9${i}`, '--dport', '80', '--state', 'ESTABLISHED',
        '-t', '3000', '-u', 'SEEN_REPLY,ASSURED', '-m', String(i));
    }
    insert('-p', 'tcp', '-s', '10.0.2.1', '-d', '10.0.0.2', '--sport', '1000', '--dport', '22', '--state', 'TIME_WAIT',
      '-t', '3000', '-w', '3', '-u', 'SEEN_REPLY');
    insert('-p', 'udp', '-s', '10.0.0.1', '-d', '10.0.0.3', '--sport', '53', '--dport', '5353', '-t', '3000');
    insert('-p', 'icmp', '-s', '10.0.0.1', '-d', '10.0.0.3', '--icmp-type', '8', '--icmp-code', '0', '--icmp-id', '77', '-t', '3000');
    insert('-p', 'tcp', '-s', '2001:db8::1', '-d', '2001:db8::2', '--sport', '1', '--dport', '2', '--state', 'SYN_SENT',
      '-t', '3000', '-m', '7');
  });
  afterAll(() => ns?.remove());

  it.each(FORMS.map((form) => [form.join(' '), form]))('conntrack %s prints what conntrack prints', (_, form) => {
    const theirs = conntrack(...form);
    const ours = nlrx(...form);
    expect(ours.status).toBe(0);
    expect(theirs.status).toBe(0);
    expect(untimed(ours.stdout)).toBe(untimed(theirs.stdout));
  });

  it('lists every entry made, and -j one JSON object a line with names', () => {
    expect(nlrx('-L').stdout.trim().split('\n')).toHaveLength(9);
    const json = spawnSync(process.execPath, [MAIN, '-n', ns.name, '-j', 'conntrack', '-L', '-p', 'icmp'], { encoding: 'utf8' });
    const [entry] = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(entry).toMatchObject({ family: 'ipv4', protocol: 'icmp', original: { src: '10.0.0.1', icmpType: 8, icmpId: 77 } });
    expect(entry.status).toContain('CONFIRMED');
  });

  it('refuses a port option before its protocol, a bad family or protocol, with conntrack\'s exit status', () => {
    for (const args of [['--dport', '80', '-p', 'tcp', '-L'], ['-L', '-f', 'ipv5'], ['-L', '-p', 'nosuch']]) {
      const theirs = conntrack(...args);
      expect(theirs.status).toBe(2);
      expect(nlrx(...args).status).toBe(theirs.status);
    }
  });
});
