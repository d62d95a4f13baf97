// The control socket's messages (DESIGN §5): requests from the browser, replies
// and pushes from the lab server. Shared by the lab server, the site and tests;
// no Node imports here. Every request carries an `id`; its reply echoes it.
import { z } from 'zod';
import { EngineEvent, PROTOCOL_VERSION } from './events.js';

export { PROTOCOL_VERSION };

// ---- limits the server enforces (also sent in hello, so the page can show them)

export const DRIVER_LIMITS = {
  /** connections open at once, across one drive request */
  maxConnections: 200,
  /** requests in one drive request */
  maxRequests: 10_000,
  /** wall time of one drive request */
  maxDurationMs: 120_000,
  /** bytes of one raw request */
  maxRawBytes: 64 * 1024,
  /** reply bytes kept for one raw exchange */
  maxReplyBytes: 1024 * 1024,
} as const;

export const MAX_INSTANCES = 4;

/** Interactive raw connections (the playground's terminal) per control socket. */
export const MAX_RAW_SESSIONS = 8;

// ---- the request driver

const httpVersion = z.enum(['0.9', '1.0', '1.1']);
const header = z.tuple([z.string().min(1).max(256), z.string().max(8192)]);
const path = z.string().min(1).max(8192).startsWith('/');
const count = (max: number) => z.number().int().min(1).max(max);

/** What one request of a step looks like. */
const RequestShape = {
  method: z.string().min(1).max(32).default('GET'),
  path: path.default('/'),
  version: httpVersion.default('1.1'),
  headers: z.array(header).max(100).default([]),
};

export const DriverStep = z.discriminatedUnion('mode', [
  /** one request on a new connection */
  z.object({ mode: z.literal('single'), ...RequestShape }),
  /** N requests, each on a new connection, one after the other */
  z.object({ mode: z.literal('sequential'), n: count(DRIVER_LIMITS.maxRequests), ...RequestShape }),
  /** one connection, N requests with a think time between them (keep-alive) */
  z.object({ mode: z.literal('keepalive'), n: count(DRIVER_LIMITS.maxRequests), thinkMs: z.number().int().min(0).max(60_000).default(0), ...RequestShape }),
  /** one connection, N requests written at once (pipelining) */
  z.object({ mode: z.literal('pipelined'), n: count(1000), ...RequestShape }),
  /** bytes typed by the learner, sent verbatim; the reply comes back verbatim */
  z.object({ mode: z.literal('raw'), data: z.string().max(DRIVER_LIMITS.maxRawBytes), waitMs: z.number().int().min(0).max(60_000).default(2000) }),
  /** c connections at once, each sending n requests (keep-alive or a new connection each) */
  z.object({
    mode: z.literal('burst'),
    connections: count(DRIVER_LIMITS.maxConnections),
    requests: count(DRIVER_LIMITS.maxRequests),
    keepalive: z.boolean().default(false),
    /** pause between the requests of each connection (keep-alive) or between its connections */
    thinkMs: z.number().int().min(0).max(60_000).default(0),
    ...RequestShape,
  }),
  /** hold N idle connections open for ms (nothing sent), then close them */
  z.object({ mode: z.literal('hold'), connections: count(DRIVER_LIMITS.maxConnections), ms: z.number().int().min(0).max(DRIVER_LIMITS.maxDurationMs) }),
]);
export type DriverStep = z.infer<typeof DriverStep>;
export type DriverStepInput = z.input<typeof DriverStep>;

/** What one request saw: its identity headers, so the page can say "request 3 → pid 4121, keep-alive #2". */
export const DriverRequestResult = z.object({
  /** 1-based, in the order requests were sent within the step */
  index: z.number().int(),
  /** 1-based connection number within the step */
  connection: z.number().int(),
  status: z.number().int().nullable(),
  pid: z.number().int().nullable(),
  tid: z.number().int().nullable(),
  slot: z.string().nullable(),
  generation: z.number().int().nullable(),
  keepalive: z.number().int().nullable(),
  connId: z.string().nullable(),
  /** the response's Connection header (close / Keep-Alive), if any */
  connectionHeader: z.string().nullable(),
  ms: z.number(),
  bytes: z.number().int(),
  /** what went wrong, in words (refused, reset, timed out…) */
  error: z.string().nullable(),
  /** X-App-Pid: the process that ran the application (/app/: a pool process, or the MPM child under mod_php) */
  appPid: z.number().int().nullable().optional(),
  /** the request that opened its connection: when the TCP handshake completed (monotonic ms, the events' clock) — from then until the accept it waited in the listen backlog */
  connectedAt: z.number().optional(),
});
export type DriverRequestResult = z.infer<typeof DriverRequestResult>;

export const DriverStepResult = z.object({
  mode: z.string(),
  requests: z.array(DriverRequestResult),
  /** raw mode: the reply bytes as received (latin1), and whether the server closed */
  raw: z.string().optional(),
  closedByServer: z.boolean().optional(),
  ms: z.number(),
});
export type DriverStepResult = z.infer<typeof DriverStepResult>;

// ---- comparison: the same traffic against two engines

export const COMPARE_MAX_TRACKS = 4;

/** Steps run one after the other, starting afterMs into the run; tracks run at the same time. */
export const CompareTrack = z.object({
  afterMs: z.number().int().min(0).max(60_000).default(0),
  label: z.string().max(120).optional(),
  steps: z.array(DriverStep).min(1).max(20),
});
export type CompareTrack = z.infer<typeof CompareTrack>;
export type CompareTrackInput = z.input<typeof CompareTrack>;

// ---- classroom: shared state

export const ClassroomQuestion = z.object({
  id: z.string().min(1).max(64),
  text: z.string().min(1).max(500),
  choices: z.array(z.object({ id: z.string().min(1).max(64), text: z.string().min(1).max(200) })).min(2).max(8),
});
export type ClassroomQuestion = z.infer<typeof ClassroomQuestion>;

export const ClassroomParticipant = z.object({ id: z.string(), name: z.string(), color: z.string(), requests: z.number().int() });
export type ClassroomParticipant = z.infer<typeof ClassroomParticipant>;

export const ClassroomState = z.object({
  /** the teacher's view only: how to join */
  code: z.string().optional(),
  joinUrl: z.string().optional(),
  participants: z.array(ClassroomParticipant),
  maxParticipants: z.number().int(),
  locked: z.boolean(),
  frozen: z.boolean(),
  /** the engine the class sees and sends to */
  instance: z.string().nullable(),
  question: ClassroomQuestion.nullable(),
  /** the teacher's view only: choice id → answers */
  tallies: z.record(z.string(), z.number().int()).optional(),
  answered: z.number().int(),
});
export type ClassroomState = z.infer<typeof ClassroomState>;

// ---- requests (browser → lab server)

const id = z.union([z.number().int(), z.string().max(64)]);
const instance = z.string().min(1).max(16);
const mpm = z.enum(['prefork', 'worker', 'event', 'winnt', 'netware', 'mpmt_os2']);
const configText = z.string().max(64 * 1024);

/** What runs /app/: a PHP-FPM-style pool (its pool config, php-fpm syntax) or mod_php inside the MPM's children. */
export const AppSpec = z.discriminatedUnion('mode', [z.object({ mode: z.literal('fpm'), pool: configText }), z.object({ mode: z.literal('mod_php') })]);
export type AppSpec = z.infer<typeof AppSpec>;

export const ClientRequest = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('engine.start'), id, mpm, backend: z.enum(['node', 'httpd']).default('node'), config: configText.default(''), sets: z.array(z.string().max(1024)).max(50).default([]),
    /** httpd backend: read its scoreboard once a second (each reading is a connection to httpd); false for experiments that count connections */
    statusPoll: z.boolean().default(true),
    /** /app/: a PHP-FPM-style pool (its pool config, php-fpm syntax) or mod_php inside the MPM's children (node backend) */
    app: AppSpec.optional(),
  }),
  z.object({ type: z.literal('engine.stop'), id, instance }),
  z.object({ type: z.literal('engine.restart'), id, instance, mode: z.enum(['graceful', 'hard']) }),
  z.object({ type: z.literal('engine.gracefulStop'), id, instance }),
  /** validate and write a new config, then restart gracefully (httpd's way to apply a config) */
  z.object({ type: z.literal('engine.apply'), id, instance, config: configText }),
  /** only check a config: the effective values and every diagnostic, nothing started */
  z.object({ type: z.literal('config.check'), id, mpm, config: configText }),
  z.object({ type: z.literal('child.kill'), id, instance, pid: z.number().int().positive(), signal: z.enum(['SIGTERM', 'SIGKILL', 'SIGSEGV', 'SIGINT', 'SIGHUP', 'SIGUSR1', 'SIGABRT']).default('SIGTERM') }),
  /** each live child's memory (RSS, PSS, USS in kB), for sizing MaxRequestWorkers */
  z.object({ type: z.literal('instance.memory'), id, instance }),
  z.object({ type: z.literal('subscribe'), id, instance: instance.optional() }),
  z.object({ type: z.literal('unsubscribe'), id, instance: instance.optional() }),
  z.object({ type: z.literal('snapshot'), id }),
  z.object({ type: z.literal('drive'), id, instance, steps: z.array(DriverStep).min(1).max(50) }),
  /** the same tracks of driver steps against two engines at once; replies with both sides' results and summaries */
  z.object({ type: z.literal('compare.run'), id, instances: z.tuple([instance, instance]), tracks: z.array(CompareTrack).min(1).max(COMPARE_MAX_TRACKS) }),
  z.object({ type: z.literal('record.start'), id, name: z.string().regex(/^[\w.-]{1,64}$/).optional() }),
  z.object({ type: z.literal('record.stop'), id }),
  z.object({ type: z.literal('traces.list'), id }),
  z.object({ type: z.literal('traces.get'), id, name: z.string().regex(/^[\w.-]{1,80}\.jsonl$/) }),
  /** open a TCP connection to an engine for the terminal; bytes flow both ways until either side closes */
  z.object({ type: z.literal('raw.open'), id, instance }),
  /** send bytes as typed (a latin1 string: one char per byte) */
  z.object({ type: z.literal('raw.send'), id, session: z.string().max(32), data: z.string().max(DRIVER_LIMITS.maxRawBytes) }),
  z.object({ type: z.literal('raw.close'), id, session: z.string().max(32) }),
  // ---- the teacher's classroom controls (`mpm-lab start --classroom`)
  z.object({ type: z.literal('classroom.state'), id }),
  /** watch only: participants cannot send requests */
  z.object({ type: z.literal('classroom.lock'), id, locked: z.boolean() }),
  /** hold the class still: participants' streams and requests pause; resume re-syncs them */
  z.object({ type: z.literal('classroom.freeze'), id, frozen: z.boolean() }),
  z.object({ type: z.literal('classroom.remove'), id, participant: z.string().max(16) }),
  /** a new join code: the old one stops admitting anyone (who joined stays) */
  z.object({ type: z.literal('classroom.rotate'), id }),
  /** the engine participants see and send to */
  z.object({ type: z.literal('classroom.share'), id, instance }),
  /** slow motion for the node engines (never real httpd): 1 = real time, up to 100 */
  z.object({ type: z.literal('lab.slowmo'), id, factor: z.number().int().min(1).max(100) }),
  /** put a "predict" question to the class (null takes it down); answers are tallied for the teacher */
  z.object({ type: z.literal('classroom.ask'), id, question: ClassroomQuestion.nullable() }),
]);
export type ClientRequest = z.infer<typeof ClientRequest>;
export type ClientRequestInput = z.input<typeof ClientRequest>;
export type RequestType = ClientRequest['type'];
export const REQUEST_TYPES = ClientRequest.options.map((o) => o.shape.type.value);

// ---- what the server says

export const Diagnostic = z.object({
  level: z.string(),
  module: z.string(),
  ah: z.string(),
  text: z.string(),
  startup: z.boolean(),
  line: z.number().int().optional(),
  directive: z.string().optional(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

export const ConfigReport = z.object({
  ok: z.boolean(),
  /** [directive, value] as the engine will run with them */
  effective: z.array(z.tuple([z.string(), z.string()])),
  diagnostics: z.array(Diagnostic),
  /** the refusal, in httpd's words, with its line when it has one */
  error: z.string().optional(),
  errorLine: z.number().int().optional(),
});
export type ConfigReport = z.infer<typeof ConfigReport>;

export const InstanceSummary = z.object({
  id: instance,
  mpm: z.string(),
  backend: z.string(),
  port: z.number().int(),
  pid: z.number().int(),
  state: z.string(),
  generation: z.number().int(),
  config: z.string(),
  report: ConfigReport,
  /** what runs /app/: a pool of application processes (fpm), the MPM's own children (mod_php); absent: no application */
  app: z.enum(['fpm', 'mod_php']).optional(),
});
export type InstanceSummary = z.infer<typeof InstanceSummary>;

/** Everything a late subscriber needs to draw the present: then live events follow. */
export const InstanceSnapshot = InstanceSummary.extend({
  /** the last periodic scoreboard event */
  scoreboard: EngineEvent.nullable(),
  /** latest worker.status per "slot.thread" */
  workers: z.record(z.string(), EngineEvent),
  children: z.array(z.object({ pid: z.number().int(), slot: z.number().int(), generation: z.number().int() })),
  /** the most recent request.end / log / child events, oldest first */
  recent: z.array(EngineEvent),
  /** the application pool's live processes (pool.spawn not yet followed by pool.exit) and its last pool.status */
  pool: z.object({ processes: z.array(z.object({ pid: z.number().int(), pool: z.string(), ts: z.number() })), status: EngineEvent.nullable() }).optional(),
});
export type InstanceSnapshot = z.infer<typeof InstanceSnapshot>;

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    protocol: z.literal(PROTOCOL_VERSION),
    version: z.string(),
    limits: z.object({ driver: z.record(z.string(), z.number()), maxInstances: z.number().int(), maxProcesses: z.number().int() }),
    recording: z.boolean(),
    /** the lab's clocks at the same instant: event ts (monotonic ms) + (wall - mono) = epoch ms */
    clock: z.object({ mono: z.number(), wall: z.number() }).optional(),
    /** who this socket is: the teacher (the session token) or a classroom participant (the join code) */
    role: z.enum(['teacher', 'participant']).optional(),
    /** the lab runs a classroom (`--classroom`) */
    classroom: z.boolean().optional(),
    /** the slow-motion factor now (1 = real time) */
    slowmo: z.number().int().optional(),
  }),
  /** the lab's settings changed: slow motion (node engines only) */
  z.object({ type: z.literal('lab.settings'), slowmo: z.number().int() }),
  /** the classroom changed: who is in it, the controls, the question */
  z.object({ type: z.literal('classroom'), state: ClassroomState }),
  /** a participant's requests: their connections, to colour them on everyone's timeline */
  z.object({ type: z.literal('classroom.requests'), participant: z.string(), name: z.string(), color: z.string(), connIds: z.array(z.string()) }),
  z.object({ type: z.literal('snapshot'), instances: z.array(InstanceSnapshot), ts: z.number() }),
  /** events of one instance, in order; batched per tick */
  z.object({ type: z.literal('events'), instance, events: z.array(EngineEvent) }),
  /** the stream fell behind this subscriber: this many events were not sent (state catches up with the next scoreboard) */
  z.object({ type: z.literal('dropped'), instance, count: z.number().int() }),
  /** an engine started (its events may already have begun arriving) */
  z.object({ type: z.literal('instance.start'), instance: InstanceSummary }),
  z.object({ type: z.literal('instance.exit'), instance, code: z.number().int().nullable(), signal: z.string().nullable() }),
  /** bytes the engine sent on a raw session, verbatim (latin1 string) */
  z.object({ type: z.literal('raw.data'), session: z.string(), data: z.string() }),
  z.object({ type: z.literal('raw.closed'), session: z.string(), by: z.enum(['server', 'client', 'error']), message: z.string().optional() }),
  z.object({ type: z.literal('result'), id, data: z.unknown() }),
  z.object({ type: z.literal('error'), id: id.optional(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
