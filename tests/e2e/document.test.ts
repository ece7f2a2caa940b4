import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fitProjection, tintRgb } from '../../src/core/document/render';
import { booleanPointInPolygon } from '@turf/turf';
import { communeOutlines, type CommuneLayer } from '../../src/core/document/scene';
import type { CommuneAdjacency, Establishment } from '../../src/core/model/establishment';
import { communeGraph, placePoints } from '../../src/core/territory/graph';
import { computeTerritory, territoryContext, type Territory } from '../../src/core/territory/model';
import { openPage, openWithScenario, sharedBrowser, waitForMapIdle } from './browser';

const browser = sharedBrowser();

interface PlanLike {
  name: string;
  origin: { kind: string };
  teams: { id: string; name: string; color: string; technicians: number }[];
  assignment: Record<string, string>;
}
type Handle = {
  __maillage: {
    planning: { plan: PlanLike | null; persistNew(plan: unknown): Promise<void> };
    exports: { lastPicture: { width: number; height: number; georef: { rect: { x: number; y: number; width: number; height: number }; box: [number, number, number, number] } } | null };
  };
};

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId(testId).click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
}

/** The PNG's width and height from its IHDR chunk. */
const pngSize = (bytes: Buffer) => ({ width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) });

/** pdftotext (poppler-utils) of each page. */
function pdfPages(bytes: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'maillage-pdf-'));
  const file = join(dir, 'dossier.pdf');
  writeFileSync(file, bytes);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  return text.split('\f').filter((page, i, all) => i < all.length - 1 || page.trim() !== '');
}

/** The territory model's territory of the plan, as the map and the GeoJSON export compute it. */
function modelTerritory(regionCode: string, plan: PlanLike): { communes: CommuneLayer; territory: Territory } {
  const communes = JSON.parse(readFileSync(`public/data/${regionCode}/communes.geojson`, 'utf8')) as CommuneLayer;
  const adjacency = existsSync(`public/data/${regionCode}/adjacency.json`) ? (JSON.parse(readFileSync(`public/data/${regionCode}/adjacency.json`, 'utf8')) as CommuneAdjacency) : null;
  const establishments = (JSON.parse(readFileSync(`public/data/${regionCode}/establishments.json`, 'utf8')) as { establishments: Establishment[] }).establishments;
  const assigned = establishments.filter((e) => plan.assignment[e.uai] !== undefined);
  const graph = communeGraph(communes, adjacency);
  const context = territoryContext(graph, placePoints(graph, communes, assigned), assigned);
  return { communes, territory: computeTerritory(context, Object.fromEntries(assigned.map((e) => [e.uai, plan.assignment[e.uai]]))) };
}

/**
 * Communes of one team in the territory model, the largest first: half with lycées, half without
 * (those reached from neighbour to neighbour). Split communes, the 60 most populated and those
 * holding a team's name are left out: names and many lycées cover the fill.
 */
function knownCommunes(regionCode: string, plan: PlanLike, count: number): { code: string; lon: number; lat: number; teamId: string }[] {
  const { communes, territory } = modelTerritory(regionCode, plan);
  const outlines = communeOutlines(communes);
  const populous = new Set(
    [...communes.features]
      .sort((a, b) => Number(b.properties?.population ?? 0) - Number(a.properties?.population ?? 0))
      .slice(0, 60)
      .map((f) => f.properties!.code as string),
  );
  const b = outlines.boxes;
  const labels = [...territory.teams.values()].flatMap((t) => (t.label ? [t.label] : []));
  const named = (i: number) => labels.some(([lon, lat]) => lon >= b[i * 4] && lon <= b[i * 4 + 2] && lat >= b[i * 4 + 1] && lat <= b[i * 4 + 3]);
  const candidates = communes.features
    .map((feature, i) => ({ feature, i, area: (b[i * 4 + 2] - b[i * 4]) * (b[i * 4 + 3] - b[i * 4 + 1]) }))
    .filter(({ feature, i }) => territory.owner[i] !== null && !territory.split.has(i) && !populous.has(feature.properties!.code) && !named(i) && booleanPointInPolygon([outlines.centres[i * 2], outlines.centres[i * 2 + 1]], feature))
    .sort((x, y) => y.area - x.area);
  const withLycees = candidates.filter(({ i }) => territory.lycees.has(i)).slice(0, Math.ceil(count / 2));
  const without = candidates.filter(({ i }) => !territory.lycees.has(i)).slice(0, count - withLycees.length);
  return [...withLycees, ...without].map(({ feature, i }) => ({ code: feature.properties!.code as string, lon: outlines.centres[i * 2], lat: outlines.centres[i * 2 + 1], teamId: territory.owner[i]! }));
}

/** The share of pixels of a 33 × 33 block around each point that have each of the given colours (±6). */
async function coloursAt(page: Page, png: Buffer, points: { x: number; y: number }[], colours: [number, number, number][]): Promise<number[][]> {
  return page.evaluate(
    async ({ base64, points, colours }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      return points.map(({ x, y }) => {
        const data = ctx.getImageData(Math.round(x) - 16, Math.round(y) - 16, 33, 33).data;
        const shares = colours.map(() => 0);
        for (let i = 0; i < data.length; i += 4)
          colours.forEach((c, k) => {
            if (Math.hypot(data[i] - c[0], data[i + 1] - c[1], data[i + 2] - c[2]) <= 6) shares[k] += 4 / data.length;
          });
        return shares;
      });
    },
    { base64: png.toString('base64'), points, colours },
  );
}

async function checkTerritories(page: Page, regionCode: string, plan: PlanLike, png: Buffer): Promise<void> {
  const picture = await page.evaluate(() => (window as unknown as Handle).__maillage.exports.lastPicture);
  expect(picture).not.toBeNull();
  const projection = fitProjection(picture!.georef.box, picture!.georef.rect);
  const communes = knownCommunes(regionCode, plan, 6);
  expect(communes.length).toBe(6);
  const tints = plan.teams.map((t) => tintRgb(t.color));
  const shares = await coloursAt(page, png, communes.map((c) => ({ x: projection.x(c.lon), y: projection.y(c.lat) })), tints);
  // Around the commune's centre, its team's fill is the main territory colour (lycées, names and
  // zone outlines cover part of it).
  communes.forEach((commune, i) => {
    const expected = plan.teams.findIndex((t) => t.id === commune.teamId);
    const best = shares[i].indexOf(Math.max(...shares[i]));
    const message = `commune ${commune.code}: shares ${shares[i].map((x) => x.toFixed(2)).join(' ')}`;
    expect(best, message).toBe(expected);
    expect(shares[i][expected], message).toBeGreaterThan(0.3);
  });
}

async function checkDossier(page: Page, plan: PlanLike, testId = 'export-pdf'): Promise<string[]> {
  const pdf = await download(page, testId);
  expect(pdf.name).toMatch(/^maillage_.*\.pdf$/);
  expect(pdf.bytes.subarray(0, 5).toString('ascii')).toBe('%PDF-');
  const pages = pdfPages(pdf.bytes);
  const text = pages.join('\n');
  // The map page, the teams table, a page per team (followed by « (suite) » pages when its lists
  // are long), the parameters page.
  const titles = pages.map((p) => p.trimStart().split('\n')[0].trim());
  expect(titles[1]).toBe('Équipes');
  expect(titles.at(-1)).toBe('Paramètres, hypothèses et sources');
  for (const team of plan.teams) {
    expect(text).toContain(team.name);
    expect(titles.filter((t) => t === team.name), team.name).toHaveLength(1);
  }
  const teamPages = titles.slice(2, -1).filter((t) => !t.startsWith('Comparaison') && !t.startsWith('Lycées qui changent'));
  expect(teamPages.every((t) => plan.teams.some((team) => t === team.name || t === `${team.name} (suite)`)), teamPages.join(' | ')).toBe(true);
  const technicians = plan.teams.reduce((s, t) => s + t.technicians, 0);
  expect(text).toMatch(new RegExp(`Total\\s.*\\s${technicians}\\s`));
  expect(text).toContain('Paramètres, hypothèses et sources');
  expect(text).toContain('Licence Ouverte');
  return pages;
}

describe('organisation document', () => {
  it('exports the Hauts-de-France picture and dossier from the published organisation assigned by the solver, and cancels a GeoJSON export', async () => {
    const { page, errors } = await openWithScenario(browser(), '32', 'hdf-2024');
    await page.getByRole('button', { name: 'Solveur' }).click();
    await page.locator('select').filter({ hasText: 'heuristique seule' }).selectOption('heuristic');
    await page.getByTestId('solver-run').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as Handle).__maillage.planning.plan?.origin.kind), { timeout: 120_000 }).toBe('solver');
    await page.getByRole('button', { name: 'Proposition' }).click();
    const plan = (await page.evaluate(() => (window as unknown as Handle).__maillage.planning.plan))!;

    // The long GeoJSON territory work shows its progress and can be cancelled.
    await page.getByTestId('export-geojson').click();
    await page.getByTestId('export-progress').waitFor();
    await page.getByTestId('export-cancel').click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Export GeoJSON annulé');
    expect(await page.getByTestId('export-progress').count()).toBe(0);

    expect(await page.getByTestId('document-title').inputValue()).toContain(plan.name);
    await page.getByTestId('document-title').fill('Hauts-de-France : organisation des équipes mobiles, proposition du solveur pour le comité social territorial');
    const png = await download(page, 'export-png');
    expect(png.name).toMatch(/^maillage_.*\.png$/);
    expect(pngSize(png.bytes)).toEqual({ width: 3508, height: 2480 });
    await checkTerritories(page, '32', plan, png.bytes);

    // One team's own map.
    await page.getByTestId('document-variant').selectOption({ label: `Équipe ${plan.teams[0].name}` });
    const teamPng = await download(page, 'export-png');
    expect(pngSize(teamPng.bytes)).toEqual({ width: 3508, height: 2480 });

    // The dossier counts each team's pieces as the territory model does (teams table, GeoJSON).
    const pages = await checkDossier(page, plan);
    const { territory } = modelTerritory('32', plan);
    for (const team of plan.teams) {
      const own = pages.find((p) => p.trimStart().split('\n')[0].trim() === team.name)!;
      expect(own.match(/(\d+)\s+morceaux? de territoire/)?.[1], team.name).toBe(String(territory.teams.get(team.id)?.pieces ?? 0));
    }
    expect(errors).toEqual([]);
  }, 300_000);

  it('exports a Bretagne proposal (one team per département)', async () => {
    const { page, errors } = await openPage(browser(), '/#r=53');
    await waitForMapIdle(page);
    const establishments = (JSON.parse(readFileSync('public/data/53/establishments.json', 'utf8')) as { establishments: Establishment[] }).establishments.filter((e) => e.sector === 'public');
    const departements: [string, string, string][] = [['22', 'Côtes-d’Armor', '#1f77b4'], ['29', 'Finistère', '#ff7f0e'], ['35', 'Ille-et-Vilaine', '#2ca02c'], ['56', 'Morbihan', '#d62728']];
    const now = new Date().toISOString();
    const plan = {
      schemaVersion: 1,
      id: 'bretagne-test',
      name: 'Bretagne — une équipe par département',
      regionCode: '53',
      createdAt: now,
      updatedAt: now,
      notes: '',
      teams: departements.map(([code, name, color], i) => ({ id: `t${code}`, name, service: 'Bretagne', base: null, technicians: 5 + i, color, sections: [], allowedDepartements: [code] })),
      assignment: Object.fromEntries(establishments.map((e) => [e.uai, `t${e.departement}`])),
      sections: {},
      zones: [],
      locked: [],
      pcPark: {},
      settings: { pcPerStudent: 0.37, tolerances: { establishments: 0.1, pcs: 0.05, students: null } },
      origin: { kind: 'blank' },
    };
    await page.evaluate((p) => (window as unknown as Handle).__maillage.planning.persistNew(p), plan);
    await page.getByRole('button', { name: 'Proposition' }).click();
    const png = await download(page, 'export-png');
    expect(pngSize(png.bytes)).toEqual({ width: 3508, height: 2480 });
    const regions = JSON.parse(readFileSync('public/data/regions.json', 'utf8')) as { regions: { code: string; layers: { communes: boolean } }[] };
    if (regions.regions.find((r) => r.code === '53')!.layers.communes) await checkTerritories(page, '53', plan, png.bytes);
    await checkDossier(page, plan);

    // A second proposal where Rennes's lycées go to the Morbihan team; the Compare view's dossier
    // (of B, the first proposal) has the comparison page.
    const rennes = establishments.filter((e) => e.commune === 'Rennes').map((e) => e.uai);
    expect(rennes.length).toBeGreaterThan(5);
    const moved = { ...plan, id: 'bretagne-test-2', name: 'Bretagne — Rennes au Morbihan', assignment: { ...plan.assignment, ...Object.fromEntries(rennes.map((uai) => [uai, 't56'])) } };
    await page.evaluate((p) => (window as unknown as Handle).__maillage.planning.persistNew(p), moved);
    await page.getByTestId('open-compare').click();
    await page.getByTestId('compare-view').waitFor();
    const pages = await checkDossier(page, plan, 'compare-pdf');
    const comparison = pages.filter((p) => p.trimStart().startsWith('Comparaison')).join('\n');
    expect(comparison).toMatch(new RegExp(`${rennes.length}\\s+lycées changent d’équipe`));
    expect(comparison).toContain('Lycées qui changent d’équipe');
    // A (open) is the new proposal: its team for Rennes, then B's.
    expect(comparison).toMatch(/Morbihan\s+Ille-et-Vilaine/);
    expect(errors).toEqual([]);
  }, 300_000);
});
