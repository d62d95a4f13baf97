// mpm-lab: one command, subcommands by role (run = an engine in the foreground,
// start = the lab). Signals are turned into method calls on the MPM parent, the
// way httpd's handlers only set flags for its main loop.
import { HttpdBackend } from '../httpd/backend.js';
import { MpmParent } from '../mpm/parent.js';
import { NULL_SINK, jsonlSink } from '../mpm/common/sink.js';
import { LAB_VERSION } from '../version.js';
import { USAGE, parseArgs, type RunArgs, type StartArgs } from './args.js';
import { startLab } from './start.js';
import { record } from './record.js';

async function run(args: RunArgs, argv: string[]): Promise<number> {
  const write = (s: string) => void process.stdout.write(s);
  if (args.backend === 'httpd') return runHttpd(args, write);
  const parent = new MpmParent({
    mpm: args.mpm,
    configFile: args.config,
    sets: args.sets,
    listen: args.listen,
    maxProcesses: args.maxProcesses,
    maxThreads: args.maxThreads,
    sink: args.events === 'jsonl' ? jsonlSink(write) : NULL_SINK,
    stderr: (s) => void process.stderr.write(s.endsWith('\n') ? s : s + '\n'),
    stdout: write,
    commandLine: ['mpm-lab', ...argv].join(' '),
    ...(args.app ? { app: args.app } : {}),
  });
  process.on('SIGTERM', () => parent.stop());
  process.on('SIGINT', () => parent.stop());
  process.on('SIGUSR1', () => parent.gracefulRestart());
  process.on('SIGHUP', () => parent.hardRestart());
  process.on('SIGWINCH', () => parent.gracefulStop());
  // Started by the lab with an IPC channel: that channel is our lifeline. When
  // the lab goes away (even SIGKILLed) we stop, and our children with us.
  if (process.send) {
    process.on('disconnect', () => parent.stop());
    // the lab died before we listened: its 'disconnect' has already gone by
    if (!process.connected) setImmediate(() => parent.stop());
    // the lab's settings for this engine (slow motion)
    process.on('message', (m: { t?: string; factor?: number }) => {
      if (m?.t === 'slowmo' && typeof m.factor === 'number') parent.setSlowmo(m.factor);
    });
  }
  return parent.run();
}

/** A real Apache httpd in the foreground; signals go to it. */
async function runHttpd(args: RunArgs, write: (s: string) => void): Promise<number> {
  const b = new HttpdBackend({
    mpm: args.mpm,
    httpd: args.httpd,
    configFile: args.config,
    sets: args.sets,
    listen: args.listen,
    allowUser: args.allowUser,
    ...(args.app ? { app: args.app } : {}),
    sink: args.events === 'jsonl' ? jsonlSink(write) : NULL_SINK,
    stderr: (s) => void process.stderr.write(s.endsWith('\n') ? s : s + '\n'),
    stdout: write,
  });
  for (const sig of ['SIGTERM', 'SIGUSR1', 'SIGHUP', 'SIGWINCH'] as const) process.on(sig, () => b.signal(sig));
  process.on('SIGINT', () => b.signal('SIGTERM'));
  if (process.send) process.on('disconnect', () => b.signal('SIGTERM'));
  // the lab died before we listened: start nothing
  if (process.send && !process.connected) return 1;
  return b.run();
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'help':
      process.stdout.write(USAGE + '\n');
      return 0;
    case 'version':
      process.stdout.write(`mpm-lab ${LAB_VERSION}\n`);
      return 0;
    case 'error':
      process.stderr.write(`mpm-lab: ${args.message}\n`);
      return 2;
    case 'run':
      return run(args, argv);
    case 'start':
      return startLab(args as StartArgs);
    case 'record':
      return record(args);
    case 'fidelity':
      return (await import('../fidelity/main.js')).fidelity(argv.slice(1));
    case 'lessons':
      return (await import('../lessons/runner.js')).lessons(argv.slice(1));
    case 'bench':
      return (await import('../bench/main.js')).bench(argv.slice(1));
    case 'fpm':
      return (await import('./fpm.js')).fpm(argv.slice(1));
  }
}
