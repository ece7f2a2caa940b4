import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openWithScenario, sharedBrowser } from './browser';

const browser = sharedBrowser();

type Handle = { __maillage: { planning: { plan: { id: string; name: string; origin: { kind: string }; assignment: Record<string, string> } | null; summaries: { id: string }[] } } };

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId(testId).click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
}

describe('compare and export', () => {
  it('compares the published organisation with a solver proposal, exports each file and imports a plan back', async () => {
    const { page, errors } = await openWithScenario(browser(), '52', 'pdl-2025');
    const published = await page.evaluate(() => (window as unknown as Handle).__maillage.planning.plan!.id);

    // B: a solver proposal from it (stability keeps the 51 published lycées where they are).
    await page.getByRole('button', { name: 'Solveur' }).click();
    await page.getByTestId('solver-departements').selectOption('free');
    await page.getByTestId('solver-run').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as Handle).__maillage.planning.plan?.origin.kind), { timeout: 60_000 }).toBe('solver');
    const solved = await page.evaluate(() => (window as unknown as Handle).__maillage.planning.plan!);

    // Compare: A = the solver proposal (open), B = the published one.
    await page.getByTestId('open-compare').click();
    await page.getByTestId('compare-view').waitFor();
    // The selectors show shortened names (full name as tooltip): pick by id.
    await page.getByTestId('compare-b').selectOption(published);
    await expect.poll(async () => (await page.getByTestId('moved-list').locator('li').count())).toBeGreaterThan(10);
    const summary = await page.getByTestId('moved-summary').textContent();
    // The published organisation assigns 51 lycées: every other one is "moved" from a team to none.
    expect(summary).toMatch(/lycées changent d’équipe sur 122/);
    expect(await page.getByTestId('moved-list').textContent()).toContain('non affecté');
    expect(await page.getByTestId('compare-table').locator('tbody tr').count()).toBe(8);
    // Territory pieces of each team, A → B (PdL has its communes).
    await expect.poll(() => page.getByTestId('compare-pieces').count()).toBe(8);
    expect(await page.getByTestId('compare-pieces').first().textContent()).toMatch(/^\d+ → \d+/);
    expect(await page.getByTestId('chart-pcs').locator('rect').count()).toBeGreaterThan(7);
    expect(await page.getByTestId('chart-drive').locator('rect').count()).toBeGreaterThan(4);
    // The two maps follow each other.
    await page.waitForFunction(() => !!(window as unknown as { __maillage: { compareMaps?: unknown[] } }).__maillage.compareMaps);
    const followed = await page.evaluate(() => {
      const [a, b] = (window as unknown as { __maillage: { compareMaps: { jumpTo(o: object): void; getCenter(): { lng: number; lat: number }; getZoom(): number }[] } }).__maillage.compareMaps;
      a.jumpTo({ center: [-0.55, 47.47], zoom: 10 });
      const centre = b.getCenter();
      return { lng: centre.lng, lat: centre.lat, zoom: b.getZoom() };
    });
    expect(followed.lng).toBeCloseTo(-0.55, 4);
    expect(followed.lat).toBeCloseTo(47.47, 4);
    expect(followed.zoom).toBeCloseTo(10, 4);
    const moves = await download(page, 'compare-export');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(moves.bytes.buffer.slice(moves.bytes.byteOffset, moves.bytes.byteOffset + moves.bytes.byteLength) as ArrayBuffer);
    expect(book.getWorksheet('Mouvements')!.rowCount).toBeGreaterThan(10);
    await page.getByRole('button', { name: 'Fermer la comparaison' }).click();

    // Exports of the open proposal (the solver's).
    await page.getByRole('button', { name: 'Proposition' }).click();
    const geojson = await download(page, 'export-geojson');
    expect(geojson.name).toMatch(/^maillage_.*_\d{4}-\d{2}-\d{2}\.geojson$/);
    const collection = JSON.parse(geojson.bytes.toString('utf8')) as { type: string; features: { properties: { objet: string } }[]; maillage: { proposal: { name: string } } };
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.maillage.proposal.name).toBe(solved.name);
    expect(collection.features.filter((f) => f.properties.objet === 'lycee')).toHaveLength(122);
    expect(collection.features.filter((f) => f.properties.objet === 'equipe')).toHaveLength(7);
    for (const team of collection.features.filter((f) => f.properties.objet === 'equipe')) expect((team.properties as unknown as { morceaux: number }).morceaux).toBeGreaterThanOrEqual(1);

    const xlsx = await download(page, 'export-xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes.buffer.slice(xlsx.bytes.byteOffset, xlsx.bytes.byteOffset + xlsx.bytes.byteLength) as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Équipes', 'Établissements', 'Zones', 'Mouvements', 'Informations']);
    expect(workbook.getWorksheet('Équipes')!.getRow(1).values).toContain('Morceaux');

    const csv = await download(page, 'export-csv');
    const lines = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('UAI;Nom;Commune;Département;Équipe;Section;Zone;PC;PC estimé;Élèves;Trajet base (min)');
    expect(lines).toHaveLength(123);

    const png = await download(page, 'export-png');
    expect(png.bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.bytes.readUInt32BE(16)).toBeGreaterThanOrEqual(3000);

    // The CSV comes back as a new proposal with the same assignment (its teams match the open
    // proposal's, so the tool asks where it goes).
    const proposals = await page.evaluate(() => (window as unknown as Handle).__maillage.planning.summaries.length);
    await page.getByTestId('plan-file').setInputFiles({ name: csv.name, mimeType: 'text/csv', buffer: csv.bytes });
    await page.getByTestId('import-new').click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Plan importé');
    const imported = await page.evaluate(() => (window as unknown as Handle).__maillage.planning.plan!);
    expect(await page.evaluate(() => (window as unknown as Handle).__maillage.planning.summaries.length)).toBe(proposals + 1);
    expect(Object.keys(imported.assignment).sort()).toEqual(Object.keys(solved.assignment).sort());
    expect(errors).toEqual([]);
  });
});
