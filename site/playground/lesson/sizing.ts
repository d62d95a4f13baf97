// Sizing MaxRequestWorkers by memory: the RAM you can give httpd divided by what
// one more child costs — its unique set (USS), not its RSS, which also counts
// the pages every child shares.

export interface ChildMemory {
  pid: number;
  rssKb: number;
  pssKb: number;
  ussKb: number;
}

export interface Sizing {
  /** children that fit */
  children: number;
  /** what the same RAM would seem to allow if divided by RSS (the common mistake) */
  byRss: number | null;
}

export function averageMb(children: readonly ChildMemory[], field: 'rssKb' | 'pssKb' | 'ussKb'): number | null {
  if (!children.length) return null;
  return children.reduce((a, c) => a + c[field], 0) / children.length / 1024;
}

export function sizeFor(ramMb: number, perChildMb: number, rssMb: number | null = null): Sizing | null {
  if (!(ramMb > 0) || !(perChildMb > 0)) return null;
  return { children: Math.floor(ramMb / perChildMb), byRss: rssMb && rssMb > 0 ? Math.floor(ramMb / rssMb) : null };
}
