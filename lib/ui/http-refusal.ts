/**
 * Refusals: the one place that answers a request the UI backend will not
 * serve, as a short plain-text response (or a raw HTTP response on an
 * upgrade socket) that never carries a stack, a path or a header echoed back.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { SECURITY_HEADERS } from './security-headers.js';

/**
 * refuse ends `res` with `status` and a one-line text (its status text by
 * default). Does nothing when the response is already under way.
 *
 * @example
 * refuse(res, 405, 'read-only', { allow: 'GET, HEAD' });
 */
export function refuse(res: ServerResponse, status: number, text?: string, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent || res.writableEnded) return void res.destroy();
  const body = `${text ?? STATUS_CODES[status] ?? 'refused'}\n`;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    ...headers,
  }).end(body);
}

/**
 * refuseSocket answers on a raw socket — an `upgrade` request that will not
 * become a WebSocket, or a request node:http could not parse
 * (`clientError`) — with an HTTP response, then closes the socket.
 *
 * @example
 * server.on('upgrade', (req, socket) => refuseSocket(socket, 404));
 */
export function refuseSocket(socket: Duplex, status: number, headers: Readonly<Record<string, string>> = {}): void {
  // The server took its own error listener off this socket when it emitted `upgrade`.
  if (socket.listenerCount('error') === 0) socket.on('error', () => socket.destroy());
  if (!socket.writable) return void socket.destroy();
  const body = `${STATUS_CODES[status] ?? 'refused'}\n`;
  const lines = Object.entries({
    ...SECURITY_HEADERS, ...headers,
    'content-type': 'text/plain; charset=utf-8', 'content-length': String(body.length), connection: 'close',
  }).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}\r\n${lines.join('')}\r\n${body}`);
  // A client that never reads must not keep the socket open.
  const timer = setTimeout(() => socket.destroy(), 5000).unref();
  socket.once('close', () => clearTimeout(timer));
}
