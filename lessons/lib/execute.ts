// Runs an experiment through the lab's control socket — the same code on the
// lesson page (the learner's live lab) and in CI (a lab started by the lesson
// runner) — and returns what the run produced. Browser-safe.
import type { LabClient } from '../../engine/protocol/client.js';
import type { EngineEvent } from '../../engine/protocol/events.js';
import type { ConfigReport, DriverStepInput, DriverStepResult } from '../../engine/protocol/messages.js';
import { isAction, isTogether, Run, type Action, type Backend, type Experiment } from './experiment.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Progress {
  /** the index of the step about to run (steps.length: collecting the last events) */
  step(i: number): void;
  /** the engine started: its instance id */
  started?(instance: string): void;
}

type Started = { started: true; id: string } | { started: false; report: ConfigReport };

/** Start a fresh engine with the experiment's config, run its steps, return the run (the engine is left running). */
export async function execute(client: LabClient, x: Experiment, backend: Backend, progress?: Progress): Promise<{ run: Run; instance: string }> {
  const byInstance = new Map<string, EngineEvent[]>();
  const off = client.on((m) => {
    if (m.type !== 'events') return;
    let list = byInstance.get(m.instance);
    if (!list) byInstance.set(m.instance, (list = []));
    for (const e of m.events) list.push(e);
  });
  try {
    const s = await client.request<Started>({ type: 'engine.start', mpm: x.mpm, backend, config: x.config, statusPoll: x.statusPoll ?? true, ...(x.app ? { app: x.app } : {}) });
    if (!s.started) throw new Error(`the engine did not start: ${s.report.error ?? 'the configuration was refused'}`);
    const id = s.id;
    progress?.started?.(id);
    const events = () => byInstance.get(id) ?? [];
    await sleep(x.settleMs ?? 1500);
    const results: DriverStepResult[] = [];
    const drive = async (step: DriverStepInput) => (await client.request<DriverStepResult[]>({ type: 'drive', instance: id, steps: [step as never] }))[0];
    for (let i = 0; i < x.steps.length; i++) {
      progress?.step(i);
      const step = x.steps[i];
      if (isAction(step)) await act(client, id, step, events());
      else if (isTogether(step)) {
        const done = await Promise.all(step.together.map(async (t) => {
          await sleep(t.afterMs ?? 0);
          if (!isAction(t.step)) return drive(t.step);
          await act(client, id, t.step, events());
          return null;
        }));
        for (const r of done) if (r) results.push(r);
      } else results.push(await drive(step));
    }
    progress?.step(x.steps.length);
    // the last lines arrive after the responses (httpd: its log pipe and its once-a-second poll)
    await sleep(backend === 'httpd' ? 1200 : 400);
    return { run: new Run(backend, [...events()], results), instance: id };
  } finally {
    off();
  }
}

async function act(client: LabClient, instance: string, a: Action, events: readonly EngineEvent[]): Promise<void> {
  switch (a.action) {
    case 'wait':
      return sleep(a.ms);
    case 'restart':
      await client.request({ type: 'engine.restart', instance, mode: a.mode });
      return;
    case 'kill': {
      const pid = a.which === 'last-served' ? lastServed(events) : firstChild(events);
      if (!pid) throw new Error('no child to signal: none has started or served yet');
      await client.request({ type: 'child.kill', instance, pid, signal: a.signal });
      return;
    }
  }
}

function lastServed(events: readonly EngineEvent[]): number | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.type === 'request.end' && !e.userAgent.includes('internal dummy connection')) return e.pid;
  }
  return null;
}

/** the live child in the lowest slot */
function firstChild(events: readonly EngineEvent[]): number | null {
  const live = new Map<number, number>();
  for (const e of events) {
    if (e.type === 'child.spawn') live.set(e.pid, e.slot);
    else if (e.type === 'child.exit') live.delete(e.pid);
  }
  const sorted = [...live].sort((a, b) => a[1] - b[1]);
  return sorted[0]?.[0] ?? null;
}
