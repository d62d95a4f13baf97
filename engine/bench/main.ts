// `npm run bench`: timing claims live here, reported as ratios — never in tests.
import { benchEventStream } from './event-stream.js';
import { benchThroughput, findAb } from './http-throughput.js';

const quick = process.argv.includes('--quick');
if (findAb()) {
  const rows = await benchThroughput({ quick });
  console.log(`Throughput: ab -c 20 GET /, ${quick ? '1 run' : 'median of 3 runs'} per row (req/s; latency percentiles in ms)`);
  console.log('MPM      mode        req/s    p50  p99  failed');
  for (const r of rows) {
    console.log(`${r.mpm.padEnd(8)} ${r.mode.padEnd(10)} ${r.reqPerSec.toFixed(0).padStart(7)}  ${String(r.p50).padStart(4)} ${String(r.p99).padStart(4)}  ${String(r.failed).padStart(6)}`);
  }
  console.log('');
} else {
  console.log('*** SKIPPED throughput rows: `ab` not found (Debian: apt-get install apache2-utils) ***\n');
}
const rows = await benchEventStream({ quick });
console.log('Event stream: prefork engine, keep-alive burst, requests/s while N subscribers follow every event');
console.log('subscribers  requests  req/s     ratio  events/subscriber  dropped');
for (const r of rows) {
  console.log(
    `${String(r.subscribers).padStart(11)}  ${String(r.requests).padStart(8)}  ${r.reqPerSec.toFixed(0).padStart(7)}  ${r.ratio.toFixed(2).padStart(6)}  ${String(r.eventsPerSubscriber).padStart(17)}  ${String(r.dropped).padStart(7)}`,
  );
}
process.exit(0);
