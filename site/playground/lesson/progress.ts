// What the learner has done, per lesson, in localStorage — exportable as a
// file and importable on another browser (merged: the newer entry wins).

export interface LessonProgress {
  /** the predict choice the learner made */
  choice?: string;
  /** whether the run proved it right */
  correct?: boolean;
  /** when the experiment last ran (ISO time), and on which server */
  ranAt?: string;
  backend?: string;
}

export interface ProgressFile {
  app: 'mpm-lab';
  version: 1;
  lessons: Record<string, LessonProgress>;
}

export const PROGRESS_KEY = 'mpm-lab:progress';

type Store = Pick<Storage, 'getItem' | 'setItem'>;

export function empty(): ProgressFile {
  return { app: 'mpm-lab', version: 1, lessons: {} };
}

export function load(store: Store): ProgressFile {
  try {
    return parseProgress(store.getItem(PROGRESS_KEY) ?? '') ?? empty();
  } catch {
    return empty();
  }
}

export function record(store: Store, id: string, p: LessonProgress): ProgressFile {
  const all = load(store);
  all.lessons[id] = { ...all.lessons[id], ...p };
  store.setItem(PROGRESS_KEY, JSON.stringify(all));
  return all;
}

/** A progress file, or null when the text is not one (with why, for the page). */
export function parseProgress(text: string): ProgressFile | null {
  if (!text.trim()) return null;
  const v = JSON.parse(text) as Partial<ProgressFile>;
  if (v.app !== 'mpm-lab' || v.version !== 1 || typeof v.lessons !== 'object' || v.lessons === null) throw new Error('not an MPM Lab progress file');
  const lessons: Record<string, LessonProgress> = {};
  for (const [id, p] of Object.entries(v.lessons)) {
    if (!/^[\w-]+\/[\w-]+$/.test(id) || typeof p !== 'object' || p === null) continue;
    const q = p as Record<string, unknown>;
    lessons[id] = {
      ...(typeof q.choice === 'string' ? { choice: q.choice.slice(0, 64) } : {}),
      ...(typeof q.correct === 'boolean' ? { correct: q.correct } : {}),
      ...(typeof q.ranAt === 'string' && !Number.isNaN(Date.parse(q.ranAt)) ? { ranAt: q.ranAt } : {}),
      ...(q.backend === 'node' || q.backend === 'httpd' ? { backend: q.backend } : {}),
    };
  }
  return { app: 'mpm-lab', version: 1, lessons };
}

/** Import: lessons only in one side are kept; where both have one, the later run wins. */
export function merge(mine: ProgressFile, theirs: ProgressFile): ProgressFile {
  const out = { ...mine, lessons: { ...mine.lessons } };
  for (const [id, p] of Object.entries(theirs.lessons)) {
    const have = out.lessons[id];
    if (!have || (p.ranAt ?? '') > (have.ranAt ?? '')) out.lessons[id] = p;
  }
  return out;
}
