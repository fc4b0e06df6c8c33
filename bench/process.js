/**
 * Child processes of the benchmark, run asynchronously so that a signal
 * reaches run.js's handler at once (a synchronous spawn would hold it until
 * the child ended), and tracked so that the handler can stop them.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const running = new Set();

/**
 * run starts `command` and resolves when it has exited, with its status, its
 * wall time (from spawn to exit) and, when `stdout` is 'pipe', its output
 * (`keep: false` only counts the bytes). It never rejects for a non-zero exit.
 */
export function run(command, args, { stdout = 'pipe', keep = true, timeoutMs = 0 } = {}) {
  return new Promise((resolve) => {
    const start = performance.now();
    // Its own process group, so stopAll() reaches the grandchildren too (/usr/bin/time's command).
    const child = spawn(command, args, { stdio: ['ignore', stdout, 'pipe'], detached: true });
    running.add(child);
    const chunks = [];
    let bytes = 0;
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      bytes += chunk.length;
      if (keep) chunks.push(chunk);
    });
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 65536) stderr += chunk;
    });
    const timer = timeoutMs ? setTimeout(() => kill(child), timeoutMs) : undefined;
    let spawnError;
    child.on('error', (error) => (spawnError = error));
    child.on('close', (status, signal) => {
      const ms = performance.now() - start;
      clearTimeout(timer);
      running.delete(child);
      resolve({ status, signal, ms, bytes, stdout: keep ? Buffer.concat(chunks).toString('utf8') : '', stderr, error: spawnError });
    });
  });
}

/** The line of a stderr that says what went wrong: the first naming an error, else the last. */
export function firstError(stderr) {
  const lines = stderr.trim().split('\n');
  return lines.find((l) => /error|cannot|failed/i.test(l))?.trim() ?? lines[lines.length - 1] ?? '';
}

/** runOk is `run` that rejects with the command's stderr when it fails. */
export async function runOk(command, args, options) {
  const out = await run(command, args, options);
  if (out.status !== 0) {
    const why = out.error?.message ?? (out.signal ? `killed by ${out.signal}` : `exit ${out.status}`);
    throw new Error(`${command} ${args.slice(0, 6).join(' ')}${args.length > 6 ? ' …' : ''}: ${why}: ${firstError(out.stderr)}`);
  }
  return out;
}

function kill(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** stopAll kills every child still running, with its process group (from a signal handler). */
export function stopAll() {
  for (const child of running) kill(child);
}
