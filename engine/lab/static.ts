// Serves the built site (Astro's dist/) from the lab's own origin. Paths cannot
// leave the root; the token in the page URL must never leak, so every response
// says Referrer-Policy: no-referrer.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { placeholderPage } from './placeholder.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.webmanifest': 'application/manifest+json',
  '.pf_meta': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
};

const COMMON = {
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

/** Map a URL path to a file under root, or null if it would escape it. */
export function resolveUnder(root: string, urlPath: string): string | null {
  let p: string;
  try {
    p = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (p.includes('\0')) return null;
  const full = path.resolve(root, '.' + path.posix.normalize('/' + p));
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  return full;
}

export function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, siteDir: string, port: number): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...COMMON, Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('GET or HEAD only\n');
    return;
  }
  const root = path.resolve(siteDir);
  const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    if (urlPath === '/' || urlPath === '/index.html') {
      res.writeHead(200, { ...COMMON, 'Content-Type': 'text/html; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : placeholderPage(port));
    } else res.writeHead(404, { ...COMMON, 'Content-Type': 'text/plain' }).end('not found\n');
    return;
  }
  let file = resolveUnder(root, urlPath);
  if (file && fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    const notFound = path.join(root, '404.html');
    const body = fs.existsSync(notFound) ? fs.readFileSync(notFound) : Buffer.from('not found\n');
    res.writeHead(404, { ...COMMON, 'Content-Type': fs.existsSync(notFound) ? TYPES['.html'] : 'text/plain' }).end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const size = fs.statSync(file).size;
  res.writeHead(200, { ...COMMON, 'Content-Type': type, 'Content-Length': String(size) });
  if (req.method === 'HEAD') res.end();
  else fs.createReadStream(file).pipe(res);
}
