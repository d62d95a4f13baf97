// Sockets of this process connected to a port, read from /proc (what a drive
// must leave at 0 once it settles).
import fs from 'node:fs';

export function openSocketsTo(port: number): number {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/self/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  let n = 0;
  for (const line of fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 10 && parseInt(f[2].split(':')[1], 16) === port && inodes.has(f[9])) n++;
  }
  return n;
}

const TCP_STATES: Record<string, string> = { '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2', '06': 'TIME_WAIT', '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING' };

/**
 * The server side of connections on a port that the server still holds, from the
 * kernel's socket table (any process): everything but LISTEN and TIME_WAIT
 * (TIME_WAIT belongs to the kernel once both sides have closed).
 */
export function serverConnectionsOn(port: number): string[] {
  const held: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || parseInt(f[1].split(':')[1], 16) !== port) continue;
      const state = TCP_STATES[f[3]] ?? f[3];
      if (state !== 'LISTEN' && state !== 'TIME_WAIT') held.push(state);
    }
  }
  return held;
}
