// One browser on the control socket: every message is validated, every request
// answered (result or an error a person can act on), and events are fanned out
// without ever silently falling behind: if the socket cannot keep up, events
// are counted and the count is said (`dropped`) before the stream resumes.
import { z } from 'zod';
import type { WebSocket } from 'ws';
import { ClientRequest, REQUEST_TYPES, type ServerMessage } from '../protocol/messages.js';
import { RawSessions } from './raw.js';

/** Above this much unsent data, events are counted instead of queued. */
export const HIGH_WATER = 4 * 1024 * 1024;

export type Handler = (req: ClientRequest, session: Session) => Promise<unknown>;

/** What a socket may ask: the teacher's whole protocol, or a participant's few requests. */
export interface Accepts {
  schema: z.ZodType;
  types: readonly string[];
  /** the error for a request type outside `types` */
  unknown(type: unknown): string;
}

const TEACHER: Accepts = {
  schema: ClientRequest,
  types: REQUEST_TYPES,
  unknown: (type) => `unknown request type ${JSON.stringify(type)}; known: ${REQUEST_TYPES.join(', ')}`,
};

export class Session {
  /** a classroom participant's id once joined (participant sockets only) */
  participant: string | null = null;
  /** instance ids this session follows; null = all */
  subscribed: Set<string> | null = null;
  private readonly dropped = new Map<string, number>();
  /** the terminal's raw connections, closed with this socket */
  readonly raw = new RawSessions((m) => this.send(m));

  constructor(
    readonly ws: WebSocket,
    private readonly handle: Handler,
    private readonly highWater = HIGH_WATER,
    private readonly accepts: Accepts = TEACHER,
  ) {
    ws.on('message', (data, isBinary) => void this.onMessage(data.toString(), isBinary));
    ws.on('close', () => this.raw.closeAll());
  }

  send(m: ServerMessage): void {
    this.greet();
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(m));
  }

  private greeting: { send(): void; timer: NodeJS.Timeout } | null = null;

  /**
   * The session's first messages (hello, snapshot), sent a moment after the
   * upgrade, or before anything else this socket gets (its first reply, an
   * event) if that comes sooner. Not in the same write as the 101: a client
   * (Node's ws) that adds its message listener once 'open' has fired would
   * otherwise lose them, as they arrive in one read with the upgrade.
   */
  greetWith(send: () => void, afterMs = 25): void {
    this.greeting = { send, timer: setTimeout(() => this.greet(), afterMs) };
    this.ws.on('close', () => this.greeting && clearTimeout(this.greeting.timer));
  }

  private greet(): void {
    const g = this.greeting;
    if (!g) return;
    this.greeting = null;
    clearTimeout(g.timer);
    g.send();
  }

  follows(instance: string): boolean {
    return this.subscribed === null || this.subscribed.has(instance);
  }

  /** A batch of one instance's events, already serialised once for every session. */
  sendEvents(instance: string, json: string, count: number): void {
    if (this.ws.readyState !== this.ws.OPEN || !this.follows(instance)) return;
    this.greet();
    if (this.ws.bufferedAmount > this.highWater) {
      this.dropped.set(instance, (this.dropped.get(instance) ?? 0) + count);
      return;
    }
    const lost = this.dropped.get(instance);
    if (lost) {
      this.dropped.delete(instance);
      this.send({ type: 'dropped', instance, count: lost });
    }
    this.ws.send(json);
  }

  private async onMessage(text: string, isBinary: boolean): Promise<void> {
    if (isBinary) return this.send({ type: 'error', message: 'binary frames are not understood: send JSON text' });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.send({ type: 'error', message: `message is not JSON: ${text.slice(0, 80)}` });
    }
    const id = typeof json === 'object' && json !== null && 'id' in json && (typeof json.id === 'number' || typeof json.id === 'string') ? json.id : undefined;
    const type = typeof json === 'object' && json !== null && 'type' in json ? (json as { type: unknown }).type : undefined;
    if (typeof type !== 'string' || !this.accepts.types.includes(type)) {
      return this.send({ type: 'error', ...(id !== undefined ? { id } : {}), message: this.accepts.unknown(type) });
    }
    const parsed = this.accepts.schema.safeParse(json) as z.ZodSafeParseResult<ClientRequest>;
    if (!parsed.success) {
      return this.send({ type: 'error', ...(id !== undefined ? { id } : {}), message: `bad ${type} request: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}` });
    }
    try {
      const data = await this.handle(parsed.data, this);
      this.send({ type: 'result', id: parsed.data.id, data: data ?? null });
    } catch (e) {
      this.send({ type: 'error', id: parsed.data.id, message: (e as Error).message });
    }
  }
}
