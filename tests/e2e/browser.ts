import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';

/** Debian's Chromium (never a downloaded browser); CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: BROWSER_ARGS });
}

export interface WatchedPage {
  page: Page;
  /** Every pageerror and console.error seen so far: a test ends by asserting this is empty. */
  errors: string[];
}

export async function openPage(browser: Browser, path = '/', options: { acceptDownloads?: boolean; viewport?: { width: number; height: number } } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ acceptDownloads: options.acceptDownloads ?? true, viewport: options.viewport ?? { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  await page.goto(new URL(path, inject('baseUrl')).toString());
  return { page, errors };
}

/** Waits until the dataset is loaded and the map has rendered it (MapLibre "idle"). */
export async function waitForMapIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const handle = (window as unknown as { __maillage?: { app: { loading: boolean; dataset: unknown }; map?: unknown } }).__maillage;
    return !!handle?.map && handle.app.dataset !== null && !handle.app.loading;
  });
  await page.evaluate(() => (window as unknown as { __maillage: { whenIdle(): Promise<void> } }).__maillage.whenIdle());
}

/** One Chromium for the file's tests, closed after them. */
export function sharedBrowser(): () => Browser {
  let browser: Browser | null = null;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

/** A Région's page with one of its published organisations loaded as the open proposal. */
export async function openWithScenario(browser: Browser, regionCode: string, scenarioId: string): Promise<WatchedPage> {
  const watched = await openPage(browser, `/#r=${regionCode}`);
  const { page } = watched;
  await waitForMapIdle(page);
  await page.getByRole('button', { name: 'Proposition', exact: true }).click();
  await page.getByTestId('scenario-select').selectOption(scenarioId);
  await page.getByTestId('scenario-load').click();
  await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Scénario chargé');
  return watched;
}
