// Reading processes from /proc (Linux): /proc/<pid>/stat fields after "(comm)",
// whose name may itself contain spaces and parentheses.
import fs from 'node:fs';

/** The fields of /proc/<pid>/stat after "(comm)": [state, ppid, pgrp, …]; null when the process is gone. */
export function procStat(pid: number | 'self'): string[] | null {
  try {
    const st = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return st.slice(st.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

export interface Memory {
  /** resident set: every page the process maps that is in RAM, shared ones included */
  rssKb: number;
  /** proportional set: shared pages divided among the processes that share them */
  pssKb: number;
  /** unique set: pages only this process has — what one more child costs */
  ussKb: number;
}

/** /proc/<pid>/smaps_rollup, read into RSS, PSS and USS (kB). */
export function parseSmapsRollup(text: string): Memory {
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rssKb: kb('Rss'), pssKb: kb('Pss'), ussKb: kb('Private_Clean') + kb('Private_Dirty') };
}

/** A process's memory; null when it is gone (or not ours to read). */
export function memoryOf(pid: number): Memory | null {
  try {
    return parseSmapsRollup(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1'));
  } catch {
    return null;
  }
}

/** The command name of a process (/proc/<pid>/comm); '' when it is gone. */
export function commOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
  } catch {
    return '';
  }
}

/** The parent of a process; -1 when it is gone. */
export function parentOf(pid: number): number {
  const f = procStat(pid);
  return f ? Number(f[1]) : -1;
}

/** Live (not zombie) direct children of a process. */
export function childrenOf(ppid: number): number[] {
  // the kernel's own list (one small file per thread of the parent); a scan of all of /proc where it is missing
  try {
    const out: number[] = [];
    for (const t of fs.readdirSync(`/proc/${ppid}/task`)) {
      for (const c of fs.readFileSync(`/proc/${ppid}/task/${t}/children`, 'utf8').split(' ')) if (c.trim()) out.push(Number(c));
    }
    return out.filter((pid) => {
      const f = procStat(pid);
      return f !== null && f[0] !== 'Z' && Number(f[1]) === ppid;
    });
  } catch {
    return scanChildren(ppid);
  }
}

function scanChildren(ppid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const f = procStat(Number(d));
    if (f && Number(f[1]) === ppid && f[0] !== 'Z') out.push(Number(d));
  }
  return out;
}

/** Alive and not a zombie. */
export function pidAlive(pid: number): boolean {
  const f = procStat(pid);
  return f !== null && f[0] !== 'Z';
}
