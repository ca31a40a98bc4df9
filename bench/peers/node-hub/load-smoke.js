'use strict';
// A quick load check for a hub (ours or this baseline), not the benchmark's load generator:
// N agents (tokens from a file, one a line, see ../agents-fixture.sh) each send agent.setStatus
// and task.progress on their IN_PROGRESS task in turn (--mix both|status|progress), waiting for each reply, for S seconds.
//   node load-smoke.js --url ws://127.0.0.1:8765/ --token-file F --agents N --seconds S [--mix status]
const fs = require('node:fs');
const { parseArgs } = require('node:util');
const WebSocket = require('ws');

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'ws://127.0.0.1:8765/' },
    'token-file': { type: 'string' },
    agents: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    mix: { type: 'string', default: 'both' }, // both | status | progress
  },
});
const tokens = fs.readFileSync(args['token-file'], 'utf8').split('\n').filter(Boolean).slice(0, Number(args.agents));
const latencies = [];
let errors = 0;
const errorKinds = {};
const closedEarly = {}; // close code -> count, for closes the client did not ask for

function agent(token) {
  return new Promise((resolve) => {
    const ws = new WebSocket(args.url, { headers: { Authorization: `Bearer ${token}` } });
    const pending = new Map();
    let nextId = 1;
    const call = (method, params) => new Promise((done) => {
      const id = nextId++;
      pending.set(id, { done, sent: process.hrtime.bigint() });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
    ws.on('message', (data) => {
      const reply = JSON.parse(data);
      if (reply.id === undefined) return; // a notification (task.open on connecting)
      const p = pending.get(reply.id);
      pending.delete(reply.id);
      latencies.push(Number(process.hrtime.bigint() - p.sent) / 1e6);
      if (reply.error) errors++;
      p.done(reply);
    });
    ws.on('close', (code) => { if (code !== 1000) closedEarly[code] = (closedEarly[code] || 0) + 1; resolve(); });
    ws.on('error', (err) => { errorKinds[err.code || err.message] = (errorKinds[err.code || err.message] || 0) + 1; });
    ws.on('open', async () => {
      const list = await call('task.list', { status: 'IN_PROGRESS' });
      const taskId = list.result?.tasks?.[0]?.id;
      const until = Date.now() + Number(args.seconds) * 1000;
      for (let i = 0; Date.now() < until; i++) {
        const status = args.mix === 'status' || (args.mix === 'both' && i % 2 === 0) || !taskId;
        if (status) await call('agent.setStatus', { status: i % 4 === 0 ? 'BUSY' : 'ACTIVE' });
        else await call('task.progress', { taskId, progress: i % 101, note: `step ${i}` });
      }
      ws.close(1000);
    });
  });
}

(async () => {
  const start = process.hrtime.bigint();
  await Promise.all(tokens.map(agent));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort((a, b) => a - b);
  const at = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : 0).toFixed(1);
  console.log(`smoke_agents=${tokens.length}`);
  console.log(`smoke_replies=${latencies.length}`);
  console.log(`smoke_errors=${errors}`);
  console.log(`smoke_closed_early=${Object.values(closedEarly).reduce((a, b) => a + b, 0)}`);
  for (const [code, count] of Object.entries(closedEarly)) console.log(`smoke_closed_${code}=${count}`);
  for (const [kind, count] of Object.entries(errorKinds)) console.error(`socket error ${kind}: ${count}`);
  console.log(`smoke_seconds=${seconds.toFixed(1)}`);
  console.log(`smoke_replies_per_s=${(latencies.length / seconds).toFixed(0)}`);
  console.log(`smoke_p50_ms=${at(0.5)}`);
  console.log(`smoke_p99_ms=${at(0.99)}`);
})();
