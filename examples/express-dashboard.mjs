// The dashboard and its live streams inside an Express app.
//   node examples/express-dashboard.mjs [NETNS] [PORT]
import express from 'express';
import { dashboard, liveStreams, watchSource } from 'netlink-rx/ui';

const netns = process.argv[2];
const streams = liveStreams({ source: watchSource, netns });
const app = express();
app.disable('x-powered-by');

app.use(dashboard({ netns }));   // GET / (and dashboard.js, dashboard.css, favicon)
app.use(streams.handler);        // GET /live/links|addresses|routes|neighbors|conntrack|sockets → Server-Sent Events

const server = app.listen(Number(process.argv[3] ?? 8080), '127.0.0.1', (error) => {
  if (error) { console.error(`cannot listen: ${error.message}`); process.exit(1); }
  console.log(`Listening on http://127.0.0.1:${server.address().port}/`);
});
// The same streams over WebSocket: ws://127.0.0.1:8080/live/routes
server.on('upgrade', (req, socket, head) => {
  if (!streams.upgrade(req, socket, head)) socket.destroy();
});
process.on('SIGTERM', async () => {
  await streams.close();         // WebSocket clients get 1001, SSE streams end
  server.close();
});
