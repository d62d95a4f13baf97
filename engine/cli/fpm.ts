// `mpm-lab fpm --config POOL.conf [--listen 127.0.0.1:PORT]`: the application
// pool on its own, in the foreground like `php-fpm -F`: its log on stderr in
// php-fpm's format, "listening on 127.0.0.1:PORT" on stdout when ready.
import fs from 'node:fs';
import { AppPool, zlogTime } from '../app/pool.js';
import { parsePoolConfig } from '../app/pool-config.js';

export async function fpm(argv: string[]): Promise<number> {
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const file = opt('--config');
  if (!file) {
    process.stderr.write('mpm-lab fpm: needs --config POOL.conf (php-fpm pool syntax: pm = dynamic, pm.max_children = …)\n');
    return 2;
  }
  const listen = opt('--listen') ?? '127.0.0.1:0';
  const m = /^127\.0\.0\.1:(\d+)$/.exec(listen);
  if (!m) {
    process.stderr.write(`mpm-lab fpm: --listen must be 127.0.0.1:PORT, not '${listen}'\n`);
    return 2;
  }
  const log = (level: string, text: string) => void process.stderr.write(`[${zlogTime()}] ${level}: ${text}\n`);
  const parsed = parsePoolConfig(fs.readFileSync(file, 'utf8'));
  for (const l of parsed.logs) log(l.level, l.text);
  if (!parsed.ok) {
    log('ERROR', 'failed to post process the configuration');
    log('ERROR', 'FPM initialization failed');
    return 78;
  }
  // started by an MPM that already died: start nothing
  if (process.send && !process.connected) return 1;
  const events = opt('--events') === 'jsonl';
  const pool = new AppPool(parsed.config, { log, ...(events ? { onEvent: (e) => void process.stdout.write(JSON.stringify(e) + '\n') } : {}) });
  const port = await pool.start('127.0.0.1', Number(m[1]));
  log('NOTICE', `fpm is running, pid ${process.pid}`);
  log('NOTICE', 'ready to handle connections');
  process.stdout.write(`listening on 127.0.0.1:${port}\n`);
  await new Promise<void>((resolve) => {
    for (const s of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) process.once(s, () => resolve());
    if (process.send) process.once('disconnect', () => resolve());
  });
  log('NOTICE', 'Terminating ...');
  await pool.stop();
  log('NOTICE', 'exiting, bye-bye!');
  return 0;
}
