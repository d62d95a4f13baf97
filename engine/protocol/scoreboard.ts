// The scoreboard's letters and mod_status's "Scoreboard Key", word for word:
// part of the wire vocabulary (worker.status carries a letter), so the engine
// and the site share one copy.
export const STATUS_LETTER = ['.', 'S', '_', 'R', 'W', 'K', 'L', 'D', 'C', 'G', 'I'] as const;
export type StatusLetter = (typeof STATUS_LETTER)[number];

export const STATUS_KEY: Record<StatusLetter, string> = {
  _: 'Waiting for Connection',
  S: 'Starting up',
  R: 'Reading Request',
  W: 'Sending Reply',
  K: 'Keepalive (read)',
  D: 'DNS Lookup',
  C: 'Closing connection',
  L: 'Logging',
  G: 'Gracefully finishing',
  I: 'Idle cleanup of worker',
  '.': 'Open slot with no current process',
};
