// A child's memory from /proc/<pid>/smaps_rollup: USS (what one more child
// costs) is its private pages; RSS also counts every shared page.
import { describe, expect, it } from 'vitest';
import { memoryOf, parseSmapsRollup } from '../../../engine/platform/proc.js';

const SAMPLE = `55d0c8a4e000-7ffd3b1f6000 ---p 00000000 00:00 0                          [rollup]
Rss:               52340 kB
Pss:               18761 kB
Pss_Anon:          12020 kB
Pss_File:           6741 kB
Pss_Shmem:             0 kB
Shared_Clean:      33104 kB
Shared_Dirty:       1212 kB
Private_Clean:       124 kB
Private_Dirty:     17900 kB
Referenced:        52340 kB
Anonymous:         19112 kB
Swap:                  0 kB
`;

describe('parseSmapsRollup', () => {
  it('reads RSS, PSS and USS (private clean + dirty) in kB', () => {
    expect(parseSmapsRollup(SAMPLE)).toEqual({ rssKb: 52340, pssKb: 18761, ussKb: 18024 });
  });

  it('reads this very process: USS ≤ PSS ≤ RSS', () => {
    const m = memoryOf(process.pid)!;
    expect([m.ussKb > 0, m.ussKb <= m.pssKb, m.pssKb <= m.rssKb]).toEqual([true, true, true]);
  });

  it('says null for a process that is gone', () => {
    expect(memoryOf(2 ** 22 + 1)).toBeNull();
  });
});
