/**
 * The generic netlink client against the real kernel, in a throw-away
 * namespace: families resolved by name and cached, a family dump through the
 * engine, the policy dump, and a typed error for a family this kernel lacks.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genl, type GenlClient } from '../../lib/client/genl.js';
import { GenlFamilyNotFoundError } from '../../lib/genl/family-not-found-error.js';
import { CTRL_CMD_GETFAMILY, GENL_ID_CTRL } from '../../lib/genl/genl-constants.js';
import { familyMessage } from '../../lib/genl/nlctrl.js';
import { NL_ATTR_TYPE_NUL_STRING } from '../../lib/genl/policy.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

describe.skipIf(!isRoot)('genl() on the real kernel', () => {
  let ns: Netns;
  let client: GenlClient;
  beforeAll(() => {
    ns = createNetns('genl-client');
    client = genl({ netns: ns.name });
  });
  afterAll(() => {
    client?.close();
    ns?.remove();
  });

  it('resolves a family by name, as genl ctrl get shows it', async () => {
    const nlctrl = await client.family('nlctrl');
    expect(nlctrl).toMatchObject({ id: GENL_ID_CTRL, name: 'nlctrl' });
    const shown = ns.exec('genl', 'ctrl', 'get', 'name', 'ethtool');
    const ethtool = await client.family('ethtool');
    expect(shown).toContain(`ID: 0x${ethtool.id!.toString(16)} `);
    expect(ethtool.mcastGroups?.map((g) => g.name)).toContain('monitor');
  });

  it('lists the same families as genl ctrl list', async () => {
    const names = (await lastValueFrom(client.families().pipe(toArray()))).map((f) => f.name);
    const shown = ns.exec('genl', 'ctrl', 'list').split('\n').filter((l) => l.startsWith('Name: ')).map((l) => l.slice(6));
    expect(names).toEqual(shown);
  });

  it('dumps a family command through the engine, decoded by a description', async () => {
    // nlctrl's own CTRL_CMD_GETFAMILY, as any family's dump would be asked for.
    const families = await lastValueFrom(client.dump('nlctrl', CTRL_CMD_GETFAMILY, { message: familyMessage }).pipe(toArray()));
    expect(families.some((f) => f.name === 'ethtool')).toBe(true);
    expect(families.every((f) => f.problems === undefined)).toBe(true);
  });

  it('exposes the policy the kernel applies to a family', async () => {
    const messages = await lastValueFrom(client.policy('nlctrl').pipe(toArray()));
    const policies = messages.flatMap((m) => m.policies ?? []);
    // CTRL_ATTR_FAMILY_NAME (2) is a NUL string of at most GENL_NAMSIZ - 1 bytes.
    expect(policies.find((p) => p.policy === 0 && p.attribute === 2)).toMatchObject({ type: NL_ATTR_TYPE_NUL_STRING, maxLength: 15 });
    expect(messages.flatMap((m) => m.opPolicies ?? []).some((op) => op.cmd === CTRL_CMD_GETFAMILY)).toBe(true);
  });

  it('fails a family this kernel lacks with GenlFamilyNotFoundError naming it', async () => {
    const error = await lastValueFrom(client.dump('wireguard', 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenlFamilyNotFoundError);
    expect(error).toMatchObject({ code: 'ENOENT', family: 'wireguard' });
    await expect(client.family('nl80211')).rejects.toMatchObject({ code: 'ENOENT', family: 'nl80211' });
  });
});
