// Where the lab is and how to reach it. The token arrives in the page URL
// (?token=… from `mpm-lab start`) and is kept for the tab, because the site's
// own links do not carry it. A page hosted elsewhere names the lab with ?lab=.
import { connectLive, replayTrace, type LabClient } from '../../engine/protocol/client.js';

const KEY = 'mpm-lab:session';

export interface LabAddress {
  /** ws://host:port */
  ws: string;
  token: string;
}

export function labAddress(loc: Location = location): LabAddress | null {
  const q = new URLSearchParams(loc.search);
  const token = q.get('token');
  const lab = q.get('lab');
  if (token) {
    const origin = lab ? new URL(lab).origin : loc.origin;
    const addr = { ws: origin.replace(/^http/, 'ws'), token };
    sessionStorage.setItem(KEY, JSON.stringify(addr));
    return addr;
  }
  try {
    const saved = sessionStorage.getItem(KEY);
    return saved ? (JSON.parse(saved) as LabAddress) : null;
  } catch {
    return null;
  }
}

export function forgetLab(): void {
  sessionStorage.removeItem(KEY);
}

export async function connect(addr: LabAddress, onReady: (c: LabClient) => void): Promise<LabClient> {
  const ws = new WebSocket(`${addr.ws}/control?token=${encodeURIComponent(addr.token)}`);
  return connectLive(ws as never, onReady);
}

export async function replay(url: string): Promise<ReturnType<typeof replayTrace>> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`no recorded run at ${url}`);
  return replayTrace(await res.text(), { speed: 1 });
}
