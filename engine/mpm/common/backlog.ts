// How many connections wait in a listening socket's accept queue: for a socket
// in LISTEN state, /proc/net/tcp's rx_queue is the accept backlog (what `ss -ltn`
// shows as Recv-Q). Linux only; elsewhere we report nothing rather than a guess.
import fs from 'node:fs';

export function backlogDepth(host: string, port: number): number | null {
  const file = host.includes(':') ? '/proc/net/tcp6' : '/proc/net/tcp';
  let text: string;
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch {
    return null;
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st tx_queue:rx_queue …; st 0A = LISTEN
    if (f.length < 5 || f[3] !== '0A' || !f[1].endsWith(`:${hexPort}`)) continue;
    return parseInt(f[4].split(':')[1], 16);
  }
  return null;
}
