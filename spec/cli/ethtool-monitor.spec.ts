/**
 * `nlrx ethtool --monitor` beside `ethtool --monitor` in a throw-away
 * namespace: both listen, the same settings change (features of a veth, the
 * message level, coalescing and speed of a tap, channels of a multi-queue
 * veth), and both print the same — notifications named from the kernel's
 * string sets, filtered by kind and device as ethtool filters them. ethtool's
 * stdout goes through `stdbuf -oL`: a pipe would hold its lines until exit.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** A running monitor and what it has printed so far. */
interface Running {
  child: ChildProcess;
  stdout: string;
  stderr: string;
}

function start(command: string, args: readonly string[]): Running {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const running: Running = { child, stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (text: string) => { running.stdout += text; });
  child.stderr!.setEncoding('utf8').on('data', (text: string) => { running.stderr += text; });
  return running;
}

/** Waits until `done()` holds, checking every 50 ms; false after `limit` ms (the comparison then shows what differs). */
async function until(done: () => boolean, limit = 15_000): Promise<boolean> {
  for (let waited = 0; !done(); waited += 50) {
    if (waited > limit) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

async function stop(running: Running): Promise<void> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  running.child.kill('SIGTERM');
  await exited;
}

describe.skipIf(!isRoot)('nlrx ethtool --monitor beside ethtool --monitor', () => {
  let ns: Netns;
  beforeAll(() => {
    ns = createNetns('ethtool-mon');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('link', 'add', 'vq0', 'numrxqueues', '4', 'numtxqueues', '4', 'type', 'veth', 'peer', 'name', 'vq1',
      'numrxqueues', '4', 'numtxqueues', '4');
    ns.ip('tuntap', 'add', 'mode', 'tap', 'name', 'tp0');
  });
  afterAll(() => ns?.remove());

  /** Both monitors with `args`, `change()` once both listen, then their output once it is the same (or stops growing). */
  async function monitorBoth(args: readonly string[], change: () => void) {
    const theirs = start('ip', ['netns', 'exec', ns.name, 'stdbuf', '-oL', 'ethtool', '--monitor', ...args]);
    const ours = start(process.execPath, [MAIN, '-n', ns.name, 'ethtool', '--monitor', ...args]);
    try {
      await until(() => theirs.stdout.includes('listening...') && ours.stdout.includes('listening...'));
      change();
      // Every notification was sent when change() returned (the kernel multicasts before the set
      // request is answered); both may still be printing: equal twice, half a second apart.
      const same = () => theirs.stdout === ours.stdout && theirs.stderr === ours.stderr;
      await until(same);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await until(same);
    } finally {
      await Promise.all([stop(theirs), stop(ours)]);
    }
    return { theirs: { stdout: theirs.stdout, stderr: theirs.stderr }, ours: { stdout: ours.stdout, stderr: ours.stderr } };
  }

  let round = 0;
  /** Changes every kind this kernel can change here; values alternate so each round really changes them. */
  const changeAll = () => {
    round++;
    ns.exec('ethtool', '-K', 'v0', 'gro', round % 2 ? 'on' : 'off');
    ns.exec('ethtool', '-K', 'tp0', 'gso', round % 2 ? 'off' : 'on');
    ns.exec('ethtool', '-s', 'tp0', 'msglvl', round % 2 ? '0x7' : '0x5');
    ns.exec('ethtool', '-C', 'tp0', 'rx-frames', String(10 + round));
    ns.exec('ethtool', '-s', 'tp0', 'speed', round % 2 ? '1000' : '100', 'duplex', 'full', 'autoneg', 'off');
    ns.exec('ethtool', '-L', 'vq0', 'rx', round % 2 ? '2' : '3', 'tx', '2');
  };

  it.each([
    [[]], [['--all']], [['--all', '*']], [['-k']], [['-k', 'v0']], [['--show-features', 'tp0']],
    [['-s', 'tp0']], [['--change']], [['-c', 'tp0']], [['-l']], [['-g']], [['-k', 'nope0']],
  ])('ethtool --monitor %j: the same notifications in the same text', async (args) => {
    const { theirs, ours } = await monitorBoth(args, changeAll);
    expect(ours).toEqual(theirs);
    // Something beyond the banner was compared where the filter lets a change through.
    if (!args.includes('-g') && !args.includes('nope0')) expect(theirs.stdout.split('\n').length).toBeGreaterThan(3);
  });

  it.each([[['-x', 'v0']], [['-x']]])('refuses an option ethtool cannot monitor, as ethtool does: %j', (args) => {
    const theirs = spawnSync('ip', ['netns', 'exec', ns.name, 'ethtool', '--monitor', ...args], { encoding: 'utf8' });
    const ours = spawnSync(process.execPath, [MAIN, '-n', ns.name, 'ethtool', '--monitor', ...args], { encoding: 'utf8' });
    expect({ status: ours.status, stdout: ours.stdout, stderr: ours.stderr })
      .toEqual({ status: theirs.status, stdout: theirs.stdout, stderr: theirs.stderr });
  });
});
