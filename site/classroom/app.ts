// The classroom page. With the session token it is the teacher's view (the
// code, the controls, the question's tallies, everyone's requests coloured per
// student); with ?code= it is a participant's (a name, three ways to send
// requests to the class engine, the question, their own requests highlighted).
import { connectLive, type LabClient } from '../../engine/protocol/client.js';
import type { ClassroomState, DriverStepInput, DriverStepResult, InstanceSummary, ServerMessage } from '../../engine/protocol/messages.js';
import { connect, labAddress } from '../playground/lab.js';
import { PlaygroundStore } from '../playground/store.js';
import { ScoreboardView } from '../playground/views/scoreboard.js';
import { TimelineView } from '../playground/views/timeline.js';
import { renderSlowmo, wireSlowmo } from '../playground/slowmo.js';

const SENDS: Record<string, DriverStepInput[]> = {
  single: [{ mode: 'single' }],
  http10: [{ mode: 'sequential', n: 5, version: '1.0' }],
  keepalive: [{ mode: 'keepalive', n: 3, thinkMs: 500 }],
};

type Any = never;

/** What e2e tests read. */
export interface ClassroomHook {
  role: () => 'teacher' | 'participant' | null;
  state: () => ClassroomState | null;
  colors: Map<string, string>;
}
declare global {
  interface Window {
    mpmClassroom?: ClassroomHook;
  }
}

class ClassroomPage {
  private readonly store = new PlaygroundStore();
  private client: LabClient | null = null;
  private role: 'teacher' | 'participant' | null = null;
  private state: ClassroomState | null = null;
  private me: { id: string; name: string; color: string } | null = null;
  /** connection id → the colour of the student who made it */
  private readonly colors = new Map<string, string>();
  private readonly scoreboard: ScoreboardView;
  private readonly timeline: TimelineView;
  private frame = 0;
  /** the lesson question chosen in the teacher's form, if it is still as the lesson has it */
  private lessonQuestion: () => { id: string; text: string; choices: Array<{ id: string; text: string }> } | null = () => null;

  constructor(private readonly root: HTMLElement) {
    this.scoreboard = new ScoreboardView(this.ref('sbGrid')!, this.ref('sbSummary'), null);
    this.timeline = new TimelineView(this.ref('tlCanvas') as HTMLCanvasElement, this.ref('tlSummary'));
    // the teacher sees every student's colour; a student sees their own, the rest plain
    this.timeline.colorOf = (connId) => this.colors.get(connId) ?? null;
    window.mpmClassroom = { role: () => this.role, state: () => this.state, colors: this.colors };
    this.store.subscribe(() => this.schedule());
    this.wire();
    void this.connect();
  }

  private ref<T extends HTMLElement = HTMLElement>(name: string): T | null {
    return this.root.querySelector<T>(`[data-ref="${name}"]`);
  }

  private text(name: string, s: string): void {
    const el = this.ref(name);
    if (el && el.textContent !== s) el.textContent = s;
  }

  private async connect(): Promise<void> {
    const code = new URLSearchParams(location.search).get('code');
    try {
      if (code) {
        const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/classroom?code=${encodeURIComponent(code)}`);
        this.client = await connectLive(ws as never, (c) => c.on((m) => this.onMessage(m)));
        ws.addEventListener('close', (e) => this.store.setMode('disconnected', e.code === 4001 ? 'The teacher removed you from the class.' : 'The classroom closed the connection.'));
        this.role = 'participant';
      } else {
        const addr = labAddress();
        if (!addr) throw new Error('no session');
        this.client = await connect(addr, (c) => c.on((m) => this.onMessage(m)));
        this.role = 'teacher';
      }
      this.store.setMode('live');
    } catch {
      this.store.setMode('disconnected', code ? 'Could not join: the code may have changed — ask the teacher for the current join URL.' : 'Teachers: start the lab with `npm start -- --classroom` and open the URL it prints. Students: open the join URL the teacher gives you.');
    }
    this.ref('teacher')!.hidden = this.role !== 'teacher';
    this.ref('student')!.hidden = this.role !== 'participant';
    this.text('title', this.role === 'teacher' ? 'Classroom — teacher' : this.role === 'participant' ? 'Classroom' : 'Classroom');
    this.schedule();
  }

  private onMessage(m: ServerMessage): void {
    if (m.type === 'classroom') {
      this.state = m.state;
      this.renderClassroom();
    } else if (m.type === 'classroom.requests') {
      if (this.role === 'teacher' || m.participant === this.me?.id) for (const c of m.connIds) this.colors.set(c, m.color);
    } else if (m.type === 'hello' && m.role === 'teacher' && !m.classroom) {
      this.store.setMode('disconnected', 'This lab runs no classroom: restart it with `npm start -- --classroom`.');
    }
    this.store.apply(m);
  }

  private req<T>(r: object): Promise<T> {
    if (!this.client) return Promise.reject(new Error('not connected'));
    return this.client.request<T>(r as Any);
  }

  private wire(): void {
    wireSlowmo(this.root, (factor) => this.req({ type: 'lab.slowmo', factor }), (t) => this.text('connText', t));
    this.root.addEventListener('click', (e) => {
      const t = (e.target as HTMLElement).closest<HTMLElement>('[data-act],[data-send],[data-remove]');
      if (!t) return;
      const s = this.state;
      const say = (p: Promise<unknown>) => p.catch((err: Error) => this.text('connText', err.message));
      if (t.dataset.send) return void this.send(t.dataset.send);
      if (t.dataset.remove) return void say(this.req({ type: 'classroom.remove', participant: t.dataset.remove }));
      switch (t.dataset.act) {
        case 'rotate':
          return void say(this.req({ type: 'classroom.rotate' }));
        case 'lock':
          return void say(this.req({ type: 'classroom.lock', locked: !s?.locked }));
        case 'freeze':
          return void say(this.req({ type: 'classroom.freeze', frozen: !s?.frozen }));
        case 'engine':
          return void say(this.req<InstanceSummary>({ type: 'engine.start', mpm: this.ref<HTMLSelectElement>('mpm')!.value }));
        case 'ask': {
          const fromLesson = this.lessonQuestion();
          if (fromLesson) return void say(this.req({ type: 'classroom.ask', question: fromLesson }));
          const choices = this.ref<HTMLTextAreaElement>('qChoices')!.value.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 8).map((text, i) => ({ id: `c${i + 1}`, text }));
          return void say(this.req({ type: 'classroom.ask', question: { id: `q${Date.now()}`, text: this.ref<HTMLInputElement>('qText')!.value.trim() || 'Question', choices } }));
        }
        case 'unask':
          return void say(this.req({ type: 'classroom.ask', question: null }));
      }
    });
    // a lesson's predict question fills the form (same choice ids as the lesson)
    let lessonChoices: Array<{ id: string; text: string }> | null = null;
    let lessonId: string | null = null;
    this.ref<HTMLSelectElement>('lessonQ')?.addEventListener('change', (e) => {
      const all = JSON.parse(this.root.querySelector<HTMLElement>('[data-questions]')?.dataset.questions ?? '[]') as Array<{ id: string; text: string; choices: Array<{ id: string; text: string }> }>;
      const q = all.find((x) => x.id === (e.target as HTMLSelectElement).value);
      lessonChoices = q?.choices ?? null;
      lessonId = q?.id ?? null;
      if (q) {
        this.ref<HTMLInputElement>('qText')!.value = q.text;
        this.ref<HTMLTextAreaElement>('qChoices')!.value = q.choices.map((c) => c.text).join('\n');
      }
    });
    this.lessonQuestion = () => (lessonId && lessonChoices ? { id: lessonId, text: this.ref<HTMLInputElement>('qText')!.value.trim(), choices: lessonChoices } : null);
    this.ref<HTMLTextAreaElement>('qChoices')?.addEventListener('input', () => (lessonChoices = null));
    this.ref<HTMLSelectElement>('share')?.addEventListener('change', (e) => {
      void this.req({ type: 'classroom.share', instance: (e.target as HTMLSelectElement).value }).catch(() => undefined);
    });
    this.ref<HTMLFormElement>('joinForm')?.addEventListener('submit', (e) => {
      e.preventDefault();
      const name = this.ref<HTMLInputElement>('name')!.value;
      this.req<{ participant: { id: string; name: string; color: string } }>({ type: 'classroom.join', name }).then(
        (r) => {
          this.me = r.participant;
          this.ref('joinForm')!.hidden = true;
          const me = this.ref('me')!;
          me.hidden = false;
          me.innerHTML = '';
          const chip = document.createElement('span');
          chip.className = 'cls-chip';
          chip.style.background = r.participant.color;
          me.append(chip, `You are ${r.participant.name}: your requests are drawn in this colour.`);
          this.ref('sendBox')!.hidden = false;
          this.renderClassroom();
        },
        (err: Error) => this.text('sendText', err.message),
      );
    });
    this.ref('qOptions')?.addEventListener('change', (e) => {
      const input = e.target as HTMLInputElement;
      const q = this.state?.question;
      if (q) void this.req({ type: 'classroom.answer', question: q.id, choice: input.value }).then(() => this.text('sendText', 'Answer sent (you can change it).'), (err: Error) => this.text('sendText', err.message));
    });
  }

  private async send(kind: string): Promise<void> {
    this.text('sendText', 'Sending…');
    try {
      const results = await this.req<DriverStepResult[]>({ type: 'drive', steps: SENDS[kind] });
      const list = this.ref('mine')!;
      for (const q of results.flatMap((r) => r.requests)) {
        const li = document.createElement('li');
        li.textContent = q.error ? `request ${q.index}: ${q.error}` : `request ${q.index}: ${q.status} from pid ${q.pid}, thread ${q.tid}, slot ${q.slot}, keep-alive #${q.keepalive}`;
        list.prepend(li);
      }
      while (list.children.length > 50) list.lastElementChild!.remove();
      this.text('sendText', `Sent: ${results.reduce((n, r) => n + r.requests.length, 0)} requests. Find them in your colour below.`);
    } catch (e) {
      this.text('sendText', (e as Error).message);
    }
  }

  private renderClassroom(): void {
    const s = this.state;
    if (!s) return;
    if (this.role === 'teacher') {
      const a = this.ref<HTMLAnchorElement>('joinUrl')!;
      if (s.joinUrl && a.href !== s.joinUrl) {
        a.href = s.joinUrl;
        a.textContent = s.joinUrl;
      }
      this.text('code', s.code ?? '');
      const lock = this.root.querySelector('[data-act="lock"]')!;
      lock.setAttribute('aria-pressed', String(s.locked));
      lock.textContent = s.locked ? 'Unlock controls' : 'Lock controls (watch only)';
      const freeze = this.root.querySelector('[data-act="freeze"]')!;
      freeze.setAttribute('aria-pressed', String(s.frozen));
      freeze.textContent = s.frozen ? 'Resume' : 'Freeze';
      this.text('count', `(${s.participants.length} of at most ${s.maxParticipants})`);
      const people = this.ref('people')!;
      people.replaceChildren(
        ...s.participants.map((p) => {
          const li = document.createElement('li');
          const chip = document.createElement('span');
          chip.className = 'cls-chip';
          chip.style.background = p.color;
          const rm = document.createElement('button');
          rm.type = 'button';
          rm.dataset.remove = p.id;
          rm.textContent = 'Remove';
          rm.setAttribute('aria-label', `Remove ${p.name}`);
          li.append(chip, `${p.name} — ${p.requests} requests `, rm);
          return li;
        }),
      );
      const tallies = this.ref('tallies')!;
      tallies.replaceChildren(
        ...(s.question?.choices ?? []).map((c) => {
          const li = document.createElement('li');
          li.textContent = `${c.text}: ${s.tallies?.[c.id] ?? 0}`;
          return li;
        }),
      );
    } else if (this.role === 'participant') {
      const note = s.frozen ? 'The teacher froze the class for a moment.' : s.locked ? 'Watch only for now: the teacher locked the controls.' : '';
      this.root.querySelectorAll<HTMLButtonElement>('[data-send]').forEach((b) => (b.disabled = s.frozen || s.locked || !s.instance));
      if (note) this.text('sendText', note);
      const fs = this.ref('question')!;
      const q = s.question;
      fs.hidden = !q || !this.me;
      if (q && fs.dataset.q !== q.id) {
        fs.dataset.q = q.id;
        this.text('qLegend', q.text);
        this.ref('qOptions')!.replaceChildren(
          ...q.choices.map((c) => {
            const label = document.createElement('label');
            label.className = 'pg-choice';
            const input = document.createElement('input');
            input.type = 'radio';
            input.name = 'cls-answer';
            input.value = c.id;
            label.append(input, ` ${c.text}`);
            return label;
          }),
        );
      }
    }
    this.schedule();
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    this.frame = 0;
    const st = this.store.state;
    this.root.dataset.mode = st.mode;
    const shared = this.state?.instance ?? null;
    const v = shared ? (this.store.state.instances.get(shared) ?? null) : null;
    this.text(
      'connText',
      st.mode === 'live'
        ? this.role === 'teacher'
          ? `Teacher: ${this.state?.participants.length ?? 0} joined; the class sees ${v ? `engine ${v.id} (${v.mpm})` : 'no engine yet — start one'}`
          : v
            ? `Connected: the class engine is ${v.mpm} (engine ${v.id})`
            : 'Connected: waiting for the teacher’s engine'
        : st.mode === 'connecting'
          ? 'Connecting…'
          : st.hint,
    );
    if (this.role === 'teacher') {
      const sel = this.ref<HTMLSelectElement>('share')!;
      const ids = [...st.instances.values()].map((i) => i.id);
      if (sel.options.length !== ids.length || [...sel.options].some((o, i) => o.value !== ids[i])) {
        sel.replaceChildren(...[...st.instances.values()].map((i) => new Option(`${i.id}: ${i.mpm}`, i.id)));
      }
      if (shared) sel.value = shared;
    }
    renderSlowmo(this.root, st.slowmo);
    this.scoreboard.render(v);
    this.timeline.render(v);
  }
}

const el = document.querySelector<HTMLElement>('mpm-classroom');
if (el) new ClassroomPage(el);
