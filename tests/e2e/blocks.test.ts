import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, openWithScenario, sharedBrowser, waitForMapIdle } from './browser';
import type { RegionDataset } from '../../src/core/model/establishment';

const browser = sharedBrowser();

type Handle = {
  __maillage: {
    app: { regions: { code: string }[] };
    map: { project(p: [number, number]): { x: number; y: number }; getContainer(): HTMLElement };
    planning: {
      plan: { name: string; assignment: Record<string, string>; sections: Record<string, string>; teams: { id: string; name: string }[] } | null;
      metrics: { global: { unassigned: number }; teams: { name: string; lycees: number }[] } | null;
    };
  };
};

const teamLycees = (page: Page, name: string) => page.evaluate((n) => (window as unknown as Handle).__maillage.planning.metrics?.teams.find((t) => t.name === n)?.lycees ?? -1, name);

/** Assigning by arrondissement needs datasets built with the lycées' arrondissements. */
function hasArrondissements(code: string): boolean {
  const path = `public/data/${code}/establishments.json`;
  if (!existsSync(path)) return false;
  const { establishments } = JSON.parse(readFileSync(path, 'utf8')) as RegionDataset;
  return establishments.some((e) => typeof e.arrondissement === 'string');
}

/**
 * The Région used for the block flow: Bretagne once its lycées carry their EPCI (every Région built
 * with communes), else Pays de la Loire. `inside`: a point inside `departement`, away from lycées.
 */
function blockRegion(): { code: string; epci: string; departement: string; inside: [number, number] } {
  const path = 'public/data/53/establishments.json';
  const bretagne = existsSync(path) && (JSON.parse(readFileSync(path, 'utf8')) as RegionDataset).establishments.some((e) => e.epci !== null);
  return bretagne ? { code: '53', epci: 'Rennes Métropole', departement: '22', inside: [-2.95, 48.33] } : { code: '52', epci: 'Nantes Métropole', departement: '85', inside: [-1.3, 46.62] };
}

describe('assignment by administrative block', () => {
  it('assigns an EPCI found by search to the active team of a new proposal, in one undoable step', async () => {
    const region = blockRegion();
    const { page, errors } = await openPage(browser(), `/#r=${region.code}`);
    await waitForMapIdle(page);
    await page.getByRole('button', { name: 'Proposition' }).click();
    await page.getByRole('button', { name: 'Nouvelle', exact: true }).click();
    await page.getByRole('button', { name: '+ Équipe' }).click();
    await expect.poll(() => page.getByTestId('team-row').count()).toBe(1);
    const team = (await page.getByTestId('team-row').getAttribute('data-team'))!;

    // Accent- and case-insensitive: the block comes before the lycées in the results.
    await page.getByTestId('search-input').fill(region.epci.toUpperCase().normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
    await expect.poll(() => page.getByTestId('search-block').first().textContent()).toContain(region.epci);
    await page.getByTestId('search-input').press('Enter');
    const panel = page.getByTestId('block-panel');
    await expect.poll(() => panel.getAttribute('data-block')).toMatch(/^epci:/);
    expect(await page.getByTestId('block-name').textContent()).toBe(`EPCI ${region.epci}`);
    const count = Number(await page.getByTestId('block-public-count').textContent());
    expect(count).toBeGreaterThan(5);
    expect(await page.getByTestId('block-teams').textContent()).toContain(`Sans équipe : ${count}`);
    await page.screenshot({ path: 'test-results/block-epci.png' });

    await page.getByTestId('assign-block').click();
    await expect.poll(() => teamLycees(page, team)).toBe(count);
    await expect.poll(() => page.getByTestId('block-teams').textContent()).toContain(`${team} : ${count}`);
    await page.getByTestId('undo').click();
    await expect.poll(() => teamLycees(page, team)).toBe(0);
    await page.getByTestId('redo').click();
    await expect.poll(() => teamLycees(page, team)).toBe(count);

    // Picking the EPCI by search showed the EPCI layer. With it hidden again, a click inside a
    // département (its layer is shown by default; away from any lycée) picks the département, a
    // second click drops it.
    await page.getByRole('checkbox', { name: 'EPCI', exact: true }).uncheck();
    await page.evaluate(() => (window as unknown as { __maillage: { whenIdle(): Promise<void> } }).__maillage.whenIdle());
    const position = await page.evaluate((center) => {
      const map = (window as unknown as { __maillage: { map: { jumpTo(o: object): void; getContainer(): HTMLElement } } }).__maillage.map;
      map.jumpTo({ center, zoom: 9 });
      return { x: map.getContainer().clientWidth / 2, y: map.getContainer().clientHeight / 2 };
    }, region.inside);
    await page.evaluate(() => (window as unknown as { __maillage: { whenIdle(): Promise<void> } }).__maillage.whenIdle());
    await page.getByTestId('map').click({ position });
    await expect.poll(() => panel.getAttribute('data-block')).toBe(`departement:${region.departement}`);
    await page.screenshot({ path: 'test-results/block-departement.png' });
    await page.getByTestId('map').click({ position });
    await expect.poll(() => panel.count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it.runIf(hasArrondissements('32'))('HDF 2024 reconstruction: every public lycée in a team and a section, labelled as a hypothesis', async () => {
    const { page, errors } = await openWithScenario(browser(), '32', 'hdf-2024');
    expect(await page.getByTestId('scenario-select').locator('option[value="hdf-2024"]').textContent()).toContain('reconstitution (hypothèse)');
    const state = await page.evaluate(() => {
      const { plan, metrics } = (window as unknown as Handle).__maillage.planning;
      return { name: plan!.name, assigned: Object.keys(plan!.assignment).length, sections: Object.keys(plan!.sections).length, unassigned: metrics!.global.unassigned };
    });
    expect(state).toEqual({ name: 'Hauts-de-France — organisation cible 2024 — reconstitution (hypothèse)', assigned: 268, sections: 268, unassigned: 0 });
    expect(await page.getByTestId('unassigned-list').count()).toBe(0);
    expect(await page.getByTestId('team-row').count()).toBe(11);
    await page.screenshot({ path: 'test-results/hdf-2024-baseline.png' });
    expect(errors).toEqual([]);
  });
});
