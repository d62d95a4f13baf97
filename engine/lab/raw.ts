// Interactive raw connections for the playground's terminal: the learner's
// bytes go to an engine port exactly as typed, and every byte the engine sends
// comes back verbatim. Only ports of the lab's own engines; a few per socket;
// all closed when the control socket closes.
import net from 'node:net';
import { DRIVER_LIMITS, MAX_RAW_SESSIONS, type ServerMessage } from '../protocol/messages.js';

const IDLE_MS = 10 * 60_000;

export class RawSessions {
  private readonly sockets = new Map<string, net.Socket>();
  private seq = 0;

  constructor(private readonly push: (m: ServerMessage) => void) {}

  open(port: number): Promise<{ session: string }> {
    if (this.sockets.size >= MAX_RAW_SESSIONS) {
      return Promise.reject(new Error(`at most ${MAX_RAW_SESSIONS} raw connections at once; close one first`));
    }
    const session = `r${++this.seq}`;
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.setTimeout(IDLE_MS, () => s.destroy(new Error('idle for 10 minutes')));
      let open = false;
      s.on('connect', () => {
        open = true;
        this.sockets.set(session, s);
        resolve({ session });
      });
      s.on('data', (d) => this.push({ type: 'raw.data', session, data: d.toString('latin1') }));
      s.on('error', (e) => {
        if (!open) reject(new Error(`could not connect to the engine: ${e.message}`));
        else this.push({ type: 'raw.closed', session, by: 'error', message: e.message });
      });
      s.on('close', () => {
        if (!this.sockets.delete(session) || s.errored) return;
        this.push({ type: 'raw.closed', session, by: s.readableEnded ? 'server' : 'client' });
      });
    });
  }

  send(session: string, data: string): { sent: number } {
    const s = this.get(session);
    const bytes = Buffer.from(data, 'latin1');
    if (bytes.length > DRIVER_LIMITS.maxRawBytes) throw new Error(`at most ${DRIVER_LIMITS.maxRawBytes} bytes at a time`);
    s.write(bytes);
    return { sent: bytes.length };
  }

  close(session: string): void {
    const s = this.get(session);
    this.sockets.delete(session);
    s.destroy();
    this.push({ type: 'raw.closed', session, by: 'client' });
  }

  closeAll(): void {
    for (const s of this.sockets.values()) s.destroy();
    this.sockets.clear();
  }

  private get(session: string): net.Socket {
    const s = this.sockets.get(session);
    if (!s) throw new Error(`no raw connection '${session}' (it may have been closed by the server)`);
    return s;
  }
}
