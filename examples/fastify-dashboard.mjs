// The dashboard and its live streams inside a Fastify app.
//   node examples/fastify-dashboard.mjs [NETNS] [PORT]
import Fastify from 'fastify';
import { dashboard, liveStreams, watchSource } from 'netlink-rx/ui';

const netns = process.argv[2];
const streams = liveStreams({ source: watchSource, netns });
const page = dashboard({ netns });
const app = Fastify();

// netlink-rx writes the response itself: hijack() tells Fastify not to send one of its own.
const raw = (handler) => (request, reply) => {
  reply.hijack();
  handler(request.raw, reply.raw);
};
for (const path of ['/', '/dashboard.js', '/dashboard.css', '/favicon.svg', '/favicon.ico']) app.get(path, raw(page));
app.get('/live/:kind', raw(streams.handler));   // Server-Sent Events
// WebSocket upgrades never reach Fastify's router: take them from its node:http server.
app.server.on('upgrade', (req, socket, head) => {
  if (!streams.upgrade(req, socket, head)) socket.destroy();
});

const address = await app.listen({ port: Number(process.argv[3] ?? 8080), host: '127.0.0.1' });
console.log(`Listening on ${address}/`);
process.on('SIGTERM', async () => {
  await streams.close();         // WebSocket clients get 1001, SSE streams end
  await app.close();
});
