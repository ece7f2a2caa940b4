import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openWithScenario, sharedBrowser, waitForMapIdle } from './browser';

const browser = sharedBrowser();

type Handle = {
  __maillage: {
    map: { project(p: [number, number]): { x: number; y: number }; getContainer(): HTMLElement };
    planning: { plan: { assignment: Record<string, string>; teams: { id: string; name: string }[] } | null; metrics: { teams: { name: string; lycees: number }[] } | null; flush(): Promise<void> };
  };
};

async function teamLycees(page: Page, name: string): Promise<number> {
  return page.evaluate((n) => (window as unknown as Handle).__maillage.planning.metrics?.teams.find((t) => t.name === n)?.lycees ?? -1, name);
}

describe('planning a Région', () => {
  it('loads the PdL scenario, lasso-assigns, undoes, redoes, survives a reload and imports a PC park', async () => {
    const { page, errors } = await openWithScenario(browser(), '52', 'pdl-2025');
    expect(await page.getByTestId('team-row').count()).toBe(7);
    expect(await teamLycees(page, 'Mayenne')).toBe(18);

    // Make "Secteur 4" active, then draw a polygon around Nantes (city centre lycées).
    await page.locator('[data-team="Secteur 4 (non publié)"]').click();
    const corners = await page.evaluate(() => {
      const map = (window as unknown as Handle).__maillage.map;
      const box = map.getContainer().getBoundingClientRect();
      return ([[-1.62, 47.26], [-1.50, 47.26], [-1.50, 47.19], [-1.62, 47.19]] as [number, number][]).map((c) => {
        const p = map.project(c);
        return { x: box.left + p.x, y: box.top + p.y };
      });
    });
    await page.getByTestId('polygon').click();
    await expect.poll(() => page.getByTestId('polygon').textContent()).toContain('revenez au 1er point');
    for (const c of corners) await page.mouse.click(c.x, c.y);
    await page.mouse.click(corners[0].x, corners[0].y);
    await expect.poll(async () => Number(await page.getByTestId('selection-count').textContent())).toBeGreaterThan(3);
    const picked = Number(await page.getByTestId('selection-count').textContent());
    await page.getByTestId('assign-selection').click();
    await expect.poll(() => teamLycees(page, 'Secteur 4 (non publié)')).toBe(picked);

    await page.locator('[data-team="Secteur 5 (non publié)"]').click();
    await page.getByRole('button', { name: '+ Équipe' }).click();
    expect(await page.getByTestId('team-row').count()).toBe(8);
    await page.getByTestId('undo').click();
    await page.getByTestId('undo').click();
    expect(await page.getByTestId('team-row').count()).toBe(7);
    expect(await teamLycees(page, 'Secteur 4 (non publié)')).toBe(0);
    await page.getByTestId('redo').click();
    expect(await teamLycees(page, 'Secteur 4 (non publié)')).toBe(picked);
    const row = page.locator('[data-team="Secteur 4 (non publié)"] [data-testid="team-lycees"]');
    expect(await row.textContent()).toBe(String(picked));

    await page.evaluate(() => (window as unknown as Handle).__maillage.planning.flush());
    await page.reload();
    await waitForMapIdle(page);
    await page.getByRole('button', { name: 'Proposition' }).click();
    await expect.poll(() => teamLycees(page, 'Secteur 4 (non publié)')).toBe(picked);
    expect(await page.getByTestId('proposal-select').textContent()).toContain('Pays de la Loire');

    const csv = 'UAI;Nombre de PC\n0490003M;850\n04921235;120\n0490001K;-3\n0490002L;abc\n0440001M;400\n0490003M;12\n';
    await page.getByTestId('pc-file').setInputFiles({ name: 'parc.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await expect.poll(() => page.getByTestId('pc-accepted').textContent()).toBe('2');
    expect(await page.getByTestId('pc-rejected').textContent()).toBe('4');
    const rejections = await page.getByTestId('pc-rejections').textContent();
    expect(rejections).toContain('0492123S');
    expect(rejections).toContain('négatif');
    expect(rejections).toContain('en double');
    await page.getByTestId('pc-apply').click();
    const park = await page.evaluate(() => (window as unknown as { __maillage: { planning: { plan: { pcPark: Record<string, { count: number }> } } } }).__maillage.planning.plan.pcPark);
    expect(Object.fromEntries(Object.entries(park).map(([k, v]) => [k, v.count]))).toEqual({ '0490003M': 850, '0440001M': 400 });
    expect(errors).toEqual([]);
  });
});
