/**
 * `ethtool DEV` (no option): a device's link settings as ethtool 6.1 prints
 * them from five replies — link modes, link info, Wake-on-LAN, debug level
 * and link state (netlink/settings.c and common.c of ethtool), byte for byte.
 */
import type {
  EthtoolBitset, EthtoolDebug, EthtoolLinkInfo, EthtoolLinkModes, EthtoolLinkState, EthtoolWol,
} from '../genl/ethtool.js';

/**
 * EthtoolSettings holds the replies `ethtool DEV` asks for; a reply the
 * device does not give (EOPNOTSUPP) is absent and prints nothing.
 *
 * @example
 * const settings: EthtoolSettings = { linkState: { cmd: 6, genlVersion: 1, link: 1 } };
 */
export interface EthtoolSettings {
  linkModes?: EthtoolLinkModes;
  linkInfo?: EthtoolLinkInfo;
  wol?: EthtoolWol;
  debug?: EthtoolDebug;
  linkState?: EthtoolLinkState;
}

type ModeClass = 'real' | 'autoneg' | 'port' | 'pause' | 'fec';

/** Link mode bits that are not speeds (ethtool's link_modes[] classes); every other bit is a real mode. */
const MODE_CLASS: ReadonlyMap<number, ModeClass> = new Map([
  [6, 'autoneg'], [7, 'port'], [8, 'port'], [9, 'port'], [10, 'port'], [11, 'port'], [16, 'port'],
  [13, 'pause'], [14, 'pause'], [49, 'fec'], [50, 'fec'], [51, 'fec'], [74, 'fec'],
]);
/** Half-duplex real modes: the next mode (its full-duplex twin) follows on the same line. */
const HALF_DUPLEX: ReadonlySet<number> = new Set([0, 2, 4, 90]);
const AUTONEG_BIT = 6;
const PAUSE_BIT = 13;
const ASYM_PAUSE_BIT = 14;

const DUPLEX = ['Half', 'Full'];
const PORT: Readonly<Record<number, string>> = {
  0: 'Twisted Pair', 1: 'AUI', 2: 'MII', 3: 'FIBRE', 4: 'BNC', 5: 'Direct Attach Copper', 0xef: 'None', 0xff: 'Other',
};
const TRANSCEIVER = ['internal', 'external'];
const MASTER_SLAVE_CFG = [undefined, 'unknown', 'preferred master', 'preferred slave', 'forced master', 'forced slave'];
const MASTER_SLAVE_STATE = [undefined, 'unknown', 'master', 'slave', 'resolution error'];
const LINK_EXT_STATE = ['Autoneg', 'Link training failure', 'Logical mismatch', 'Bad signal integrity', 'No cable',
  'Cable issue', 'EEPROM issue', 'Calibration failure', 'Power budget exceeded', 'Overheat', 'Module'];
/** Substate names per ext state (ETHTOOL_LINK_EXT_SUBSTATE_*, numbered from 1). */
const LINK_EXT_SUBSTATE: Readonly<Record<number, readonly string[]>> = {
  0: ['No partner detected', 'Ack not received', 'Next page exchange failed', 'No partner detected during force mode',
    'FEC mismatch during override', 'No HCD'],
  1: ['KR frame lock not acquired', 'KR link inhibit timeout', 'KR Link partner did not set receiver ready',
    'Remote side is not ready yet'],
  2: ['PCS did not acquire block lock', 'PCS did not acquire AM lock', 'PCS did not get align_status',
    'FC FEC is not locked', 'RS FEC is not locked'],
  3: ['Large number of physical errors', 'Unsupported rate', 'Serdes reference clock lost', 'Serdes ALOS'],
  5: ['Unsupported cable', 'Cable test failure'],
  10: ['CMIS module is not in ModuleReady state'],
};
const WOL_CHARS = 'pumbagsf';
const WAKE_MAGICSECURE = 1 << 6;

/** print_enum(): the name, or `Unknown! (N)`. */
const enumLine = (label: string, names: readonly (string | undefined)[] | Readonly<Record<number, string>>, value: number) =>
  `\t${label}: ${(names as Record<number, string | undefined>)[value] ?? `Unknown! (${value})`}\n`;

/**
 * The bits of a bitset, in order: with `mask`, every bit the mask holds (a
 * verbose bitset lists exactly those); without, the bits set.
 */
function bitsOf(bitset: EthtoolBitset, mask: boolean): { index: number; name: string }[] {
  if (bitset.bits !== undefined) {
    return bitset.bits
      .filter((b) => b.index !== undefined && (mask || bitset.nomask || b.value))
      .map((b) => ({ index: b.index!, name: b.name ?? `BIT${b.index}` }));
  }
  const bytes = (mask ? bitset.mask : bitset.value) ?? new Uint8Array(0);
  const bits: { index: number; name: string }[] = [];
  for (let i = 0; i < Math.min(bitset.size ?? bytes.length * 8, bytes.length * 8); i++) {
    if (bytes[i >> 3] & (1 << (i & 7))) bits.push({ index: i, name: `BIT${i}` });
  }
  return bits;
}

const hasBit = (bitset: EthtoolBitset, mask: boolean, index: number) => bitsOf(bitset, mask).some((b) => b.index === index);

/** dump_link_modes(): the modes of one class on one line (or one per line, aligned under the label). */
function linkModes(bitset: EthtoolBitset, mask: boolean, cls: ModeClass, before: string, between: string | undefined,
  after: string, ifNone?: string): string {
  let text = `\t${before}`;
  let prev = -2;
  let first = true;
  for (const { index, name } of bitsOf(bitset, mask)) {
    if ((MODE_CLASS.get(index) ?? 'real') !== cls) continue;
    if (first) first = false;
    else if (cls === 'real' && index === prev + 1 && HALF_DUPLEX.has(prev)) text += ' ';
    else text += between !== undefined ? `\t${between}` : `\n\t${' '.repeat(before.length)}`;
    text += name;
    prev = index;
  }
  if (first && ifNone !== undefined) text += ifNone;
  return text + after;
}

function pause(bitset: EthtoolBitset, mask: boolean, label: string): string {
  const symmetric = hasBit(bitset, mask, PAUSE_BIT);
  const asym = hasBit(bitset, mask, ASYM_PAUSE_BIT);
  return `\t${label}${symmetric ? (asym ? 'Symmetric Receive-only' : 'Symmetric') : (asym ? 'Transmit-only' : 'No')}\n`;
}

function ourModes(ours: EthtoolBitset): string {
  return linkModes(ours, true, 'port', 'Supported ports: [ ', ' ', ' ]\n') +
    linkModes(ours, true, 'real', 'Supported link modes:   ', undefined, '\n', 'Not reported') +
    pause(ours, true, 'Supported pause frame use: ') +
    `\tSupports auto-negotiation: ${hasBit(ours, true, AUTONEG_BIT) ? 'Yes' : 'No'}\n` +
    linkModes(ours, true, 'fec', 'Supported FEC modes: ', ' ', '\n', 'Not reported') +
    linkModes(ours, false, 'real', 'Advertised link modes:  ', undefined, '\n', 'Not reported') +
    pause(ours, false, 'Advertised pause frame use: ') +
    `\tAdvertised auto-negotiation: ${hasBit(ours, false, AUTONEG_BIT) ? 'Yes' : 'No'}\n` +
    linkModes(ours, false, 'fec', 'Advertised FEC modes: ', ' ', '\n', 'Not reported');
}

function peerModes(peer: EthtoolBitset): string {
  return linkModes(peer, false, 'real', 'Link partner advertised link modes:  ', undefined, '\n', 'Not reported') +
    pause(peer, false, 'Link partner advertised pause frame use: ') +
    `\tLink partner advertised auto-negotiation: ${hasBit(peer, false, AUTONEG_BIT) ? 'Yes' : 'No'}\n` +
    linkModes(peer, false, 'fec', 'Link partner advertised FEC modes: ', ' ', '\n', 'Not reported');
}

function linkModesText(m: EthtoolLinkModes): string {
  let text = '';
  if (m.ours) text += ourModes(m.ours);
  if (m.peer) text += peerModes(m.peer);
  if (m.speed !== undefined) {
    const unknown = m.speed === 0 || m.speed === 0xffff || m.speed === 0xffffffff;
    text += unknown ? '\tSpeed: Unknown!\n' : `\tSpeed: ${m.speed}Mb/s\n`;
  }
  if (m.lanes !== undefined) text += `\tLanes: ${m.lanes}\n`;
  if (m.duplex !== undefined) text += enumLine('Duplex', DUPLEX, m.duplex);
  if (m.autoneg !== undefined) text += `\tAuto-negotiation: ${m.autoneg === 0 ? 'off' : 'on'}\n`;
  if (m.masterSlaveCfg !== undefined) text += enumLine('master-slave cfg', MASTER_SLAVE_CFG, m.masterSlaveCfg);
  if (m.masterSlaveState !== undefined) text += enumLine('master-slave status', MASTER_SLAVE_STATE, m.masterSlaveState);
  return text;
}

/** dump_mdix(): forced by the control, else the status, `(auto)` when the control says so. */
function mdix(status: number, control: number): string {
  if (control === 1) return '\tMDI-X: off (forced)\n';
  if (control === 2) return '\tMDI-X: on (forced)\n';
  return `\tMDI-X: ${status === 1 ? 'off' : status === 2 ? 'on' : 'Unknown'}${control === 3 ? ' (auto)' : ''}\n`;
}

function linkInfoText(i: EthtoolLinkInfo): string {
  let text = '';
  if (i.port !== undefined) text += enumLine('Port', PORT, i.port);
  if (i.phyaddr !== undefined) text += `\tPHYAD: ${i.phyaddr}\n`;
  if (i.transceiver !== undefined) text += enumLine('Transceiver', TRANSCEIVER, i.transceiver);
  if (i.tpMdix !== undefined && i.tpMdixCtrl !== undefined && i.port === 0) text += mdix(i.tpMdix, i.tpMdixCtrl);
  return text;
}

/** unparse_wolopts(): one letter per mode, `d` (disabled) for none. */
const wolLetters = (mask: number) =>
  mask === 0 ? 'd' : [...WOL_CHARS].filter((_c, i) => mask & (1 << i)).join('');

function wolText(w: EthtoolWol): string {
  let supported = 0;
  let enabled = 0;
  if (w.modes) {
    for (const { index } of bitsOf(w.modes, true)) if (index < 32) supported |= 1 << index;
    for (const { index } of bitsOf(w.modes, false)) if (index < 32) enabled |= 1 << index;
  }
  let text = `\tSupports Wake-on: ${wolLetters(supported)}\n\tWake-on: ${wolLetters(enabled)}\n`;
  if (supported & WAKE_MAGICSECURE) {
    const sopass = w.sopass?.length === 6 ? w.sopass : new Uint8Array(6);
    text += `        SecureOn password: ${[...sopass].map((b) => b.toString(16).padStart(2, '0')).join(':')}\n`;
  }
  return text;
}

function debugText(d: EthtoolDebug): string {
  if (!d.msgmask) return '';
  const set = bitsOf(d.msgmask, false);
  const mask = set.reduce((m, { index }) => (index < 32 ? (m | (1 << index)) >>> 0 : m), 0);
  return `        Current message level: 0x${mask.toString(16).padStart(8, '0')} (${mask})\n` +
    `                              ${set.map((b) => ` ${b.name}`).join('')}\n`;
}

function linkStateText(s: EthtoolLinkState): string {
  let text = '';
  if (s.link !== undefined) {
    text += `\tLink detected: ${s.link ? 'yes' : 'no'}`;
    if (s.extState !== undefined) {
      text += ` (${LINK_EXT_STATE[s.extState] ?? s.extState}`;
      if (s.extSubstate !== undefined) text += `, ${LINK_EXT_SUBSTATE[s.extState]?.[s.extSubstate - 1] ?? s.extSubstate}`;
      text += ')';
    }
    text += '\n';
  }
  if (s.sqi !== undefined) text += `\tSQI: ${s.sqi}${s.sqiMax !== undefined ? `/${s.sqiMax}` : ''}\n`;
  if (s.extDownCnt !== undefined) text += `\tLink Down Events: ${s.extDownCnt}\n`;
  return text;
}

/**
 * settingsText formats what `ethtool DEV` prints: `Settings for DEV:` and
 * the lines of each reply present, or undefined when no reply printed
 * anything (ethtool then says "No data available" and exits 75).
 *
 * @example
 * settingsText('v0', { linkState: { cmd: 6, genlVersion: 1, link: 1 } }); // 'Settings for v0:\n\tLink detected: yes\n'
 */
export function settingsText(device: string, settings: EthtoolSettings): string | undefined {
  const wol = settings.wol ? wolText(settings.wol) : '';
  const body = (settings.linkModes ? linkModesText(settings.linkModes) : '') +
    (settings.linkInfo ? linkInfoText(settings.linkInfo) : '') + wol +
    (settings.debug ? debugText(settings.debug) : '') + (settings.linkState ? linkStateText(settings.linkState) : '');
  return body === '' ? undefined : `Settings for ${device}:\n${body}`;
}
