#!/usr/bin/env node
// `npm start`: the product on one machine — the sync server (LevelDB store on disk under .data/) and the
// demo (Vite) — with a development secret and a token for each demo till, so auth is on as in a shop.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dataDir = join(root, '.data');
mkdirSync(dataDir, { recursive: true });

// One secret per checkout, kept so tokens and stored tills survive restarts.
const secretFile = join(dataDir, 'dev-secret');
if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
const secret = readFileSync(secretFile, 'utf8').trim();

const syncPort = process.env.POS_SYNC_PORT ?? '4455';
const demoPort = process.env.POS_DEMO_PORT ?? '5173';
const host = process.env.POS_HOST ?? '127.0.0.1';
const storeId = 'demo-store';
const tills = ['till-1', 'till-2', 'till-3', 'back-office'];
const serverBin = join(root, 'sync-server/bin/pos-sync-server.js');

const tokens = Object.fromEntries(
  tills.map((till) => [
    till,
    execFileSync('node', [serverBin, 'token', '--store', storeId, '--till', till, '--secret', secret, '--ttl', '7d'], { encoding: 'utf8' }).trim(),
  ]),
);

const children = [];
function start(name, cmd, args, env = {}) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  child.on('exit', (code, signal) => {
    console.log(`${name} stopped (${signal ?? code})`);
    shutdown(code ?? 1);
  });
  children.push(child);
}

let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

start('sync server', 'node', [serverBin, '--port', syncPort, '--host', host, '--data', join(dataDir, 'sync-server')], { POS_SYNC_SECRET: secret });
start(
  'demo',
  'node',
  [join(root, 'node_modules/vite/bin/vite.js'), '--config', join(root, 'demo/vite.config.ts'), '--port', demoPort, '--host', host, '--strictPort'],
  {
    POS_DEMO_CONFIG: JSON.stringify({ server: `ws://${host}:${syncPort}`, storeId, tokens }),
  },
);

console.log(`\n  pos-customers demo: http://${host}:${demoPort}/  (sync server ws://${host}:${syncPort}, data in .data/)\n`);
