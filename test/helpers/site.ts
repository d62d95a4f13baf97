// The built site, served two ways: by a real lab (`mpm-lab start`, live mode)
// or by a plain static file server with no engine anywhere (replay mode).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startLabProcess as startLab, type LabProcess } from '../../engine/lab/lab-process.js';
import { ROOT } from './engine.js';

export const DIST = path.join(ROOT, 'dist');

export function requireBuiltSite(): void {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
}

export type RunningLab = LabProcess;

/** `mpm-lab start --port 0` as its own process, like a learner runs it (its traces under test-results/). */
export function startLabProcess(extra: string[] = []): Promise<RunningLab> {
  return startLab(['--traces', path.join(ROOT, 'test-results', 'traces'), ...extra]);
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.jsonl': 'application/x-ndjson', '.wasm': 'application/wasm', '.ttf': 'font/ttf' };

/** dist/ over plain HTTP: no lab, no engine — what a static host does. */
export async function serveStatic(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(DIST, path.normalize(p));
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    // a browser that is still open keeps connections (preconnected ones too): close them
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** every built page, as a URL path */
export function pagePaths(): string[] {
  const out: string[] = [];
  (function walk(d: string) {
    for (const f of fs.readdirSync(d)) {
      const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (f === 'index.html') out.push('/' + path.relative(DIST, d).split(path.sep).join('/') + (d === DIST ? '' : '/'));
    }
  })(DIST);
  return out.map((p) => p.replace(/^\/\/?/, '/')).sort();
}
