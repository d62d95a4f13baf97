// The page the lab serves until the real site (Astro + Starlight) is built: a
// minimal, dependency-free console on the same control socket, so `npm start`
// already lets a learner start an engine, send requests and watch who served them.
export function placeholderPage(port: number): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>MPM Lab</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1f24;background:#fff}
button{font:inherit;margin:.2rem;padding:.3rem .7rem}
pre,code{font-family:ui-monospace,monospace}
#sb{font-size:1.3rem;letter-spacing:.15em;word-break:break-all}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.15rem .5rem;text-align:left}
#log{max-height:14rem;overflow:auto;background:#f4f4f4;padding:.5rem;font-size:13px}
</style></head><body>
<h1>MPM Lab</h1>
<p>The lab's site is not built yet; this page drives the engine directly. Status: <strong id="state" role="status">connecting…</strong></p>
<p><button id="start">Start prefork (StartServers 3)</button><button id="seq">6 × HTTP/1.0, new connection each</button>
<button id="ka">keep-alive × 4</button><button id="graceful">graceful restart</button><button id="stop">stop</button></p>
<p>Scoreboard: <code id="sb" aria-live="polite">–</code></p>
<table><thead><tr><th>#</th><th>status</th><th>pid</th><th>tid</th><th>slot</th><th>%k</th><th>connection</th></tr></thead><tbody id="rows"></tbody></table>
<h2>error_log</h2><pre id="log"></pre>
<script>
const token = new URLSearchParams(location.search).get('token');
const $ = (id) => document.getElementById(id);
let ws, seq = 0, instance = null; const waits = new Map();
function req(m) { return new Promise((ok, no) => { const id = ++seq; waits.set(id, { ok, no }); ws.send(JSON.stringify({ ...m, id })); }); }
function show(results) { $('rows').innerHTML = ''; let n = 0; for (const step of results) for (const r of step.requests) {
  const tr = document.createElement('tr'); for (const v of [++n, r.status ?? r.error, r.pid, r.tid, r.slot, r.keepalive, r.connId]) { const td = document.createElement('td'); td.textContent = v ?? '–'; tr.append(td); } $('rows').append(tr); } }
function connect() {
  ws = new WebSocket('ws://' + location.host + '/control?token=' + encodeURIComponent(token || ''));
  ws.onopen = () => { $('state').textContent = 'connected'; };
  ws.onclose = () => { $('state').textContent = 'disconnected — is mpm-lab start still running? Reload with the URL it printed.'; };
  ws.onmessage = (e) => { const m = JSON.parse(e.data);
    if (m.type === 'result' || m.type === 'error') { const w = waits.get(m.id); if (w) { waits.delete(m.id); m.type === 'result' ? w.ok(m.data) : w.no(new Error(m.message)); } else if (m.type === 'error') $('log').textContent += 'error: ' + m.message + '\\n'; }
    if (m.type === 'snapshot' && m.instances.length) instance = m.instances[0].id;
    if (m.type === 'events') for (const ev of m.events) {
      if (ev.type === 'scoreboard') $('sb').textContent = ev.scoreboard.slice(0, 64);
      if (ev.type === 'log') $('log').textContent += ev.line + '\\n';
    }
    if (m.type === 'instance.exit' && m.instance === instance) { instance = null; $('sb').textContent = '–'; }
  };
}
const act = (f) => async () => { try { await f(); } catch (e) { $('log').textContent += 'error: ' + e.message + '\\n'; } };
$('start').onclick = act(async () => { if (instance) return; const r = await req({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 3\\nMinSpareServers 2\\nMaxSpareServers 5\\nLogLevel info\\n' }); instance = r.id; });
$('seq').onclick = act(async () => show(await req({ type: 'drive', instance, steps: [{ mode: 'sequential', n: 6, version: '1.0' }] })));
$('ka').onclick = act(async () => show(await req({ type: 'drive', instance, steps: [{ mode: 'keepalive', n: 4, thinkMs: 300 }] })));
$('graceful').onclick = act(() => req({ type: 'engine.restart', instance, mode: 'graceful' }));
$('stop').onclick = act(async () => { await req({ type: 'engine.stop', instance }); instance = null; });
connect();
</script>
<!-- lab on port ${port} -->
</body></html>
`;
}
