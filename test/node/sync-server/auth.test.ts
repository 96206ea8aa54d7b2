import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import {
  binPath,
  killAll,
  metrics,
  metricValue,
  openClient,
  openRawSocket,
  repoRoot,
  startServer,
  synced,
  tempDir,
  waitFor,
  type Client,
  type ServerProcess,
} from './harness.js';

const run = promisify(execFile);
const secret = 'test-secret-that-is-long-enough-0123456789';

async function tokenFromCli(store: string, till: string, extra: string[] = [], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [binPath, 'token', '--store', store, '--till', till, ...extra], {
    cwd: repoRoot,
    env: { ...process.env, POS_SYNC_SECRET: '', ...env },
  });
  return stdout.trim();
}

async function sign(claims: Record<string, unknown>, key: string, exp: number): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(exp).sign(new TextEncoder().encode(key));
}

describe('sync server: authentication', () => {
  let server: ServerProcess;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const clients: Client[] = [];

  before(async () => {
    dir = await tempDir();
    server = await startServer({ dataDir: dir.path, args: ['--secret', secret] });
  });

  after(async () => {
    for (const c of clients) c.destroy();
    await killAll();
    await dir.remove();
  });

  const expectRefused = async (path: string, code: number, reason: RegExp): Promise<void> => {
    const raw = await openRawSocket(`${server.url}/${path}`);
    const closed = await raw.closed;
    assert.equal(closed.code, code, `close code for ${path.replace(/token=[^&]+/, 'token=…')}`);
    assert.match(closed.reason, reason);
  };

  test('does not warn about missing authentication when a secret is set', () => {
    assert.equal(
      server.logs.some((line) => /AUTHENTICATION DISABLED/.test(line.msg)),
      false,
    );
  });

  test('a token printed by the `token` subcommand opens its store, and clients sync', async () => {
    const token = await tokenFromCli('store-a', 'till-1', ['--secret', secret, '--ttl', '1h']);
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const tokenFromEnv = await tokenFromCli('store-a', 'till-2', [], { POS_SYNC_SECRET: secret });
    const a = openClient(server.url, 'store-a', { params: { token } });
    const b = openClient(server.url, 'store-a', { params: { token: tokenFromEnv } });
    clients.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    a.doc.getMap('data').set('hello', 'from till-1');
    await waitFor(() => b.doc.getMap('data').get('hello') === 'from till-1', { what: 'authenticated sync' });
    assert.ok(server.logs.some((line) => line.msg === 'connection opened' && line.till === 'till-1' && line.store === 'store-a'));
  });

  test('a token for store A cannot open store B (4403), and the provider stops retrying', async () => {
    const token = await tokenFromCli('store-a', 'till-1', ['--secret', secret]);
    await expectRefused(`store-b?token=${token}`, 4403, /forbidden: token is for another store/);
    const c = openClient(server.url, 'store-b', { params: { token } });
    clients.push(c);
    const closed = await new Promise<{ code: number }>((resolve) => c.provider.once('closed', resolve));
    assert.equal(closed.code, 4403);
    assert.equal(c.provider.shouldConnect, false);
  });

  test('missing, expired, forged and malformed tokens are refused with 4401', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused('store-a', 4401, /token required/);
    await expectRefused(`store-a?token=${await sign({ store: 'store-a', till: 't' }, secret, now - 3600)}`, 4401, /token expired/);
    await expectRefused(
      `store-a?token=${await sign({ store: 'store-a', till: 't' }, 'another-secret-of-some-attacker-000000', now + 3600)}`,
      4401,
      /signature/,
    );
    await expectRefused('store-a?token=not.a.jwt', 4401, /token invalid/);
    await expectRefused(`store-a?token=${await sign({ store: 'store-a' }, secret, now + 3600)}`, 4401, /till/);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ store: 'store-a', till: 't', exp: now + 3600 })).toString('base64url')}.`;
    await expectRefused(`store-a?token=${unsigned}`, 4401, /token/);
  });

  test('an invalid store id is refused with 4400', async () => {
    const token = await tokenFromCli('store-a', 'till-1', ['--secret', secret]);
    await expectRefused(`bad.store?token=${token}`, 4400, /invalid store id/);
    await expectRefused(`${'x'.repeat(65)}?token=${token}`, 4400, /invalid store id/);
  });

  test('refusals are logged and counted, without logging the token', async () => {
    const refusals = server.logs.filter((line) => line.msg === 'connection refused');
    assert.ok(refusals.length >= 8);
    for (const line of refusals) assert.equal(JSON.stringify(line).includes('eyJ'), false);
    const text = await metrics(server);
    assert.ok((metricValue(text, 'pos_sync_auth_failures_total', '{reason="unauthorized"}') ?? 0) >= 6);
    assert.ok((metricValue(text, 'pos_sync_auth_failures_total', '{reason="forbidden"}') ?? 0) >= 2);
  });

  test('the token subcommand refuses to run without a secret', async () => {
    await assert.rejects(tokenFromCli('store-a', 'till-1'), (err: Error & { code?: number; stderr?: string }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr ?? '', /secret/);
      return true;
    });
  });
});
