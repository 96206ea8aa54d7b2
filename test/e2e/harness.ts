/**
 * End-to-end harness: the real sync server process, the demo served by Vite, and Debian's Chromium driven
 * by playwright-core with one browser context per till (its own IndexedDB, its own network switch).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page, type WebSocketRoute } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { issueTillToken } from '../../sync-server/index.js';
import { repoRoot, startServer, tempDir, type ServerProcess } from '../node/sync-server/harness.js';

export const SECRET = 'e2e-secret-not-for-production';
const screenshotDir = join(repoRoot, 'test-output', 'e2e');

export interface Stack {
  server: ServerProcess;
  dataDir: string;
  demoUrl: string;
  browser: Browser;
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const dir = await tempDir('pos-e2e-');
  let server = await startServer({ dataDir: dir.path, env: { POS_SYNC_SECRET: SECRET } });
  const vite: ViteDevServer = await createServer({
    configFile: join(repoRoot, 'demo/vite.config.ts'),
    logLevel: 'error',
    server: { port: 0, host: '127.0.0.1', hmr: false },
  });
  await vite.listen();
  const address = vite.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite did not listen');
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  mkdirSync(screenshotDir, { recursive: true });
  // Vite transforms the demo's modules (and pre-bundles its dependencies) on the first request: done once
  // here, with time to spare on a busy machine, so no test's own timeouts pay for it.
  const warmup = await browser.newPage();
  await warmup.goto(`http://127.0.0.1:${address.port}/sell.html?store=warmup&till=warmup`);
  await warmup.waitForFunction(() => Boolean((document.getElementById('shop') as { handle?: unknown } | null)?.handle), undefined, { timeout: 120_000 });
  await warmup.close();
  const stack: Stack = {
    get server() {
      return server;
    },
    dataDir: dir.path,
    demoUrl: `http://127.0.0.1:${address.port}`,
    browser,
    async restartServer() {
      server = await startServer({ dataDir: dir.path, port: server.port, env: { POS_SYNC_SECRET: SECRET } });
    },
    async close() {
      await browser.close();
      await vite.close();
      if (server.child.exitCode === null) await server.kill('SIGTERM');
      await dir.remove();
    },
  };
  return stack;
}

/** One till: a browser context of its own (storage, network) with the demo's sell screen open. */
export class Till {
  private offline = false;
  private sockets = new Set<WebSocketRoute>();

  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly url: string,
  ) {}

  static async open(stack: Stack, storeId: string, till: string): Promise<Till> {
    const token = await issueTillToken({ secret: SECRET, store: storeId, till, ttlSeconds: 3600 });
    const context = await stack.browser.newContext({ viewport: { width: 1100, height: 800 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`[${till}] page error: ${error.message}`));
    const params = new URLSearchParams({ store: storeId, till, token, server: stack.server.url });
    const url = `${stack.demoUrl}/sell.html?${params}`;
    const t = new Till(till, context, page, url);
    // The till's network to the sync server: when "offline", every websocket it opens is refused.
    await context.routeWebSocket(/:\d+\/[A-Za-z0-9_-]+\?/, (ws) => {
      if (t.offline) {
        void ws.close({ code: 1006 });
        return;
      }
      ws.connectToServer();
      t.sockets.add(ws);
    });
    await page.goto(url);
    await t.waitForStore();
    return t;
  }

  async waitForStore(): Promise<void> {
    // Polled rather than awaiting `whenReady` inside the page: the demo may reopen its store as its settings
    // arrive, and a promise of a store it dropped is not one to hold the test on.
    await this.page.waitForFunction(() => {
      const handle = (document.getElementById('shop') as { handle?: { storage: { status: { mode: string } } } } | null)?.handle;
      return handle !== undefined && handle.storage.status.mode !== 'opening';
    });
  }

  async setOffline(offline: boolean): Promise<void> {
    this.offline = offline;
    if (offline) {
      for (const ws of this.sockets) await ws.close({ code: 1006 }).catch(() => undefined);
      this.sockets.clear();
    }
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitForStore();
  }

  /** What the sync badge says, e.g. "Online", "Offline · 2 changes waiting to sync". */
  syncStatus(): Locator {
    return this.page.locator('pos-sync-status [part="base"]');
  }

  /** Opens the picker and searches as a cashier types; returns the names listed. */
  async search(query: string): Promise<string[]> {
    await this.openPicker();
    const input = this.page.getByRole('combobox');
    await input.fill('');
    await input.pressSequentially(query);
    await this.page.waitForTimeout(50);
    return this.page.locator('pos-customer-picker [part~="customer-option"] [part="option-name"]').allInnerTexts();
  }

  async openPicker(): Promise<void> {
    if (await this.page.getByRole('combobox').isVisible()) return;
    await this.page.locator('pos-customer-picker [part="button"]').click();
    await this.page.getByRole('combobox').waitFor();
  }

  async closePicker(): Promise<void> {
    if (await this.page.getByRole('combobox').isVisible()) await this.page.keyboard.press('Escape');
    if (await this.page.getByRole('combobox').isVisible()) await this.page.keyboard.press('Escape');
  }

  /** Creates a customer from the picker with a name only, as in the POS popup; it becomes the cart's customer. */
  async createFromPicker(name: string): Promise<void> {
    await this.search(name);
    await this.page.getByRole('option', { name: /Create/ }).click();
    await this.page.locator('pos-customer-picker pos-customer-form').getByRole('button', { name: 'Save' }).click();
    await this.page.getByRole('combobox').waitFor({ state: 'hidden' });
  }

  /** Picks a customer by keyboard: type, arrow down to it, Enter. */
  async pick(query: string): Promise<void> {
    await this.search(query);
    await this.page.keyboard.press('ArrowDown');
    await this.page.keyboard.press('Enter');
    await this.page.getByRole('combobox').waitFor({ state: 'hidden' });
  }

  /** Edits the cart's customer in the form dialog: fills the labelled fields, then saves. */
  async editCustomer(fields: Record<string, string>): Promise<void> {
    await this.page.getByRole('button', { name: 'Edit customer' }).click();
    const form = this.page.locator('#form');
    for (const [label, value] of Object.entries(fields)) await form.getByLabel(label, { exact: true }).fill(value);
    await form.getByRole('button', { name: 'Save' }).click();
    await this.page.locator('#form-dialog').waitFor({ state: 'hidden' });
  }

  /** Adds an address to the cart's customer in the address dialog (it starts from the outlet address). */
  async addAddress(street: string, city: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Addresses' }).click();
    const editor = this.page.locator('#addresses');
    await editor.getByRole('button', { name: 'New address' }).click();
    await editor.getByLabel('Street', { exact: true }).fill(street);
    await editor.getByLabel('City', { exact: true }).fill(city);
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.getByText(street).first().waitFor();
    await this.page.locator('#close-addresses').click();
  }

  /** The customer as this till's store holds it (reading state to assert on; changes go through the UI). */
  async customer(
    query: string,
  ): Promise<{ firstName: string; lastName: string; email: string; phone: string; notes: string; deleted: boolean; streets: string[] } | undefined> {
    return this.page.evaluate((q) => {
      const store = (
        document.getElementById('shop') as unknown as {
          handle: { store: { search(q: string): { ids: string[] }; read(id: string): unknown; liveIds(): string[] } };
        }
      ).handle.store;
      const doc = (store as unknown as { doc: { getMap(n: string): { forEach(f: (v: unknown, k: string) => void): void } } }).doc;
      let found: Record<string, unknown> | undefined;
      doc.getMap('customers').forEach((_v, id) => {
        const read = store.read(id) as { ok: boolean; customer: Record<string, unknown> & { addresses: Array<{ street1: string }> } };
        const c = read.ok ? read.customer : undefined;
        if (c && `${c.firstName} ${c.lastName}`.toLowerCase().includes(q.toLowerCase())) found = { ...c, streets: c.addresses.map((a) => a.street1).sort() };
      });
      return found as never;
    }, query);
  }

  async screenshot(step: string): Promise<void> {
    await this.page.screenshot({ path: join(screenshotDir, `${step}-${this.name}.png`) });
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/**
 * The demo's store view (three tills side by side in one page) opened on a test's store in a context of its
 * own, so a person can look at what the tills showed at each step of a test.
 */
export async function openStoreView(stack: Stack, storeId: string): Promise<{ page: Page; screenshot(step: string): Promise<void>; close(): Promise<void> }> {
  const params = new URLSearchParams({ store: storeId, server: stack.server.url });
  for (const till of ['till-1', 'till-2', 'till-3'])
    params.set(`token-${till}`, await issueTillToken({ secret: SECRET, store: storeId, till, ttlSeconds: 3600 }));
  const context = await stack.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${stack.demoUrl}/store-view.html?${params}`);
  await page.locator('pos-sync-status [part="base"]').first().waitFor();
  return {
    page,
    screenshot: (step) => page.screenshot({ path: join(screenshotDir, `${step}-store-view.png`) }).then(() => undefined),
    close: () => context.close(),
  };
}

/** Polls until `check` holds, failing with `what` after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function uniqueStore(label: string): string {
  return `e2e-${label}-${Math.random().toString(36).slice(2, 8)}`;
}
