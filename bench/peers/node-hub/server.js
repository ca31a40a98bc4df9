'use strict';
// The agent protocol (docs/agent-protocol.md) served the way the Node backend would serve it:
// ws + pg, one pg.Pool, one query per request, nothing batched. The benchmark's baseline.
// Like our hub it sends task.open (the agent's open tasks) right after the token is accepted.
//   node server.js --port 8765 --database-url postgresql://user@localhost:5432/ccpm[?host=/socket/dir]
const crypto = require('node:crypto');
const http = require('node:http');
const fs = require('node:fs');
const { parseArgs } = require('node:util');
const { WebSocketServer } = require('ws');
const pg = require('pg');

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT || '8765' },
    'database-url': { type: 'string', default: process.env.DATABASE_URL },
    'pool-max': { type: 'string', default: '10' },
    'stats-file': { type: 'string' },
  },
});
if (!args['database-url']) {
  console.error('usage: node server.js --port P --database-url postgresql://... [--pool-max N] [--stats-file F]');
  process.exit(2);
}

// TIMESTAMP(3) columns hold UTC wall-clock time (as Prisma writes it): read them as UTC.
pg.types.setTypeParser(1114, (text) => new Date(text.replace(' ', 'T') + 'Z'));
const pool = new pg.Pool({ connectionString: args['database-url'], max: Number(args['pool-max']) });
pool.on('error', (err) => console.error('pg pool:', err.message));

const NOW = `(now() AT TIME ZONE 'UTC')`;
const TASK = `t."id", t."title", t."description", t."status", t."priority", t."progress",
  u."username" AS "createdBy", t."metadata", t."createdAt", t."updatedAt", t."completedAt"`;
const MAX_TEXT = 10000;

class RpcError extends Error {
  constructor(code, message, data) { super(message); this.code = code; this.data = data; }
}
const invalid = (what) => new RpcError(-32602, `Invalid params: ${what}`);
const refusals = { 4401: 'The agent token is not valid.', 4403: 'The agent token has been revoked.', 1011: 'cannot check the token now' };

// Guarded transitions: the WHERE clause is the check, so concurrent writers cannot both win.
// $1 task id, $2 agent id, $3 and on: the method's values (transitionValues).
const transitions = {
  'task.accept': { verb: 'accept', from: ['ASSIGNED'], claimsPending: true,
    set: `"status" = 'IN_PROGRESS', "assignedTo" = $2` },
  'task.progress': { verb: 'report progress on', from: ['IN_PROGRESS'],
    set: `"progress" = $3, "metadata" = "metadata" || $4::jsonb` },
  'task.complete': { verb: 'complete', from: ['ASSIGNED', 'IN_PROGRESS'],
    set: `"status" = 'COMPLETED', "progress" = 100, "completedAt" = ${NOW}, "metadata" = "metadata" || $3::jsonb` },
  'task.fail': { verb: 'fail', from: ['ASSIGNED', 'IN_PROGRESS'],
    set: `"status" = 'FAILED', "metadata" = "metadata" || $3::jsonb` },
  'task.release': { verb: 'release', from: ['ASSIGNED', 'IN_PROGRESS'],
    set: `"status" = 'PENDING', "assignedTo" = NULL` },
};

function transitionValues(method, params) {
  switch (method) {
    case 'task.progress': {
      const { progress, note } = params;
      if (!Number.isInteger(progress) || progress < 0 || progress > 100) throw invalid('"progress" must be a whole number from 0 to 100');
      if (note != null && (typeof note !== 'string' || note.length > MAX_TEXT)) throw invalid(`"note" must be a string of at most ${MAX_TEXT} characters`);
      return [progress, JSON.stringify(note != null ? { progressNote: note } : {})];
    }
    case 'task.complete':
      return [JSON.stringify(params.result !== undefined ? { result: params.result } : {})];
    case 'task.fail':
      if (typeof params.reason !== 'string' || !params.reason.trim() || params.reason.length > MAX_TEXT) throw invalid(`"reason" must be a non-empty string of at most ${MAX_TEXT} characters`);
      return [JSON.stringify({ failureReason: params.reason })];
    default:
      return [];
  }
}

async function transition(agentId, method, params) {
  const t = transitions[method];
  const taskId = params.taskId;
  if (typeof taskId !== 'string' || !taskId || taskId.length > 64) throw invalid('"taskId" must be a task id (a string)');
  const values = [taskId, agentId, ...transitionValues(method, params)];
  let guard = `"assignedTo" = $2 AND "status" IN (${t.from.map((s) => `'${s}'`).join(', ')})`;
  if (t.claimsPending) guard = `(${guard} OR ("assignedTo" IS NULL AND "status" = 'PENDING'))`;
  const { rows } = await pool.query(
    `WITH t AS (UPDATE "tasks" SET ${t.set}, "updatedAt" = ${NOW} WHERE "id" = $1 AND ${guard} RETURNING *)
     SELECT ${TASK} FROM t LEFT JOIN "users" u ON u."id" = t."createdBy"`, values);
  if (rows.length) return { task: rows[0] };
  const { rows: [task] } = await pool.query('SELECT "status", "assignedTo" FROM "tasks" WHERE "id" = $1', [taskId]);
  if (!task || task.assignedTo !== agentId) throw new RpcError(-32002, `No task ${taskId} is assigned to this agent.`);
  throw new RpcError(-32003, `Cannot ${t.verb} a task that is ${task.status} (it must be ${t.from.join(' or ')}).`, { status: task.status });
}

async function call(agentId, method, params) {
  if (method === 'agent.hello') return { agentId, protocol: 'ccpm.agent.v1' };
  if (method === 'agent.setStatus') {
    if (!['ACTIVE', 'BUSY', 'INACTIVE'].includes(params.status)) throw invalid('"status" must be one of ACTIVE, BUSY, INACTIVE');
    const { rows: [agent] } = await pool.query(
      `UPDATE "agents" SET "status" = $1::"AgentStatus", "updatedAt" = ${NOW}, "lastSeenAt" = ${NOW}
       WHERE "id" = $2 RETURNING "id" AS "agentId", "status", "lastSeenAt"`, [params.status, agentId]);
    return agent;
  }
  if (method === 'task.list') {
    const status = params.status ?? null;
    if (status !== null && !['PENDING', 'ASSIGNED', 'IN_PROGRESS', 'COMPLETED', 'FAILED'].includes(status)) throw invalid('"status" must be one of PENDING, ASSIGNED, IN_PROGRESS, COMPLETED, FAILED');
    const { rows } = await pool.query(
      `SELECT ${TASK} FROM "tasks" t LEFT JOIN "users" u ON u."id" = t."createdBy"
       WHERE t."assignedTo" = $1 AND ($2::"TaskStatus" IS NULL OR t."status" = $2) ORDER BY t."createdAt" DESC`, [agentId, status]);
    return { tasks: rows };
  }
  if (transitions[method]) return transition(agentId, method, params);
  throw new RpcError(-32601, `Method not found: ${method}`);
}

// task.open, sent once right after the token is accepted (as our hub's AgentNotifier does): the
// agent's open tasks, oldest first. null when they cannot be read (logged, nothing sent).
async function openTasks(agentId) {
  try {
    const { rows } = await pool.query(
      `SELECT ${TASK} FROM "tasks" t LEFT JOIN "users" u ON u."id" = t."createdBy"
       WHERE t."assignedTo" = $1 AND t."status" IN ('PENDING', 'ASSIGNED', 'IN_PROGRESS')
       ORDER BY t."createdAt", t."id"`, [agentId]);
    return JSON.stringify({ jsonrpc: '2.0', method: 'task.open', params: { tasks: rows } });
  } catch (err) {
    console.error(`cannot read the open tasks of ${agentId}:`, err.message);
    return null;
  }
}

// One message in, at most one reply out (notifications, without "id", are not answered).
async function handle(agentId, data, isBinary) {
  let request;
  try {
    if (isBinary) throw new RpcError(-32600, 'Invalid Request: binary frames are not supported');
    try { request = JSON.parse(data.toString('utf8')); } catch (e) { throw new RpcError(-32700, `Parse error: ${e.message}`); }
    if (Array.isArray(request)) { request = undefined; throw new RpcError(-32600, 'Invalid Request: batch requests are not supported'); }
    if (request === null || typeof request !== 'object' || request.jsonrpc !== '2.0' || typeof request.method !== 'string') {
      throw new RpcError(-32600, 'Invalid Request: "jsonrpc" must be "2.0" and "method" a string');
    }
    const params = request.params ?? {};
    if (typeof params !== 'object' || Array.isArray(params)) throw invalid('params must be an object');
    const result = await call(agentId, request.method, params);
    return request.id === undefined ? null : { jsonrpc: '2.0', id: request.id, result };
  } catch (err) {
    if (request && request.id === undefined && err.code !== -32600) return null;
    const error = err instanceof RpcError ? { code: err.code, message: err.message } : { code: -32000, message: `Database error: ${err.message}` };
    if (err.data) error.data = err.data;
    return { jsonrpc: '2.0', id: request?.id ?? null, error };
  }
}

// Returns the token's agent id, or a close code: 4401 unknown, 4403 revoked, 1011 no database.
async function authenticate(token) {
  if (!token) return 4401;
  const hash = crypto.createHash('sha256').update(token).digest('hex');
  try {
    const { rows } = await pool.query(
      `UPDATE "agent_tokens" SET "lastUsedAt" = ${NOW} WHERE "tokenHash" = $1 AND "revokedAt" IS NULL RETURNING "agentId"`, [hash]);
    if (rows.length) return rows[0].agentId;
    const revoked = await pool.query('SELECT 1 FROM "agent_tokens" WHERE "tokenHash" = $1', [hash]);
    return revoked.rows.length ? 4403 : 4401;
  } catch (err) {
    console.error('cannot check a token:', err.message);
    return 1011;
  }
}

const server = http.createServer((req, res) => res.writeHead(426).end('WebSocket only\n'));
const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
const live = new Map(); // agentId -> its one live connection
const closing = new Set(); // promises of the INACTIVE writes still running
let requests = 0;

server.on('upgrade', async (req, socket, head) => {
  const onError = () => socket.destroy(); // a peer that resets mid-check must not crash the process
  socket.on('error', onError);
  if (req.headers.origin) { socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'); return; }
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization || '');
  let agent = bearer ? await authenticate(bearer[1]) : null;
  socket.removeListener('error', onError);
  if (socket.destroyed) return;
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.lastHeard = Date.now();
    ws.on('pong', () => { ws.lastHeard = Date.now(); });
    if (typeof agent === 'number') { ws.close(agent, refusals[agent]); return; }
    const hello = agent ? null : setTimeout(() => ws.close(4401, 'no agent.hello in time'), 10000);
    let queue = Promise.resolve(); // requests run one at a time, in arrival order
    // Accepting the token sends task.open before anything else on the connection: it runs in the
    // connection's queue, so the replies to requests that arrive meanwhile come after it.
    const welcome = async (agentId) => {
      const notification = await openTasks(agentId);
      if (notification && ws.readyState === ws.OPEN) ws.send(notification);
    };
    const accept = (agentId) => {
      agent = agentId;
      const older = live.get(agentId);
      if (older) { older.replaced = true; older.close(4409, 'replaced by a newer connection'); }
      live.set(agentId, ws);
    };
    if (agent) { accept(agent); queue = queue.then(() => welcome(agent)).catch((err) => console.error(`agent ${agent}:`, err)); }
    ws.on('message', (data, isBinary) => {
      ws.lastHeard = Date.now();
      queue = queue.then(async () => {
        if (!agent) { // no header: the first request must be agent.hello with the token
          if (ws.readyState !== ws.OPEN) return;
          let req = null;
          try { req = JSON.parse(data); } catch { /* refused below */ }
          const result = req?.method === 'agent.hello' ? await authenticate(req.params?.token) : 4401;
          clearTimeout(hello);
          if (typeof result === 'number') { ws.close(result, refusals[result]); return; }
          accept(result);
          await welcome(result);
          if (req.id !== undefined && ws.readyState === ws.OPEN) ws.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: { agentId: result, protocol: 'ccpm.agent.v1' } }));
          return;
        }
        const reply = await handle(agent, data, isBinary);
        requests++;
        if (reply && ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
      }).catch((err) => console.error(`agent ${agent}:`, err)); // keeps the queue going
    });
    ws.on('close', () => {
      clearTimeout(hello);
      if (!agent || typeof agent === 'number') return;
      if (live.get(agent) === ws) live.delete(agent);
      if (ws.replaced) return;
      const done = queue.then(() => pool.query(
        `UPDATE "agents" SET "status" = 'INACTIVE', "updatedAt" = ${NOW}, "lastSeenAt" = ${NOW} WHERE "id" = $1`, [agent]))
        .catch((err) => console.error(`cannot mark agent ${agent} inactive:`, err.message))
        .finally(() => closing.delete(done));
      closing.add(done);
    });
  });
});

// Heartbeat: a ping every 15 s; a connection silent for 45 s is closed with 4408.
const heartbeat = setInterval(() => {
  for (const ws of wss.clients) {
    if (Date.now() - ws.lastHeard > 45000) {
      ws.close(4408, 'no answer to pings');
      setTimeout(() => ws.terminate(), 5000).unref();
    } else ws.ping();
  }
}, 15000);

function stats() {
  const cpu = process.cpuUsage();
  return [
    `node_cpu_s=${((cpu.user + cpu.system) / 1e6).toFixed(2)}`,
    `node_rss_mb=${(process.memoryUsage().rss / 1048576).toFixed(1)}`,
    `node_maxrss_mb=${(process.resourceUsage().maxRSS / 1024).toFixed(1)}`, // maxRSS is in KiB
    `node_requests=${requests}`,
  ].join('\n') + '\n';
}

async function shutdown() {
  clearInterval(heartbeat);
  server.close();
  for (const ws of wss.clients) ws.close(1001, 'the hub is shutting down');
  const deadline = setTimeout(() => { for (const ws of wss.clients) ws.terminate(); }, 3000);
  while (wss.clients.size || closing.size) {
    await Promise.all(closing);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  clearTimeout(deadline);
  await pool.end();
  const figures = stats();
  process.stdout.write(figures);
  if (args['stats-file']) fs.writeFileSync(args['stats-file'], figures);
  process.exit(0);
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

server.listen(Number(args.port), '127.0.0.1', () => {
  console.log(`listening on ws://127.0.0.1:${server.address().port}/`);
});
