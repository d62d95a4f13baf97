// The lesson parts of a playground: the "predict" question (checked against the
// run — the live one, or the recorded one in replay mode), "what to notice"
// (each claim of the lesson, checked against the same run), and "show
// solution" (a diff against the learner's configuration; nothing is overwritten).
import { experiment } from '../../../lessons/index.js';
import { verdictOf, type Experiment, type Run } from '../../../lessons/lib/experiment.js';
import { lineDiff } from './diff.js';
import { record } from './progress.js';

const TRACES = import.meta.glob('../../../lessons/**/*.trace.jsonl', { query: '?url', import: 'default' }) as Record<string, () => Promise<string>>;

export function lessonExperiment(id: string): Experiment | null {
  return experiment(id) ?? null;
}

/** The recorded run of a lesson, for replay mode. */
export async function lessonTraceUrl(id: string): Promise<string | null> {
  const f = TRACES[`../../../lessons/${id}.trace.jsonl`];
  return f ? f() : null;
}

export class LessonPanel {
  private run: Run | null = null;

  constructor(
    private readonly root: HTMLElement,
    readonly x: Experiment,
  ) {
    root.querySelector('[data-ref="predict"]')?.addEventListener('change', () => this.verdict());
  }

  private ref(name: string): HTMLElement | null {
    return this.root.querySelector(`[data-ref="${name}"]`);
  }

  private chosen(): string | null {
    return this.root.querySelector<HTMLInputElement>('[data-ref="predict"] input:checked')?.value ?? null;
  }

  /** a run finished: check the claims and the prediction against it */
  onRun(run: Run, live: boolean): void {
    this.run = run;
    for (const li of this.root.querySelectorAll<HTMLElement>('[data-claim]')) {
      const failure = verdictOf(this.x.claims[Number(li.dataset.claim)].check, run);
      li.dataset.holds = String(failure === null);
      const saw = li.querySelector('.claim-saw');
      if (saw) saw.textContent = failure === null ? ' — seen in this run' : ` — not this time: ${failure}`;
    }
    this.verdict();
    const solved = this.ref('solved');
    if (solved && this.x.solution) {
      const failure = verdictOf(this.x.solution.solved, run);
      solved.dataset.verdict = failure === null ? 'right' : 'wrong';
      solved.textContent = failure === null ? 'Solved in this run.' : `Not solved in this run: ${failure}`;
    }
    if (live) record(localStorage, this.x.id, { ranAt: new Date().toISOString(), backend: run.backend, ...this.prediction() });
  }

  private prediction(): { choice?: string; correct?: boolean } {
    const choice = this.chosen();
    if (!choice || !this.run || !this.x.predict) return {};
    return { choice, correct: choice === this.x.predict.answer(this.run) };
  }

  private verdict(): void {
    const el = this.ref('verdict');
    const p = this.x.predict;
    if (!el || !p) return;
    const choice = this.chosen();
    if (!this.run) {
      el.dataset.verdict = '';
      el.textContent = choice ? 'Now run the experiment: the run decides.' : 'Choose an answer, then run the experiment.';
      return;
    }
    const answer = p.answer(this.run);
    const text = p.choices.find((c) => c.id === answer)?.text ?? answer;
    if (!choice) {
      el.dataset.verdict = '';
      el.textContent = 'Choose an answer: the run has decided.';
      return;
    }
    el.dataset.verdict = choice === answer ? 'right' : 'wrong';
    el.textContent = choice === answer ? `Right — this run showed it: ${text}` : `Not this time — this run showed: ${text}`;
    if (this.run && this.root.dataset.mode === 'live') record(localStorage, this.x.id, this.prediction());
  }

  /** "show solution": the diff from the learner's configuration to the solution's */
  showSolution(current: string): void {
    const pre = this.ref('solutionDiff');
    const s = this.x.solution;
    if (!pre || !s) return;
    pre.textContent = '';
    for (const d of lineDiff(current, s.config)) {
      const line = document.createElement('span');
      line.className = `diff diff--${d.op === '+' ? 'add' : d.op === '-' ? 'del' : 'same'}`;
      line.textContent = `${d.op} ${d.text}\n`;
      pre.append(line);
    }
    pre.hidden = false;
  }
}
