import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RegionDataset } from '../../src/core/model/establishment';
import { openPage, sharedBrowser, waitForMapIdle } from './browser';

const browser = sharedBrowser();

type Handle = {
  __maillage: {
    map: { getLayoutProperty(layer: string, name: string): unknown; getPaintProperty(layer: string, name: string): unknown };
    planning: { plan: { teams: { id: string; name: string; color: string }[] } | null };
    territory: { territory: { owner: (string | null)[] } | null; codes: string[] };
    communeColour(code: string): string | null;
    whenIdle(): Promise<void>;
  };
};

/** A proposal of three teams, each with a few lycées of one département (an imported table). */
function smallPlan(): { csv: string; sample: Record<string, string> } {
  const dataset = JSON.parse(readFileSync('public/data/32/establishments.json', 'utf8')) as RegionDataset;
  const teams: Record<string, string> = { '059': 'Nord', '080': 'Somme', '002': 'Aisne' };
  const rows: string[] = ['UAI;Équipe'];
  const sample: Record<string, string> = {};
  for (const [prefix, team] of Object.entries(teams)) {
    const lycees = dataset.establishments.filter((e) => e.sector === 'public' && e.uai.startsWith(prefix) && e.communeCode).slice(0, 4);
    for (const e of lycees) rows.push(`${e.uai};${team}`);
    sample[lycees[0].communeCode!] = team;
  }
  return { csv: rows.join('\n'), sample };
}

async function colourOf(page: Page, code: string): Promise<string | null> {
  return page.evaluate((c) => (window as unknown as Handle).__maillage.communeColour(c), code);
}

describe('territories on the map', () => {
  it('colours every commune by team from a new proposal, and the toggle hides them', async () => {
    const { page, errors } = await openPage(browser(), '/#r=32');
    await waitForMapIdle(page);
    await page.getByRole('button', { name: 'Proposition' }).click();
    const { csv, sample } = smallPlan();
    await page.getByTestId('plan-file').setInputFiles({ name: 'trois-equipes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Plan importé');

    // The model covers every commune of the Région with one of the three teams.
    await page.waitForFunction(() => (window as unknown as Handle).__maillage.territory.territory !== null, null, { timeout: 60_000 });
    const owners = await page.evaluate(() => {
      const { territory, planning } = (window as unknown as Handle).__maillage;
      const names = new Map(planning.plan!.teams.map((t) => [t.id, t.name]));
      const counts: Record<string, number> = {};
      for (const owner of territory.territory!.owner) counts[owner ? names.get(owner)! : 'aucune'] = (counts[owner ? names.get(owner)! : 'aucune'] ?? 0) + 1;
      return { counts, communes: territory.codes.length };
    });
    expect(owners.communes).toBeGreaterThan(3000);
    expect(owners.counts.aucune).toBeUndefined();
    expect(Object.keys(owners.counts).sort()).toEqual(['Aisne', 'Nord', 'Somme']);

    // On the map: the commune layer's feature-state holds each team's colour.
    const colours = await page.evaluate(() => Object.fromEntries((window as unknown as Handle).__maillage.planning.plan!.teams.map((t) => [t.name, t.color])));
    for (const [code, team] of Object.entries(sample)) await expect.poll(() => colourOf(page, code)).toBe(colours[team]);
    const layout = (layer: string) => page.evaluate((l) => (window as unknown as Handle).__maillage.map.getLayoutProperty(l, 'visibility'), layer);
    expect(await layout('territories-fill')).toBe('visible');
    // The layers load their tiles transparent, then appear together once fill, borders and labels are in.
    const layerOpacity = () => page.evaluate(() => ['territories-fill-low', 'territories-borders-low'].map((l) => (window as unknown as Handle).__maillage.map.getPaintProperty(l, l.includes('fill') ? 'fill-layer-opacity' : 'line-layer-opacity')));
    await expect.poll(layerOpacity).toEqual([1, 1]);
    await expect.poll(async () => (await page.getByTestId('team-pieces').allTextContents()).length).toBe(3);
    for (const text of await page.getByTestId('team-pieces').allTextContents()) expect(Number.parseInt(text, 10)).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId('territory-legend').isVisible()).toBe(true);

    // The toggle hides the layer (and is remembered); back on, the colours are still there.
    await page.getByTestId('toggle-territories').uncheck();
    await expect.poll(() => layout('territories-fill')).toBe('none');
    await expect.poll(() => layout('territories-labels')).toBe('none');
    await page.getByTestId('toggle-territories').check();
    await expect.poll(() => layout('territories-fill')).toBe('visible');
    await expect.poll(layerOpacity).toEqual([1, 1]);
    const [code, team] = Object.entries(sample)[0];
    expect(await colourOf(page, code)).toBe(colours[team]);
    await page.evaluate(() => (window as unknown as Handle).__maillage.whenIdle());
    expect(errors).toEqual([]);
  }, 120_000);
});
