import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openPage, sharedBrowser, waitForMapIdle } from './browser';
import type { RegionDataset } from '../../src/core/model/establishment';

const browser = sharedBrowser();

describe('the map of a Région', () => {
  it('shows every public lycée of Hauts-de-France and becomes idle', async () => {
    const { page, errors } = await openPage(browser(), '/');
    await waitForMapIdle(page);
    const dataset = JSON.parse(readFileSync('dist/data/32/establishments.json', 'utf8')) as RegionDataset;
    const publics = dataset.establishments.filter((e) => e.sector === 'public').map((e) => e.uai).sort();
    const rendered = await page.evaluate(() => (window as unknown as { __maillage: { renderedUais(): string[] } }).__maillage.renderedUais());
    expect(rendered.sort()).toEqual(publics);
    expect(await page.getByTestId('visible-count').textContent()).toBe(String(publics.length));

    await page.getByTestId('toggle-private').check();
    await waitForMapIdle(page);
    const all = await page.evaluate(() => (window as unknown as { __maillage: { renderedUais(): string[] } }).__maillage.renderedUais());
    expect(all.length).toBe(dataset.establishments.length);
    expect(errors).toEqual([]);
  });

  it('finds 0490003M in Pays de la Loire and opens lycée Chevrollier', async () => {
    const { page, errors } = await openPage(browser(), '/');
    await waitForMapIdle(page);
    await page.getByTestId('region-select').selectOption('52');
    await page.waitForFunction(() => (window as unknown as { __maillage: { app: { regionCode: string; loading: boolean } } }).__maillage.app.regionCode === '52');
    await waitForMapIdle(page);
    await page.getByTestId('search-input').fill('0490003M');
    const first = page.getByTestId('search-results').getByRole('option').first();
    await expect.poll(() => first.textContent()).toContain('Chevrollier');
    await page.getByTestId('search-input').press('Enter');
    await expect.poll(() => page.getByTestId('establishment-name').textContent()).toContain('Chevrollier');
    expect(await page.getByTestId('establishment-panel').textContent()).toContain('Angers');
    expect(await page.getByTestId('establishment-uai').textContent()).toBe('0490003M');
    const selected = await page.evaluate(() => (window as unknown as { __maillage: { app: { selectedUai: string } } }).__maillage.app.selectedUai);
    expect(selected).toBe('0490003M');
    expect(errors).toEqual([]);
  });
});
