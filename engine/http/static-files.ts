// The files under /static/: fixed names and lengths, the same on both backends
// (the httpd backend writes them into its DocumentRoot), so lessons can ask for
// "a 100 KB file" and compare like with like.

export interface StaticFile {
  name: string;
  type: string;
  body: Buffer;
}

function filler(size: number): Buffer {
  // printable, so a learner who curls it sees text, not a terminal full of noise
  const line = 'MPM Lab static file: 0123456789abcdefghijklmnopqrstuvwxyz\n';
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i += line.length) b.write(line, i, 'latin1');
  return b;
}

export const STATIC_FILES: readonly StaticFile[] = [
  { name: 'hello.txt', type: 'text/plain', body: Buffer.from('Hello from MPM Lab.\n') },
  {
    name: 'page.html',
    type: 'text/html',
    body: Buffer.from('<!DOCTYPE html>\n<html><head><title>MPM Lab</title><link rel="stylesheet" href="style.css"></head>\n<body><h1>A page with assets</h1><script src="app.js"></script></body></html>\n'),
  },
  { name: 'style.css', type: 'text/css', body: Buffer.from('body { font-family: sans-serif; margin: 2em; }\nh1 { color: #345; }\n') },
  { name: 'app.js', type: 'text/javascript', body: Buffer.from("document.title += ' (script loaded)';\n") },
  { name: '1k.txt', type: 'text/plain', body: filler(1024) },
  { name: '10k.txt', type: 'text/plain', body: filler(10 * 1024) },
  { name: '100k.txt', type: 'text/plain', body: filler(100 * 1024) },
  { name: '1m.txt', type: 'text/plain', body: filler(1024 * 1024) },
];

const byName = new Map(STATIC_FILES.map((f) => [f.name, f]));

export function staticFile(name: string): StaticFile | undefined {
  return byName.get(name);
}

/** httpd's default index.html ("It works!"), byte for byte: the body of "/". */
export const INDEX_HTML = Buffer.from('<html><body><h1>It works!</h1></body></html>\n');
