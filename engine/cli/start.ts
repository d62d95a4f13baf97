// `mpm-lab start`: the lab server in the foreground. Prints one URL (with the
// session token) and stops everything it started on Ctrl-C / SIGTERM.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { LabServer } from '../lab/server.js';
import { projectRoot } from '../platform/paths.js';
import type { StartArgs } from './args.js';


export async function startLab(args: StartArgs): Promise<number> {
  const lab = new LabServer({
    port: args.port,
    siteDir: path.join(projectRoot(), 'dist'),
    tracesDir: args.tracesDir ? path.resolve(args.tracesDir) : path.join(projectRoot(), 'traces'),
    allowOrigins: args.allowOrigins,
    maxProcesses: args.maxProcesses,
    maxThreads: args.maxThreads,
    ...(args.classroom ? { classroom: args.classroom } : {}),
  });
  let url: string;
  try {
    url = await lab.start();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(
      err.code === 'EADDRINUSE' ? `mpm-lab: port ${args.port} is in use; try --port 0 (a free port) or another number\n` : `mpm-lab: ${err.message}\n`,
    );
    return 1;
  }
  process.stdout.write(`MPM Lab is running: ${url}\n(Ctrl-C stops the lab and every engine it started)\n`);
  if (lab.classroom) {
    const c = lab.classroom;
    process.stdout.write(
      `Classroom: students join at ${c.joinUrl} (join code ${c.code})\n` +
        `  Open ${url.replace('/?token=', '/classroom/?token=')} for the teacher's view (the code can be rotated there).\n` +
        (args.classroom!.host === '127.0.0.1' ? '  (on 127.0.0.1 only: add --host ADDRESS to let other machines join)\n' : `  Listening on ${args.classroom!.host}:${lab.port} for the class too; engines stay on 127.0.0.1.\n`),
    );
  }
  if (args.open) openBrowser(url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await lab.stop();
  return 0;
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  const p = spawn(cmd, args, { stdio: 'ignore', detached: true });
  p.on('error', () => process.stderr.write(`mpm-lab: could not open a browser (${cmd}); open the URL above yourself\n`));
  p.unref();
}
