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
import { COMPARE_DEFAULT_SIDES, COMPARE_PRESETS } from '../protocol/compare.js';

export interface RecordArgs {
  command: 'record';
  mpm: string;
  config?: string;
  sets: string[];
  steps: string;
  out: string;
  /** pause between steps, so a replay shows them apart */
  pauseMs: number;
  /** record a comparison instead: /compare's default sides under this COMPARE_PRESETS script */
  compare?: string;
}

export async function record(args: RecordArgs): Promise<number> {
  if (args.compare) return recordCompare(args.compare, args.out);
  let steps: DriverStep[];
  try {
    steps = DriverStep.array().min(1).parse(JSON.parse(args.steps.trim().startsWith('[') ? args.steps : fs.readFileSync(args.steps, 'utf8')));
  } catch (e) {
    process.stderr.write(`mpm-lab record: --steps must be a JSON array of driver steps (or a file holding one): ${(e as Error).message}\n`);
    return 2;
  }
  const config = args.config ? fs.readFileSync(args.config, 'utf8') : '';
  return withRecordingLab(args.out, async (c) => {
    await c.request({ type: 'record.start', name: path.basename(args.out).replace(/\.jsonl$/, '') });
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
  });
}

/** A lab of our own, a client on it, and the trace copied to `out` at the end. */
async function withRecordingLab(out: string, body: (c: Awaited<ReturnType<typeof connectLive>>) => Promise<void>): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-record-'));
  const lab = new LabServer({ port: 0, siteDir: path.join(projectRoot(), 'dist'), tracesDir: dir, allowOrigins: [], maxProcesses: 64 });
  await lab.start();
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${lab.port}/control?token=${lab.token}`, { headers: { Origin: `http://127.0.0.1:${lab.port}` } });
    const c = await connectLive(ws as never);
    const name = path.basename(out).replace(/\.jsonl$/, '');
    await body(c);
    c.close();
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.copyFileSync(path.join(dir, `${name}.jsonl`), out);
    process.stdout.write(`recorded ${out} (${fs.statSync(out).size} bytes)\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`mpm-lab record: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await lab.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** /compare's replay: its two default engines started, then the preset run against both, recorded. */
function recordCompare(presetId: string, out: string): Promise<number> {
  const preset = COMPARE_PRESETS.find((p) => p.id === presetId);
  if (!preset) {
    process.stderr.write(`mpm-lab record: no comparison '${presetId}' (there are: ${COMPARE_PRESETS.map((p) => p.id).join(', ')})\n`);
    return Promise.resolve(2);
  }
  return withRecordingLab(out, async (c) => {
    const ids: string[] = [];
    // a preset made for its own engines (php: prefork + mod_php vs event + a pool) is recorded on them
    for (const side of preset.sides ?? COMPARE_DEFAULT_SIDES) {
      const s = await c.request<InstanceSummary & { started: boolean; report: { error?: string } }>({ type: 'engine.start', ...side });
      if (!s.started) throw new Error(s.report.error ?? 'an engine did not start');
      ids.push(s.id);
    }
    await new Promise((r) => setTimeout(r, 1500)); // both pools up
    await c.request({ type: 'record.start', name: path.basename(out).replace(/\.jsonl$/, '') });
    await c.request({ type: 'compare.run', instances: [ids[0], ids[1]], tracks: preset.tracks });
    await new Promise((r) => setTimeout(r, 1000));
    await c.request({ type: 'record.stop' });
    for (const id of ids) await c.request({ type: 'engine.stop', instance: id });
  });
}
