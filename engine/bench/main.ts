// `npm run bench`: timing claims live here, reported as ratios — never in tests.
import { benchEventStream } from './event-stream.js';

const quick = process.argv.includes('--quick');
const rows = await benchEventStream({ quick });
console.log('Event stream: prefork engine, keep-alive burst, requests/s while N subscribers follow every event');
console.log('subscribers  requests  req/s     ratio  events/subscriber  dropped');
for (const r of rows) {
  console.log(
    `${String(r.subscribers).padStart(11)}  ${String(r.requests).padStart(8)}  ${r.reqPerSec.toFixed(0).padStart(7)}  ${r.ratio.toFixed(2).padStart(6)}  ${String(r.eventsPerSubscriber).padStart(17)}  ${String(r.dropped).padStart(7)}`,
  );
}
process.exit(0);
