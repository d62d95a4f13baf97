// Records what the lab streams into a trace file (protocol/trace.ts), one JSON
// line per message, appended as it happens.
import fs from 'node:fs';
import path from 'node:path';
import type { CompareTrack, DriverStep, DriverStepResult, ServerMessage } from '../protocol/messages.js';
import type { CompareResult } from './compare.js';
import { TRACE_VERSION } from '../protocol/trace.js';
import { monoMs } from '../platform/clock.js';
import { LAB_VERSION } from '../version.js';

export class Recorder {
  readonly name: string;
  readonly file: string;
  private fd: number;

  constructor(dir: string, name: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.name = name.endsWith('.jsonl') ? name : `${name}.jsonl`;
    this.file = path.join(dir, this.name);
    this.fd = fs.openSync(this.file, 'w');
    this.line({ type: 'trace', version: TRACE_VERSION, name: this.name, created: new Date().toISOString(), lab: LAB_VERSION });
  }

  private line(v: unknown): void {
    fs.writeSync(this.fd, JSON.stringify(v) + '\n');
  }

  message(m: ServerMessage): void {
    this.line(m);
  }

  /** Pre-serialised message (the fan-out stringifies each batch once). */
  raw(json: string): void {
    fs.writeSync(this.fd, json + '\n');
  }

  drive(instance: string, steps: DriverStep[], results: DriverStepResult[], started: number): void {
    this.line({ type: 'drive', ts: monoMs(), started, instance, steps, results });
  }

  /** A comparison's result: a replay shows it when it gets here (its events are already in the trace). */
  compare(tracks: CompareTrack[], result: CompareResult): void {
    this.line({ type: 'compare', ts: result.ended, started: result.started, tracks, sides: result.sides });
  }

  close(): void {
    this.line({ type: 'end', ts: monoMs() });
    fs.closeSync(this.fd);
  }
}

export function listTraces(dir: string): Array<{ name: string; bytes: number; modified: string }> {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => {
      const st = fs.statSync(path.join(dir, f));
      return { name: f, bytes: st.size, modified: st.mtime.toISOString() };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
