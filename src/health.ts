// GET /healthz for container health checks: 200 while the database answers, 503 otherwise.
import { createServer, type Server } from 'node:http';

export function startHealthServer(port: number, check: () => Promise<void>): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/healthz') {
      res.writeHead(404).end();
      return;
    }
    check().then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'),
      () => res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"unavailable"}'),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
