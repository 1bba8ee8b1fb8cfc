/**
 * The status page `/` in a real browser: Debian's headless Chromium, driven by playwright-core,
 * against an exporter collecting from `@aaisp/chaos-mock` (CHAOS and every line's CQM CSV). The
 * page loads with nothing but its own origin, shows every mock line with humanised rates and its
 * state in words (the mock's down and lossy lines need attention, and the verdict counts them),
 * reloads itself with JavaScript disabled, and shows the auth failure once the mock starts
 * refusing the credentials. Screenshots of both states go to `test-artifacts/`.
 *
 * Needs `/usr/bin/chromium` (Debian's `chromium` package; `.ci/run` installs it), or the path in
 * `CHROMIUM_PATH`. Without it the test fails: it is never skipped.
 */

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CREDENTIALS, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockAccount, testExporterConfig } from '../../harness/exporter-config.ts';
import { waitFor, waitForReady } from '../../harness/wait.ts';
import { type App, startApp } from '../../src/app.ts';
import { mockCqmLines } from '../../src/demo/demo.ts';
import { MIN_REFRESH_SECONDS } from '../../src/status-page/status-page.ts';
import { createLogger } from '../../src/telemetry/logger.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Chromium on a machine without outside network misbehaves (stalls, retries) without these. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Where the screenshots go (gitignored). */
const ARTIFACTS: string = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
/** A password no other fixture uses, so finding it on the page is a leak. */
const PASSWORD = 'Status-Page-S3cret!pw';
/** Postcodes of generated mock lines start with this; the page never shows postcodes. */
const POSTCODE_MARK = 'ZZ99';
const LINES = 12;
/** Each check reloads the page: ten a second is plenty. */
const PAGE_POLL = { intervalMs: 100 } as const;
/** The exporter's fast tier here: sub-second, so the page's refresh falls back to the configuration's floor. */
const FAST_SECONDS = 0.5;

describe('the status page in headless Chromium', () => {
  let mock: RunningChaosMock;
  let app: App;
  let browser: Browser;
  let page: Page;
  /** Every request the page tried to make outside the exporter's origin (all of them refused). */
  const foreign: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`,
      );
    }
    mock = await startChaosMock({
      lines: LINES,
      credentials: { controlLogin: DEFAULT_CREDENTIALS.controlLogin, controlPassword: PASSWORD },
    });
    const config = testExporterConfig(mock.url, {
      // Every line with its CQM link, as the demo has them: the mock's lossy lines show as such.
      accounts: [{ ...mockAccount('default', PASSWORD), cqm: mockCqmLines(mock) }],
      logging: { level: 'warn', format: 'json' },
      intervals: { fastSeconds: FAST_SECONDS, mediumSeconds: 1, slowSeconds: 2, cqmSeconds: 300 },
      api: { baseUrl: mock.url, timeoutSeconds: 1, maxRetries: 0, concurrencyLimit: 5 },
    });
    const logger = createLogger(config.logging, { destination: { write: () => undefined } });
    app = await startApp(config, {
      logger,
      version: '0.0.0-browser',
      demo: false,
      timing: { staggerMs: 50, authBackoffMs: 500 },
    });
    await waitForReady(app.url, { limitMs: 15_000 });

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const origin = new URL(app.url).origin;
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      foreign.push(url);
      return route.abort('blockedbyclient');
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await mkdir(ARTIFACTS, { recursive: true });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await mock?.close();
  });

  /** Loads `/` afresh; returns the page's text and its HTML. */
  async function load(): Promise<{ text: string; html: string }> {
    const response = await page.goto(`${app.url}/`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    return { text: (await page.locator('body').textContent()) ?? '', html: await page.content() };
  }

  /** The lines table's column headers, in order. */
  async function columns(): Promise<string[]> {
    return page.locator('main table').first().locator('thead th').allTextContents();
  }

  it('shows every mock line with humanised rates and its state, from its own origin only', async () => {
    const ids = mock.lines().map((line) => line.info.ID);
    expect(ids).toHaveLength(LINES);
    const { text, html } = await waitFor(
      'every line on the page, with its CQM figures',
      async () => {
        const loaded = await load();
        const cqmIn = loaded.text.includes('Loss (CQM)');
        return cqmIn && ids.every((id) => loaded.text.includes(id)) ? loaded : undefined;
      },
      PAGE_POLL,
    );

    const head = await columns();
    // The mock's choice titles are "POSTCODE LOGIN": no line has a name, so there is no Name column.
    expect(head).not.toContain('Name');
    const download = head.indexOf('Download');
    const stateColumn = head.indexOf('State');
    expect(download).toBeGreaterThan(0);
    expect(stateColumn).toBeGreaterThan(0);

    const rows = page.locator('main table').first().locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(LINES);
    const lineCells = await rows.locator('th').allTextContents();
    expect(lineCells.sort()).toEqual([...ids].sort());
    // Every line's download cell is humanised, e.g. "80.0 Mbit/s" (a line that is down shows 0 bit/s),
    // except on the mock's lines without tx_rate (32007, as in docs/chaos-api.md §11.1): "– *", not
    // 0, saying why on hover and in a footnote.
    const noDownload = new Set(
      mock
        .lines()
        .filter((line) => line.info.tx_rate === undefined)
        .map((line) => line.info.ID),
    );
    expect([...noDownload]).toEqual(['32007']);
    const states = new Map<string, string>();
    for (const row of await rows.all()) {
      const id = (await row.locator('th').textContent()) ?? '';
      const cells = row.locator('th, td');
      const cell = cells.nth(download);
      if (noDownload.has(id)) {
        expect(await cell.textContent()).toBe('– *');
        expect(await cell.getAttribute('title')).toContain('CHAOS reports no download sync rate (tx_rate)');
      } else {
        expect(await cell.textContent()).toMatch(/^(\d+\.\d (k|M|G)bit\/s|0 bit\/s)$/);
      }
      states.set(id, (await cells.nth(stateColumn).textContent()) ?? '');
    }
    const footnote = page.locator('p.note', { hasText: 'Line 32007:' });
    expect(await footnote.isVisible()).toBe(true);
    expect(await footnote.textContent()).toContain(
      '* Line 32007: CHAOS reports no download sync rate (tx_rate)',
    );

    // Each row's state in words. The mock's down line (sync 0) and lossy line (20 % of echoes lost)
    // need attention, with the reason and the alert's threshold.
    for (const state of states.values()) expect(state).toMatch(/^(Needs attention|Unknown|OK)\b/);
    expect(mock.lines().find((line) => line.info.ID === '32003')?.info.tx_rate).toBe('0');
    expect(states.get('32003')).toMatch(/^Needs attention: .*no sync: download sync rate 0 bit\/s/);
    expect(states.get('32002')).toBe(
      'Needs attention: loss 20 % of echoes in the newest 15 min of CQM samples (alert above 5 %)',
    );
    const needing = [...states.values()].filter((state) => state.startsWith('Needs attention')).length;
    expect(needing).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.verdict').textContent()).toBe(
      `Problem: ${needing} of ${LINES} lines need attention`,
    );

    expect(text).toMatch(/\d+\.\d Mbit\/s/);
    expect(text).toMatch(/\d+\.\d GB left of \d+\.\d GB/);
    expect(text).toContain('unlimited or no quota');
    for (const secret of [PASSWORD, POSTCODE_MARK, ...mock.cqmUrls().values()]) {
      expect(text).not.toContain(secret);
      expect(html).not.toContain(secret);
    }

    await page.screenshot({ path: `${ARTIFACTS}status-page.png`, fullPage: true });
    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 60_000);

  it('reloads itself every fast-tier interval with JavaScript disabled', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const plain = await context.newPage();
      const pageUrl = `${app.url}/`;
      await plain.goto(pageUrl, { waitUntil: 'load' });
      const refresh = await plain.locator('meta[http-equiv="refresh"]').getAttribute('content');
      expect(refresh).toBe(String(Math.max(MIN_REFRESH_SECONDS, Math.round(FAST_SECONDS))));
      expect(await plain.locator('.verdict').textContent()).toMatch(
        new RegExp(`^Problem: \\d+ of ${LINES} lines need attention$`),
      );
      expect(await plain.locator('footer').textContent()).toContain(
        `the page reloads itself every ${refresh} s`,
      );
      // The page asks for itself again with no script and no navigation by the test.
      const again = await plain.waitForRequest(
        (request) => request.url() === pageUrl && request.isNavigationRequest(),
      );
      expect(again.method()).toBe('GET');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows the auth failure once CHAOS refuses the credentials, with no secret on the page', async () => {
    mock.setScenario('auth-fail');
    const fast = page.locator('main table tbody tr', { has: page.locator('th', { hasText: /^fast$/ }) });
    // The tiers meet the refusal one after another: reload until the fast tier shows it.
    const { text, html } = await waitFor(
      'the auth failure on the page',
      async () => {
        const loaded = await load();
        const row = (await fast.textContent()) ?? '';
        return /FAILING[\s\S]*auth: .*Control authorisation failed/.test(row) ? loaded : undefined;
      },
      PAGE_POLL,
    );
    expect(await page.locator('.verdict').textContent()).toMatch(
      /^Problem: tiers? failing: .*auth: .*Control authorisation failed/,
    );
    for (const secret of [PASSWORD, POSTCODE_MARK]) {
      expect(text).not.toContain(secret);
      expect(html).not.toContain(secret);
    }

    await page.screenshot({ path: `${ARTIFACTS}status-page-auth-fail.png`, fullPage: true });
    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
