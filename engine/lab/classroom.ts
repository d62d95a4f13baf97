// The classroom (`mpm-lab start --classroom`): who joined with the code, what
// each may do and how often, the teacher's controls, the question and its
// answers. No sockets here — the lab server wires it to them — so every rule is
// a plain method a test can call: admit, limits, rotate, remove.
import crypto from 'node:crypto';
import { CLASSROOM_LIMITS, PARTICIPANT_COLORS } from '../protocol/classroom.js';
import type { ClassroomQuestion, ClassroomState, DriverStep } from '../protocol/messages.js';
import { tokenMatches } from './auth.js';

/** No 0/O, 1/I/L: a code read aloud or off a projector. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newJoinCode(length = 6): string {
  const bytes = crypto.randomBytes(length);
  return [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

export interface Participant {
  id: string;
  name: string;
  color: string;
  requests: number;
  /** the rate limit's bucket: drives left, and when it was last topped up */
  tokens: number;
  refilledAt: number;
}

export class ClassroomError extends Error {}

export class Classroom {
  code = newJoinCode();
  locked = false;
  frozen = false;
  instance: string | null = null;
  question: ClassroomQuestion | null = null;
  readonly participants = new Map<string, Participant>();
  private readonly answers = new Map<string, string>();
  private joined = 0;

  constructor(
    readonly joinBase: string,
    readonly maxParticipants: number = CLASSROOM_LIMITS.maxParticipants,
    private readonly clock: () => number = Date.now,
  ) {}

  get joinUrl(): string {
    return `${this.joinBase}/classroom/?code=${this.code}`;
  }

  codeMatches(given: string | null | undefined): boolean {
    return tokenMatches(given?.trim().toUpperCase(), this.code);
  }

  rotate(): string {
    this.code = newJoinCode();
    return this.code;
  }

  /** A new participant; a taken name gets a number ("Ada 2"). */
  join(name: string): Participant {
    if (this.participants.size >= this.maxParticipants) {
      throw new ClassroomError(`the class is full (${this.maxParticipants} participants); ask the teacher`);
    }
    const clean = name.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 32) || 'Student';
    const taken = new Set([...this.participants.values()].map((p) => p.name.toLowerCase()));
    let unique = clean;
    for (let n = 2; taken.has(unique.toLowerCase()); n++) unique = `${clean} ${n}`;
    const p: Participant = { id: `p${++this.joined}`, name: unique, color: PARTICIPANT_COLORS[(this.joined - 1) % PARTICIPANT_COLORS.length], requests: 0, tokens: CLASSROOM_LIMITS.bucket, refilledAt: this.clock() };
    this.participants.set(p.id, p);
    return p;
  }

  leave(id: string): void {
    this.participants.delete(id);
    this.answers.delete(id);
  }

  /**
   * May this participant send these steps now? Throws a message a student can
   * act on; takes one token from their bucket when allowed.
   */
  admitDrive(id: string, steps: DriverStep[]): void {
    const p = this.participants.get(id);
    if (!p) throw new ClassroomError('join first: send classroom.join with your display name');
    if (this.frozen) throw new ClassroomError('the teacher has frozen the class for a moment: wait until it resumes');
    if (this.locked) throw new ClassroomError('the teacher has locked the controls: watch only for now');
    if (!this.instance) throw new ClassroomError('the teacher has no engine running yet');
    const L = CLASSROOM_LIMITS;
    let requests = 0;
    let ms = 0;
    for (const s of steps) {
      if (s.mode === 'raw') throw new ClassroomError('raw bytes are for the teacher’s terminal; send HTTP requests');
      if ((s.mode === 'burst' || s.mode === 'hold') && s.connections > L.maxConnections) throw new ClassroomError(`at most ${L.maxConnections} connections at once in a class`);
      requests += s.mode === 'burst' ? s.connections * s.requests : s.mode === 'hold' ? 0 : s.mode === 'single' ? 1 : s.n;
      if (s.mode === 'keepalive') ms += s.thinkMs * (s.n - 1);
      if (s.mode === 'burst') ms += s.thinkMs * (s.requests - 1);
      if (s.mode === 'hold') ms += s.ms;
    }
    if (requests > L.maxRequests) throw new ClassroomError(`at most ${L.maxRequests} requests at a time in a class (this is ${requests})`);
    if (ms > L.maxDriveMs) throw new ClassroomError(`at most ${L.maxDriveMs / 1000} s of waiting per send in a class`);
    const now = this.clock();
    const refill = Math.floor((now - p.refilledAt) / L.refillMs);
    if (refill > 0) {
      p.tokens = Math.min(L.bucket, p.tokens + refill);
      p.refilledAt += refill * L.refillMs;
    }
    if (p.tokens <= 0) {
      const wait = Math.ceil((p.refilledAt + L.refillMs - now) / 1000);
      throw new ClassroomError(`slow down: one send every ${L.refillMs / 1000} s after ${L.bucket} quick ones (try again in ${wait} s)`);
    }
    if (p.tokens === L.bucket) p.refilledAt = now;
    p.tokens--;
  }

  ask(q: ClassroomQuestion | null): void {
    this.question = q;
    this.answers.clear();
  }

  answer(id: string, question: string, choice: string): void {
    if (!this.participants.has(id)) throw new ClassroomError('join first: send classroom.join with your display name');
    const q = this.question;
    if (!q || q.id !== question) throw new ClassroomError('that question is not on the board any more');
    if (!q.choices.some((c) => c.id === choice)) throw new ClassroomError(`'${choice}' is not one of the choices`);
    this.answers.set(id, choice);
  }

  state(forTeacher: boolean): ClassroomState {
    const tallies: Record<string, number> = {};
    for (const c of this.question?.choices ?? []) tallies[c.id] = 0;
    for (const choice of this.answers.values()) tallies[choice] = (tallies[choice] ?? 0) + 1;
    return {
      ...(forTeacher ? { code: this.code, joinUrl: this.joinUrl, tallies } : {}),
      participants: [...this.participants.values()].map(({ id, name, color, requests }) => ({ id, name, color, requests })),
      maxParticipants: this.maxParticipants,
      locked: this.locked,
      frozen: this.frozen,
      instance: this.instance,
      question: this.question,
      answered: this.answers.size,
    };
  }
}
