import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, sharedBrowser, waitForMapIdle } from './browser';

const browser = sharedBrowser();
const SMALL = { width: 1366, height: 768 };

interface Team {
  id: string;
  name: string;
  color: string;
  technicians: number;
  allowedDepartements: string[];
  base: { label: string } | null;
}
interface PlanShape {
  id: string;
  name: string;
  teams: Team[];
  assignment: Record<string, string>;
  origin: { kind: string; fromPlanId?: string };
}
type Handle = {
  __maillage: {
    app: { selectedUai: string | null; establishments: { uai: string; departement: string; lat: number; lon: number }[] };
    planning: { plan: PlanShape | null; selection: Set<string>; summaries: { id: string; name: string }[]; flush(): Promise<void> };
    solver: { params: { method: string; departementMode: string; timeLimitSeconds: number; zones: { enabled: boolean } } | null; running: boolean };
    map: {
      project(p: [number, number]): { x: number; y: number };
      getContainer(): HTMLElement;
      queryRenderedFeatures(p: [number, number], o: { layers: string[] }): { properties: { uai: string } }[];
      getFeatureState(f: { source: string; id: string }): Record<string, unknown>;
    };
    renderedUais(): string[];
  };
};

const plan = (page: Page) => page.evaluate(() => (window as unknown as Handle).__maillage.planning.plan);

/** Page coordinates of a point, and the lycée drawn on top there (if any). */
async function screenPoint(page: Page, lon: number, lat: number): Promise<{ x: number; y: number; uai: string | null }> {
  return page.evaluate(
    ([lon, lat]) => {
      const map = (window as unknown as Handle).__maillage.map;
      const box = map.getContainer().getBoundingClientRect();
      const p = map.project([lon, lat]);
      const hit = map.queryRenderedFeatures([p.x, p.y], { layers: ['establishments-circles'] })[0];
      return { x: box.left + p.x, y: box.top + p.y, uai: hit ? String(hit.properties.uai) : null };
    },
    [lon, lat] as [number, number],
  );
}

/** A rendered lycée of département `dep` that a click at its centre reaches, with that point. */
async function clickableLycee(page: Page, dep: string): Promise<{ x: number; y: number; uai: string }> {
  const candidates = await page.evaluate((d) => {
    const { app, renderedUais } = (window as unknown as Handle).__maillage;
    const shown = new Set(renderedUais());
    return app.establishments.filter((e) => e.departement === d && shown.has(e.uai)).map((e) => ({ uai: e.uai, lon: e.lon, lat: e.lat }));
  }, dep);
  for (const c of candidates) {
    const point = await screenPoint(page, c.lon, c.lat);
    if (point.uai === c.uai) return { x: point.x, y: point.y, uai: c.uai };
  }
  throw new Error(`no clickable lycée in ${dep}`);
}

async function legendLeft(page: Page): Promise<number> {
  return (await page.getByTestId('legend').boundingBox())!.x;
}

describe('daily use, 1366 × 768', () => {
  it('guides a newcomer, reads in French, fits its tables and dialogs, selects with Shift+click and keeps the panel where the user is', async () => {
    const { page, errors } = await openPage(browser(), '/#r=52', { viewport: SMALL });
    await waitForMapIdle(page);

    // First screen: the two ways to start.
    await expect.poll(() => page.getByTestId('welcome').isVisible()).toBe(true);
    expect(await page.getByTestId('welcome-scenario').textContent()).toContain('Charger une organisation publiée');
    expect(await page.getByTestId('welcome-new').textContent()).toContain('Nouvelle proposition');

    // MapLibre's controls in French.
    expect(await page.locator('.maplibregl-ctrl-zoom-in').getAttribute('title')).toBe('Zoom avant');
    expect(await page.locator('.maplibregl-ctrl-zoom-out').getAttribute('title')).toBe('Zoom arrière');

    // Search results readable: the name is not white on white.
    await page.getByTestId('search-input').fill('chevrollier');
    const colours = await page.getByTestId('search-results').locator('.name').first().evaluate((el) => getComputedStyle(el).color);
    expect(colours).not.toBe('rgb(255, 255, 255)');
    await page.getByTestId('search-input').fill('');

    // The Région is framed clear of the legend (east end of the Région left of it).
    const east = await screenPoint(page, 0.9, 47.9);
    expect(east.x).toBeLessThan(await legendLeft(page));

    await page.getByTestId('welcome-scenario').click();
    await page.getByTestId('scenario-select').selectOption('pdl-2025');
    await page.getByTestId('scenario-load').click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Scénario chargé');
    expect(await page.getByTestId('notice').textContent()).not.toMatch(/\d lycées? publics?\(s\)|\(s\)/);

    // Teams table: fits its panel, with per-technician columns; the delete dialog's button is visible.
    const fit = await page.getByTestId('team-metrics').evaluate((table) => ({ table: table.scrollWidth, wrap: table.parentElement!.clientWidth, right: table.parentElement!.getBoundingClientRect().right }));
    expect(fit.table).toBeLessThanOrEqual(fit.wrap + 1);
    const mayenne = page.locator('[data-team="Mayenne"]');
    expect(await mayenne.getByTestId('team-lycees-per-tech').textContent()).toBe('4,5');
    expect(await mayenne.getByTestId('team-pcs-per-tech').textContent()).toMatch(/^\d[\d\u202f ]*$/);
    expect((await mayenne.getByTestId('team-drive').boundingBox())!.x + 10).toBeLessThan(fit.right);
    await page.getByRole('button', { name: 'Supprimer l’équipe' }).click();
    const confirm = page.getByRole('button', { name: 'Confirmer la suppression' });
    const box = (await confirm.boundingBox())!;
    const aside = (await page.locator('aside').boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(aside.x + aside.width);
    await page.keyboard.press('Escape');
    expect(await confirm.count()).toBe(0);

    // Team settings: service and allowed départements; the solver warns about teams without any.
    await page.getByTestId('team-service').fill('Anjou');
    await page.getByTestId('team-service').press('Enter');
    await page.getByTestId('team-departements').getByLabel(/^\s*49\b/).check();
    await expect.poll(async () => (await plan(page))!.teams[0].allowedDepartements).toEqual(['49']);
    expect((await plan(page))!.teams[0]).toMatchObject({ service: 'Anjou' });
    await page.getByRole('button', { name: 'Solveur', exact: true }).click();
    await page.getByTestId('solver-departements').selectOption('within');
    expect(await page.getByTestId('solver-departements-warning').textContent()).toMatch(/6\u00a0équipes sur 7 n’ont pas de département autorisé/);
    // The estimate label is printed once, spaced.
    const header = await page.locator('section[aria-label="Solveur"] p.small').first().textContent();
    expect(header!.match(/estimation/g)?.length).toBe(1);

    // Legend: folds, and comes back.
    await page.getByTestId('legend-fold').click();
    expect(await page.getByTestId('legend').count()).toBe(0);
    await page.getByTestId('legend-unfold').click();
    await page.getByTestId('legend').waitFor();

    // Shift+click selects, in a colour no team uses.
    await page.getByRole('button', { name: 'Proposition', exact: true }).click();
    const target = await clickableLycee(page, '53');
    await page.keyboard.down('Shift');
    await page.mouse.click(target.x, target.y);
    await page.keyboard.up('Shift');
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('1');
    const state = await page.evaluate((uai) => (window as unknown as Handle).__maillage.map.getFeatureState({ source: 'establishments', id: uai }), target.uai);
    expect(state.picked).toBe(true);
    const teamColours = (await plan(page))!.teams.map((t) => t.color.toLowerCase());
    expect(teamColours).not.toContain(String(state.pickColour).toLowerCase());
    expect(await page.getByTestId('selection').textContent()).toMatch(/1\s*lycée sélectionné(?!s)/);

    // A plain click opens the card (commune and INSEE code spaced).
    await page.mouse.click(target.x, target.y);
    await expect.poll(() => page.getByTestId('establishment-panel').isVisible()).toBe(true);
    expect(await page.getByTestId('establishment-panel').textContent()).toMatch(/[^\s(][ \u00a0]\(INSEE \d{5}\)/);

    // Placing a base, then unticking « Clic = affecter », leaves the panel on the Proposition tab.
    await page.getByRole('button', { name: 'Proposition', exact: true }).click();
    const oldBase = (await plan(page))!.teams[0].base?.label ?? null;
    await page.getByRole('button', { name: 'Placer la base' }).click();
    await expect.poll(() => page.getByTestId('map-hint').isVisible()).toBe(true);
    const spot = await screenPoint(page, -0.9, 47.3);
    await page.mouse.click(spot.x, spot.y);
    await expect.poll(async () => (await plan(page))!.teams[0].base?.label ?? null).not.toBe(oldBase);
    const clickAssign = page.getByLabel(/Clic = affecter/);
    await clickAssign.check();
    await clickAssign.uncheck();
    expect(await page.getByTestId('establishment-panel').count()).toBe(0);
    expect(await page.getByTestId('team-metrics').isVisible()).toBe(true);

    // Esc closes Paramètres.
    await page.getByRole('button', { name: 'Paramètres' }).click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog').count()).toBe(0);

    // Notices of one Région are gone in the next.
    await page.getByTestId('notice').waitFor();
    await page.getByTestId('region-select').selectOption('53');
    await waitForMapIdle(page);
    expect(await page.getByTestId('notice').count()).toBe(0);
    // Bretagne: Rennes clear of the legend.
    const rennes = await screenPoint(page, -1.68, 48.11);
    expect(rennes.x).toBeLessThan(await legendLeft(page));
    expect(errors).toEqual([]);
  });

  it('France entière: Corsica clear of the legend, each overseas département one click away', async () => {
    const { page, errors } = await openPage(browser(), '/#r=FR', { viewport: SMALL });
    await waitForMapIdle(page);
    const ajaccio = await screenPoint(page, 8.74, 41.93);
    expect(ajaccio.x).toBeLessThan(await legendLeft(page));
    const menu = page.getByTestId('overseas');
    for (const name of ['Guadeloupe', 'Martinique', 'Guyane', 'La Réunion', 'Mayotte']) expect(await menu.textContent()).toContain(name);
    await menu.getByRole('button', { name: /La Réunion/ }).click();
    await expect
      .poll(async () => {
        await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
        const shown = await page.evaluate(() => (window as unknown as Handle).__maillage.renderedUais());
        return shown.filter((uai) => uai.startsWith('974')).length;
      }, { timeout: 15_000 })
      .toBeGreaterThan(20);
    await page.getByTestId('overseas-back').click();
    expect(errors).toEqual([]);
  });
});

describe('solver proposals: feedback, names, comparison, CSV round trip', () => {
  it('says when a run is cancelled, names runs shortly and distinctly, compares with the latest derived one, picks candidate sites on the map and re-imports its CSV into the open proposal', async () => {
    const { page, errors } = await openPage(browser(), '/#r=52', { viewport: { width: 1600, height: 1000 } });
    await waitForMapIdle(page);
    await page.getByRole('button', { name: 'Proposition', exact: true }).click();
    await page.getByTestId('scenario-select').selectOption('pdl-2025');
    await page.getByTestId('scenario-load').click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Scénario chargé');
    const source = (await plan(page))!;

    await page.getByRole('button', { name: 'Solveur', exact: true }).click();
    await page.getByTestId('solver-departements').selectOption('free');

    // A candidate site picked on the map becomes a « latitude ; longitude ; libellé » line.
    await page.getByText('Autres sites candidats (latitude ; longitude ; libellé)').click();
    await page.getByTestId('solver-pick-site').click();
    const spot = await screenPoint(page, -0.55, 47.47);
    await page.mouse.click(spot.x, spot.y);
    await expect.poll(() => page.getByTestId('solver-candidates').inputValue()).toMatch(/^47\.\d+ ; -0\.\d+ ; .+$/);
    await page.getByTestId('solver-candidates').fill('');

    // Cancel says so.
    await page.getByTestId('solver-run').click();
    await page.getByTestId('solver-cancel').click();
    await expect.poll(() => page.getByTestId('solver-cancelled').textContent()).toContain('Calcul annulé');
    expect(await page.getByTestId('solver-cancelled').textContent()).toContain('Aucune proposition n’a été créée');
    await page.evaluate(() => {
      (window as unknown as Handle).__maillage.solver.params!.method = 'heuristic';
    });

    // Two runs from the same proposal: short distinct names.
    const names: string[] = [];
    for (let run = 1; run <= 2; run++) {
      if (run === 2) {
        await page.getByRole('button', { name: 'Proposition', exact: true }).click();
        await page.getByTestId('proposal-select').selectOption(source.id);
        await expect.poll(async () => (await plan(page))?.id).toBe(source.id);
        await page.getByRole('button', { name: 'Solveur', exact: true }).click();
        await page.evaluate(() => {
          const params = (window as unknown as Handle).__maillage.solver.params!;
          params.method = 'heuristic';
          params.departementMode = 'free';
        });
      }
      await page.getByTestId('solver-run').click();
      await expect.poll(async () => (await plan(page))?.origin.kind, { timeout: 60_000 }).toBe('solver');
      names.push((await plan(page))!.name);
      await expect.poll(() => page.evaluate(() => (window as unknown as Handle).__maillage.solver.running)).toBe(false);
    }
    expect(names).toEqual([`${source.name} · solveur 1`, `${source.name} · solveur 2`]);
    expect(await page.getByTestId('solver-report').textContent()).toContain('départements libres');

    // The selectors tell proposals apart; B defaults to the latest run made from A.
    await page.getByRole('button', { name: 'Proposition', exact: true }).click();
    const labels = await page.getByTestId('proposal-select').locator('option').allTextContents();
    expect(new Set(labels).size).toBe(labels.length);
    await page.getByTestId('proposal-select').selectOption(source.id);
    await expect.poll(async () => (await plan(page))?.id).toBe(source.id);
    await page.getByTestId('open-compare').click();
    const second = await page.evaluate((name) => (window as unknown as Handle).__maillage.planning.summaries.find((s) => s.name === name)!.id, names[1]);
    expect(await page.getByTestId('compare-b').inputValue()).toBe(second);
    const optionTexts = await page.getByTestId('compare-a').locator('option').allTextContents();
    expect(new Set(optionTexts).size).toBe(optionTexts.length);
    expect(await page.getByTestId('compare-b').getAttribute('title')).toBe(names[1]);
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('compare-view').count()).toBe(0);

    // CSV of the second run, re-imported into the source proposal: one undoable step, teams kept.
    await page.getByTestId('proposal-select').selectOption(second);
    await expect.poll(async () => (await plan(page))!.id).toBe(second);
    const solved = (await plan(page))!;
    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const file = await download;
    const stream = await file.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const csv = Buffer.concat(chunks);
    expect(file.suggestedFilename()).toContain('solveur-2');

    await page.getByTestId('proposal-select').selectOption(source.id);
    await expect.poll(async () => (await plan(page))!.id).toBe(source.id);
    const before = (await plan(page))!;
    await page.getByTestId('plan-file').setInputFiles({ name: 'retour.csv', mimeType: 'text/csv', buffer: csv });
    await page.getByTestId('import-choice').waitFor();
    expect(await page.getByTestId('import-choice').textContent()).toContain('7\u00a0équipes reconnues');
    const proposals = (await page.evaluate(() => (window as unknown as Handle).__maillage.planning.summaries.length));
    await page.getByTestId('import-apply').click();
    await expect.poll(async () => Object.keys((await plan(page))!.assignment).length).toBe(Object.keys(solved.assignment).length);
    const after = (await plan(page))!;
    expect(after.id).toBe(source.id);
    const byName = (p: PlanShape) => Object.fromEntries(Object.entries(p.assignment).map(([uai, id]) => [uai, p.teams.find((t) => t.id === id)!.name]));
    expect(byName(after)).toEqual(byName(solved));
    expect(after.teams.map((t) => [t.name, t.technicians, t.color, t.base?.label ?? null])).toEqual(before.teams.map((t) => [t.name, t.technicians, t.color, t.base?.label ?? null]));
    expect(await page.evaluate(() => (window as unknown as Handle).__maillage.planning.summaries.length)).toBe(proposals);
    await page.getByTestId('undo').click();
    await expect.poll(async () => Object.keys((await plan(page))!.assignment).length).toBe(Object.keys(before.assignment).length);
    expect(errors).toEqual([]);
  });
});
