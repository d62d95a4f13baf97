// `mpm-lab record`: run an experiment on a real engine and keep what the lab
// streamed as a trace, for replay with no engine (the site's replay mode, lessons).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { LabServer } from '../lab/server.js';
import { connectLive } from '../protocol/client.js';
import { DriverStep, type InstanceSummary } from '../protocol/messages.js';
import { projectRoot } from '../platform/paths.js';

export interface RecordArgs {
  command: 'record';
  mpm: string;
  config?: string;
  sets: string[];
  steps: string;
  out: string;
  /** pause between steps, so a replay shows them apart */
  pauseMs: number;
}

export async function record(args: RecordArgs): Promise<number> {
  let steps: DriverStep[];
  try {
    steps = DriverStep.array().min(1).parse(JSON.parse(args.steps.trim().startsWith('[') ? args.steps : fs.readFileSync(args.steps, 'utf8')));
  } catch (e) {
    process.stderr.write(`mpm-lab record: --steps must be a JSON array of driver steps (or a file holding one): ${(e as Error).message}\n`);
    return 2;
  }
  const config = args.config ? fs.readFileSync(args.config, 'utf8') : '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-record-'));
  const lab = new LabServer({ port: 0, siteDir: path.join(projectRoot(), 'dist'), tracesDir: dir, allowOrigins: [], maxProcesses: 64 });
  await lab.start();
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${lab.port}/control?token=${lab.token}`, { headers: { Origin: `http://127.0.0.1:${lab.port}` } });
    const c = await connectLive(ws as never);
    const name = path.basename(args.out).replace(/\.jsonl$/, '');
    await c.request({ type: 'record.start', name });
    const s = await c.request<InstanceSummary & { started: boolean; report: { error?: string } }>({ type: 'engine.start', mpm: args.mpm as never, config, sets: args.sets });
    if (!s.started) throw new Error(s.report.error ?? 'the engine did not start');
    await new Promise((r) => setTimeout(r, 1500)); // the pool comes up, one scoreboard pass
    for (const step of steps) {
      await c.request({ type: 'drive', instance: s.id, steps: [step] });
      await new Promise((r) => setTimeout(r, args.pauseMs));
    }
    await c.request({ type: 'engine.stop', instance: s.id });
    await new Promise((r) => setTimeout(r, 200));
    await c.request({ type: 'record.stop' });
    c.close();
    fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
    fs.copyFileSync(path.join(dir, `${name}.jsonl`), args.out);
    process.stdout.write(`recorded ${args.out} (${fs.statSync(args.out).size} bytes)\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`mpm-lab record: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await lab.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
