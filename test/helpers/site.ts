// The built site, served two ways: by a real lab (`mpm-lab start`, live mode)
// or by a plain static file server with no engine anywhere (replay mode).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ROOT, childrenOf, pidAlive, sleep } from './engine.js';

export const DIST = path.join(ROOT, 'dist');

export function requireBuiltSite(): void {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
}

export interface RunningLab {
  url: URL;
  port: number;
  token: string;
  proc: ChildProcess;
  /** what it printed so far */
  output(): string;
  stop(): Promise<void>;
}

/** `mpm-lab start --port 0` as its own process, like a learner runs it. */
export async function startLabProcess(extra: string[] = []): Promise<RunningLab> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'engine/bin/mpm-lab.js'), 'start', '--port', '0', '--traces', path.join(ROOT, 'test-results', 'traces'), ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 20_000;
  while (!/token=\S+/.test(out)) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`the lab did not start: ${out}`);
    await sleep(50);
  }
  const url = new URL(/http:\/\/\S+/.exec(out)![0]);
  return {
    url,
    port: Number(url.port),
    token: url.searchParams.get('token')!,
    proc,
    output: () => out,
    async stop() {
      const tree = [proc.pid!, ...childrenOf(proc.pid!).flatMap((p) => [p, ...childrenOf(p)])];
      proc.kill('SIGINT');
      const end = Date.now() + 15_000;
      while (tree.some(pidAlive) && Date.now() < end) await sleep(50);
      for (const p of tree.filter(pidAlive)) process.kill(p, 'SIGKILL');
    },
  };
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
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
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
