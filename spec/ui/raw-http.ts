/**
 * Raw HTTP over a loopback TCP socket, for specs that must send what no
 * HTTP client would (bad request lines, a forged Host, no Host at all) and
 * read what comes back, bounded in time.
 */
import { connect } from 'node:net';

export interface RawResponse {
  /** The status code of the first response line; 0 when the server closed without one. */
  readonly status: number;
  /** Everything the server sent, as latin1 text. */
  readonly text: string;
  /** The header block (lower-cased names), of the first response. */
  readonly headers: ReadonlyMap<string, string>;
}

/**
 * rawRequest writes `bytes` to host:port and collects the reply until the
 * server closes, the first response's head has arrived and `ms` of silence
 * passed, or `ms` in all; it never rejects on a reset.
 */
export function rawRequest(port: number, bytes: string | Buffer, options: { host?: string; ms?: number } = {}): Promise<RawResponse> {
  const ms = options.ms ?? 2000;
  return new Promise((resolve) => {
    const socket = connect({ port, host: options.host ?? '127.0.0.1' });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const headers = new Map<string, string>();
      const head = text.split('\r\n\r\n')[0];
      for (const line of head.split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
      }
      resolve({ status: status === null ? 0 : Number(status[1]), text, headers });
    };
    const timer = setTimeout(finish, ms);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      // A streaming (SSE) or upgraded reply never ends by itself: its head is enough.
      if (Buffer.concat(chunks).includes('\r\n\r\n')) setTimeout(finish, 100);
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => socket.write(bytes, () => undefined));
  });
}

/** A GET with the given headers (Host defaults to the address). */
export function rawGet(port: number, path: string, headers: Record<string, string | undefined> = {}, host = '127.0.0.1'): Promise<RawResponse> {
  const all: Record<string, string | undefined> = { host: `${host.includes(':') ? `[${host}]` : host}:${port}`, connection: 'close', ...headers };
  const lines = Object.entries(all).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return rawRequest(port, `GET ${path} HTTP/1.1\r\n${lines}\r\n`, { host });
}

/** The headers of a WebSocket handshake for `rawGet`. */
export const WS_HANDSHAKE: Record<string, string> = {
  connection: 'Upgrade',
  upgrade: 'websocket',
  'sec-websocket-version': '13',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
};
