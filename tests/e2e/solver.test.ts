import { describe, expect, it } from 'vitest';
import { openWithScenario, sharedBrowser } from './browser';

const browser = sharedBrowser();

type Handle = {
  __maillage: {
    app: { establishments: { uai: string; sector: string }[] };
    planning: { plan: { id: string; assignment: Record<string, string>; zones: { members: string[] }[]; origin: { kind: string; report?: { violations: unknown[]; method: string } } } | null; summaries: unknown[] };
    solver: { running: boolean };
  };
};

describe('solver panel', () => {
  it('runs in a worker while the map stays usable, can be cancelled, and makes a new proposal with a report', async () => {
    const { page, errors } = await openWithScenario(browser(), '52', 'pdl-2025');
    const proposals = await page.evaluate(() => (window as unknown as Handle).__maillage.planning.summaries.length);

    await page.getByRole('button', { name: 'Solveur' }).click();
    await page.getByTestId('solver-departements').selectOption('free');

    // Cancel: the run stops and nothing is created.
    await page.getByTestId('solver-run').click();
    await page.getByTestId('solver-cancel').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as Handle).__maillage.solver.running)).toBe(false);
    expect(await page.evaluate(() => (window as unknown as Handle).__maillage.planning.summaries.length)).toBe(proposals);

    await page.getByTestId('solver-run').click();
    // The main thread answers while the worker solves.
    const started = Date.now();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(Date.now() - started).toBeLessThan(1000);
    await expect.poll(() => page.evaluate(() => (window as unknown as Handle).__maillage.planning.plan?.origin.kind), { timeout: 60_000 }).toBe('solver');
    await page.getByTestId('solver-report').waitFor();
    const result = await page.evaluate(() => {
      const { app, planning } = (window as unknown as Handle).__maillage;
      const publics = app.establishments.filter((e) => e.sector === 'public').map((e) => e.uai);
      return {
        covered: publics.every((uai) => planning.plan!.assignment[uai] !== undefined),
        zoned: planning.plan!.zones.reduce((n, z) => n + z.members.length, 0),
        publics: publics.length,
        method: planning.plan!.origin.report!.method,
        proposals: planning.summaries.length,
      };
    });
    expect(result.covered).toBe(true);
    expect(result.zoned).toBe(result.publics);
    expect(result.method).toContain('exact');
    expect(result.proposals).toBe(proposals + 1);
    const report = await page.getByTestId('solver-report').textContent();
    expect(report).toContain('Borne prouvée');
    expect(report).toMatch(/total \d+,\d h · moyen \d+ min · max (\d+ h )?\d+/);
    await expect.poll(() => page.getByTestId('solver-run').isEnabled()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('zones only keeps every lycée in its team, compares zones and flags those over the drive limit; the exact size limit states its memory', async () => {
    const { page, errors } = await openWithScenario(browser(), '52', 'pdl-2025');
    const before = await page.evaluate(() => ({ ...(window as unknown as Handle).__maillage.planning.plan!.assignment }));
    await page.getByRole('button', { name: 'Solveur' }).click();
    await page.getByTestId('solver-exact-max').fill('50000');
    await expect.poll(() => page.getByTestId('solver-exact-memory').textContent()).toContain('400 Mo');
    await page.getByTestId('solver-zone-max-drive').fill('20');
    await page.getByTestId('solver-zone-max-drive').dispatchEvent('change');
    await page.getByTestId('solver-zones-only').check();
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/solver-options.png` });
    await page.getByTestId('solver-run').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as Handle).__maillage.planning.plan?.origin.kind), { timeout: 60_000 }).toBe('solver');
    const after = await page.evaluate(() => (window as unknown as Handle).__maillage.planning.plan!.assignment);
    expect(after).toEqual(before);
    await page.getByTestId('solver-zone-comparison').waitFor();
    const long = await page.getByTestId('solver-zone-comparison').locator('.long').count();
    await page.getByTestId('solver-zone-comparison').scrollIntoViewIfNeeded();
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/solver-zones-only.png` });
    await page.getByRole('button', { name: 'Proposition' }).click();
    // Zones of the new proposal over 20 min are red in the zone list.
    const flagged = await page.getByTestId('zone-too-long').count();
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/zones-list.png` });
    expect(flagged).toBeGreaterThan(0);
    expect(long).toBeGreaterThanOrEqual(flagged);
    expect(errors).toEqual([]);
  });
});
