// `mpm-lab start --port 0` as a process of its own, as a learner runs it, and
// the URL it printed (with the session token). The browser benchmark, the soak
// and the tests start the lab this way; stop() leaves nothing behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { binPath } from '../platform/paths.js';
import { childrenOf, pidAlive } from '../platform/proc.js';

export interface LabProcess {
  proc: ChildProcess;
  /** the URL it printed: http://127.0.0.1:PORT/?token=… */
  url: URL;
  port: number;
  token: string;
  /** what it printed so far (stdout, and stderr unless that was inherited) */
  output(): string;
  /**
   * SIGINT (the lab stops every engine it started, as on Ctrl-C), then wait until the
   * lab and the processes it had started are gone; SIGKILL whatever is left after killAfterMs.
   */
  stop(killAfterMs?: number): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Start the lab; resolves once it printed its URL, rejects if it exits or prints none in timeoutMs. */
export async function startLabProcess(args: string[] = [], o: { stderr?: 'pipe' | 'inherit'; timeoutMs?: number } = {}): Promise<LabProcess> {
  const proc = spawn(process.execPath, [binPath(), 'start', '--port', '0', ...args], { stdio: ['ignore', 'pipe', o.stderr ?? 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const printed = () => /http:\/\/\S+token=\S+/.exec(out)?.[0];
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  while (!printed()) {
    if (proc.exitCode !== null || proc.signalCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`the lab did not start (${proc.exitCode !== null || proc.signalCode !== null ? `it exited: ${proc.exitCode ?? proc.signalCode}` : 'no URL in time'}): ${out.slice(-1500)}`);
    }
    await sleep(20);
  }
  const url = new URL(printed()!);
  return {
    proc,
    url,
    port: Number(url.port),
    token: url.searchParams.get('token')!,
    output: () => out,
    async stop(killAfterMs = 15_000) {
      // the lab, its engines and their children (httpd's own are in a process group its watchdog ends)
      const tree = [proc.pid!, ...childrenOf(proc.pid!).flatMap((p) => [p, ...childrenOf(p)])];
      proc.kill('SIGINT');
      const end = Date.now() + killAfterMs;
      while (tree.some(pidAlive) && Date.now() < end) await sleep(20);
      for (const p of tree.filter(pidAlive)) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // gone in the meantime
        }
      }
      if (proc.exitCode === null && proc.signalCode === null) await new Promise((r) => proc.once('exit', r));
    },
  };
}
