// The obvious Node peer: node:cluster with N worker processes behind one port
// (the primary accepts and hands connections round-robin, Linux's default),
// node:http serving the same page with the same kind of headers as the engine.
// Run: node cluster-server.js N  → prints "listening on 127.0.0.1:PORT" once all N listen.
import cluster from 'node:cluster';
import http from 'node:http';
import { INDEX_HTML } from '../http/static-files.js';

const workers = Math.max(1, Number(process.argv[2] ?? 1));

if (cluster.isPrimary) {
  let port = 0;
  let listening = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('listening', (a) => {
      port = a.port;
      if (++listening === workers) process.stdout.write(`listening on 127.0.0.1:${port}\n`);
    });
  }
  const stop = () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  const lastModified = new Date().toUTCString();
  const etag = `"${INDEX_HTML.length.toString(16)}-${Date.now().toString(16)}"`;
  http
    .createServer((req, res) => {
      // the engine's identity headers have their counterparts here, so both send as many bytes
      res.writeHead(200, {
        Server: 'node:cluster',
        'Last-Modified': lastModified,
        ETag: etag,
        'Accept-Ranges': 'bytes',
        'X-Child-Pid': String(process.pid),
        'X-Worker-Id': String(cluster.worker?.id),
        'Content-Length': INDEX_HTML.length,
        'Content-Type': 'text/html',
      });
      res.end(req.method === 'HEAD' ? undefined : INDEX_HTML);
    })
    .listen(0, '127.0.0.1');
  process.on('disconnect', () => process.exit(0)); // never outlive the primary
}
