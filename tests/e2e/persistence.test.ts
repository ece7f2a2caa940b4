import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { BROWSER_ARGS, CHROMIUM_PATH, sharedBrowser, waitForMapIdle } from './browser';

const browser = sharedBrowser();

type Handle = {
  __maillage: {
    planning: {
      plan: { id: string; name: string; teams: unknown[] } | null;
      summaries: { id: string }[];
      saveState: { kind: string } | null;
      saveProgress: { edits: number; stored: number };
      flush(): Promise<void>;
    };
  };
};

const planning = (page: Page) => page.evaluate(() => {
  const p = (window as unknown as Handle).__maillage.planning;
  return { id: p.plan?.id ?? null, teams: p.plan?.teams.length ?? -1, proposals: p.summaries.length, save: p.saveState?.kind ?? null, progress: p.saveProgress };
});

function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  return errors;
}

async function openPdl(context: BrowserContext, errors: string[][]): Promise<Page> {
  const page = await context.newPage();
  errors.push(watch(page));
  await page.goto(new URL('/#r=52', inject('baseUrl')).toString());
  await waitForMapIdle(page);
  await page.getByRole('button', { name: 'Proposition' }).click();
  return page;
}

async function loadScenario(page: Page): Promise<void> {
  await page.getByTestId('scenario-select').selectOption('pdl-2025');
  await page.getByTestId('scenario-load').click();
  await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Scénario chargé');
}

const addTeam = (page: Page) => page.getByRole('button', { name: '+ Équipe' }).click();

describe('saving the planner’s work', () => {
  it('two tabs of one profile: each sees the other’s edits, none is lost, a deletion closes the proposal', async () => {
    const context = await browser().newContext({ viewport: { width: 1400, height: 900 } });
    const errors: string[][] = [];
    const tab1 = await openPdl(context, errors);
    await loadScenario(tab1);
    const tab2 = await openPdl(context, errors);
    const opened = await planning(tab1);
    await expect.poll(async () => (await planning(tab2)).id).toBe(opened.id);
    expect(opened.teams).toBe(7);

    await addTeam(tab1);
    await expect.poll(async () => (await planning(tab2)).teams).toBe(8);
    await expect.poll(() => tab2.getByTestId('notice').textContent()).toContain('modifiée dans un autre onglet');
    await addTeam(tab2);
    await expect.poll(async () => (await planning(tab1)).teams).toBe(9);
    await tab1.evaluate(() => (window as unknown as Handle).__maillage.planning.flush());

    // Both edits are in the store: a third tab opens them.
    const tab3 = await openPdl(context, errors);
    await expect.poll(async () => (await planning(tab3)).teams).toBe(9);
    // The undo history came with the stored proposal.
    await tab3.getByTestId('undo').click();
    expect((await planning(tab3)).teams).toBe(8);
    await expect.poll(async () => (await planning(tab1)).teams).toBe(8);
    await tab3.close();

    await tab1.getByRole('button', { name: 'Supprimer', exact: true }).click();
    await tab1.getByTestId('confirm-delete').click();
    await expect.poll(async () => (await planning(tab2)).id).toBeNull();
    await expect.poll(() => tab2.getByTestId('notice').textContent()).toContain('supprimée dans un autre onglet');
    expect(errors.flat()).toEqual([]);
    await context.close();
  });

  it('a failed write is reported, keeps the edits, asks before they are dropped, and is retried', async () => {
    const context = await browser().newContext({ viewport: { width: 1400, height: 900 } });
    const errors: string[][] = [];
    const page = await openPdl(context, errors);
    await loadScenario(page);
    await page.getByRole('button', { name: 'Nouvelle' }).click();
    await expect.poll(async () => (await planning(page)).proposals).toBe(2);
    const blank = (await planning(page)).id;

    // The browser refuses the next write, as when its storage is full; the autosave writes from its worker.
    const writer = page.workers().find((w) => w.url().includes('store.worker'));
    expect(writer).toBeDefined();
    await writer!.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function () {
        IDBObjectStore.prototype.put = put;
        throw new DOMException('Quota exceeded', 'QuotaExceededError');
      };
    });
    await addTeam(page);
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-state')).toBe('error');
    await expect.poll(() => page.getByTestId('save-status').textContent()).toContain('Modifications non enregistrées');
    await addTeam(page);
    expect((await planning(page)).teams).toBe(2);

    const other = await page.evaluate((id) => (window as unknown as Handle).__maillage.planning.summaries.find((s) => s.id !== id)!.id, blank);
    await page.getByTestId('proposal-select').selectOption(other);
    await expect.poll(() => page.getByTestId('save-confirm').textContent()).toContain('ne sont pas enregistrées');
    await page.getByRole('button', { name: 'Rester sur la proposition ouverte' }).click();
    expect((await planning(page)).id).toBe(blank);

    await page.getByRole('button', { name: 'Réessayer' }).click();
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-state')).toBe('saved');
    await page.reload();
    await waitForMapIdle(page);
    await page.getByRole('button', { name: 'Proposition' }).click();
    await page.getByTestId('proposal-select').selectOption(blank!);
    await expect.poll(async () => (await planning(page)).teams).toBe(2);
    expect(errors.flat()).toEqual([]);
    await context.close();
  });

  it('30 quick edits then a browser crash: every edit acknowledged as saved is there after restart', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'maillage-profile-'));
    const launch = () => chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: BROWSER_ARGS, viewport: { width: 1400, height: 900 } });
    try {
      let context = await launch();
      const errors: string[][] = [];
      let page = await openPdl(context, errors);
      await loadScenario(page);
      await page.getByRole('button', { name: 'Nouvelle' }).click();
      await expect.poll(async () => (await planning(page)).teams).toBe(0);
      for (let i = 0; i < 30; i++) await addTeam(page);
      await page.waitForTimeout(100);
      const { progress } = await planning(page);
      expect(progress.edits).toBe(30);
      // SIGKILL: no unload handler, no clean shutdown of the browser.
      execFileSync('pkill', ['-KILL', '-f', profile]);
      await context.close().catch(() => undefined);

      context = await launch();
      page = await openPdl(context, errors);
      const after = await planning(page);
      expect(after.teams).toBeGreaterThanOrEqual(progress.stored);
      expect(after.teams).toBeLessThanOrEqual(30);
      console.log(`crash after 30 edits: ${progress.stored} acknowledged, ${after.teams} found after restart`);
      expect(errors.flat()).toEqual([]);
      await context.close();
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
