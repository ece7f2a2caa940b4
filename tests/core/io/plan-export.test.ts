import { existsSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { area, booleanClockwise, booleanPointInPolygon, booleanValid, featureCollection, intersect, polygon } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics, metricsContext, ESTIMATED_DRIVE_TIMES, type MetricsState } from '../../../src/core/metrics';
import type { Establishment } from '../../../src/core/model/establishment';
import type { Plan } from '../../../src/core/model/plan';
import { applyPcPark, assign, assignSection, setLocked, updateTeam } from '../../../src/core/model/plan-ops';
import { adoptTeams, applyImport } from '../../../src/core/io/import-merge';
import { defaultSolveParams, planFromOutcome, prepareSolve, solverReport } from '../../../src/core/solver/from-plan';
import { solve } from '../../../src/core/solver/solve';
import { planToGeoJson, type PlanGeoJson } from '../../../src/core/io/geojson-export';
import { importPlanGeoJson, importPlanTable, type PlanImportOptions } from '../../../src/core/io/plan-import';
import { establishmentsCsv, SHEETS, workbook } from '../../../src/core/io/table-export';
import { readTable } from '../../../src/core/io/table-read';
import { diffPlans } from '../../../src/core/compare/plan-diff';
import { exportFileName } from '../../../src/core/io/file-names';
import { hdf2024WithBases } from '../../../scripts/lib/bench-plans';

const hasData = existsSync('public/data/32/communes.geojson');
const read = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;

let plan: Plan;
let establishments: Establishment[];
let metrics: MetricsState;
let exported: PlanGeoJson;
let options: PlanImportOptions;

function unwrap(result: { ok: true; plan: Plan } | { ok: false; reasons: string[] }): Plan {
  if (!result.ok) throw new Error(result.reasons.join('\n'));
  return result.plan;
}

/** A realistic proposal: HDF 2024 solved (heuristic, zones), with sections, a lock and imported PCs. */
async function solvedHdf(): Promise<Plan> {
  const region = hdf2024WithBases();
  establishments = region.establishments;
  const params = { ...defaultSolveParams(region.plan), method: 'heuristic' as const };
  const prepared = prepareSolve(region.plan, establishments, ESTIMATED_DRIVE_TIMES, params);
  if (!prepared.ok) throw new Error(prepared.reasons.join());
  const outcome = await solve(prepared.prepared.instance, { seed: 1, method: 'heuristic', zones: prepared.prepared.zones });
  const report = solverReport(region.plan, prepared.prepared, outcome, params, ESTIMATED_DRIVE_TIMES);
  let next = planFromOutcome(region.plan, prepared.prepared, outcome, report, { newId: 'p1', now: '2026-11-23T08:00:00Z', name: 'HDF solveur' });
  const team = next.teams[0];
  const member = Object.keys(next.assignment).find((u) => next.assignment[u] === team.id)!;
  next = unwrap(assignSection(next, [member], team.sections[0].id));
  next = unwrap(setLocked(next, [member], true));
  next = unwrap(applyPcPark(next, { [member]: { count: 321, source: 'inventaire.csv' } }));
  next = unwrap(updateTeam(next, next.teams[1].id, { service: 'Nord' }));
  next.notes = 'Proposition de test';
  return next;
}

describe.runIf(hasData)('exports of a proposal', () => {
  beforeAll(async () => {
    plan = await solvedHdf();
    metrics = computeMetrics(plan, metricsContext(establishments));
    exported = planToGeoJson({
      plan,
      metrics,
      establishments,
      region: { code: '32', name: 'Hauts-de-France', boundary: read('public/data/32/region.geojson'), communes: read('public/data/32/communes.geojson') },
      driveTimes: ESTIMATED_DRIVE_TIMES,
      now: '2026-11-23T09:00:00Z',
    });
    options = { newId: 'imported', now: '2026-11-23T10:00:00Z', fileName: 'export.geojson', regionCode: '32', known: new Set(establishments.map((e) => e.uai)) };
  }, 120_000);

  it('GeoJSON: RFC 7946 coordinates, valid polygons with right-hand winding', () => {
    const coordinates = JSON.stringify(exported.features.map((f) => (f.geometry as { coordinates: unknown }).coordinates));
    const numbers = coordinates.match(/-?\d+(\.\d+)?(e-?\d+)?/g)!.map(Number);
    for (let i = 0; i < numbers.length; i += 2) {
      expect(Math.abs(numbers[i])).toBeLessThanOrEqual(180);
      expect(Math.abs(numbers[i + 1])).toBeLessThanOrEqual(90);
    }
    const polygons = exported.features.filter((f) => f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon') as Feature<Polygon | MultiPolygon>[];
    expect(polygons.length).toBeGreaterThan(plan.teams.length);
    for (const feature of polygons) {
      expect(booleanValid(feature), `${feature.properties!.objet} ${feature.properties!.equipe ?? feature.properties!.zone}`).toBe(true);
      const parts = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
      for (const rings of parts) {
        expect(booleanClockwise(rings[0])).toBe(false);
        for (const hole of rings.slice(1)) expect(booleanClockwise(hole), `${feature.properties!.objet} ${feature.properties!.equipe} ${hole.length} ${area(polygon([hole]))}`).toBe(true);
      }
    }
    // The solver keeps lycées sharing a site together: every lycée lies in its team's territory.
    expect(exported.maillage).toMatchObject({ format: 'maillage-geojson', region: { code: '32' }, proposal: { name: 'HDF solveur' }, territories: { method: 'communes', warnings: [] } });
    expect(exported.maillage.proposal.origin).toMatchObject({ kind: 'solver', report: { method: expect.any(String) } });
  });

  it('GeoJSON: every public lycée exactly once; territories do not overlap and cover their lycées', () => {
    const lycees = exported.features.filter((f) => f.properties?.objet === 'lycee');
    const publics = establishments.filter((e) => e.sector === 'public').map((e) => e.uai).sort();
    expect(lycees.map((f) => f.properties!.uai).sort()).toEqual(publics);
    const teams = exported.features.filter((f) => f.properties?.objet === 'equipe') as Feature<Polygon | MultiPolygon>[];
    expect(teams).toHaveLength(plan.teams.length);
    for (let i = 0; i < teams.length; i++) {
      for (let j = i + 1; j < teams.length; j++) {
        const overlap = intersect(featureCollection([teams[i], teams[j]]));
        expect(overlap ? area(overlap) : 0).toBeLessThan(1);
      }
    }
    for (const f of lycees) {
      const territory = teams.find((t) => t.properties!.equipe_id === f.properties!.equipe_id)!;
      expect(booleanPointInPolygon(f.geometry as never, territory), f.properties!.uai).toBe(true);
    }
    const first = teams[0].properties!;
    expect(first).toMatchObject({ techniciens: expect.any(Number), lycees: expect.any(Number), pc: expect.any(Number), trajet_moyen_min: expect.any(Number), morceaux: expect.any(Number), enclaves: expect.any(Number), surface_km2: expect.any(Number) });
    // Territory figures come from the model; the surfaces add up to the Région's communes.
    const surfaces = teams.reduce((sum, t) => sum + (t.properties!.surface_km2 as number), 0);
    const communesArea = read<FeatureCollection<Polygon | MultiPolygon>>('public/data/32/communes.geojson').features.reduce((sum, f) => sum + area(f) / 1e6, 0);
    expect(Math.abs(surfaces - communesArea) / communesArea).toBeLessThan(0.001);
    for (const t of teams) expect(t.properties!.morceaux).toBeGreaterThanOrEqual(1);
    const point = lycees.find((f) => f.properties!.pc_estime === false)!;
    expect(point.properties).toMatchObject({ pc: 321, source_pc: 'inventaire.csv', verrouille: true, section: expect.any(String), source_trajet: ESTIMATED_DRIVE_TIMES.label });
  });

  it('GeoJSON export → import gives an equal proposal', () => {
    const result = importPlanGeoJson(JSON.stringify(exported), options);
    if (!result.ok) throw new Error(result.reasons.join('\n'));
    const back = result.report.plan;
    expect(result.report.rejected).toEqual([]);
    expect(back.teams).toEqual(plan.teams);
    expect(back.assignment).toEqual(plan.assignment);
    expect(back.sections).toEqual(plan.sections);
    expect([...back.locked].sort()).toEqual([...plan.locked].sort());
    expect(back.pcPark).toEqual(plan.pcPark);
    expect(back.settings).toEqual(plan.settings);
    expect([back.name, back.notes]).toEqual([plan.name, plan.notes]);
    const zones = (p: Plan) => p.zones.map((z) => ({ ...z, members: [...z.members].sort() })).sort((a, b) => a.id.localeCompare(b.id));
    expect(zones(back)).toEqual(zones(plan));
  });

  it('CSV export → import keeps every team and zone', async () => {
    const csv = establishmentsCsv({ plan, metrics, establishments, regionName: 'Hauts-de-France', driveTimes: ESTIMATED_DRIVE_TIMES, now: '2026-11-23T09:00:00Z', comparison: null });
    expect(csv.startsWith('\uFEFFUAI;Nom;Commune;Département;Équipe;Section;Zone')).toBe(true);
    const table = await readTable(new TextEncoder().encode(csv), 'export.csv');
    if (!table.ok) throw new Error(table.reasons.join());
    const result = importPlanTable(table.file, { ...options, fileName: 'export.csv' });
    if (!result.ok) throw new Error(result.reasons.join('\n'));
    const back = result.report.plan;
    // Unassigned public lycées come back as rejected rows ("équipe manquante"), nothing else.
    expect(result.report.rejected.every((r) => r.reason === 'équipe manquante')).toBe(true);
    const byName = (p: Plan) => Object.fromEntries(Object.entries(p.assignment).map(([uai, id]) => [uai, p.teams.find((t) => t.id === id)!.name]));
    expect(byName(back)).toEqual(byName(plan));
    const zoneSets = (p: Plan) => p.zones.map((z) => `${p.teams.find((t) => t.id === z.teamId)!.name}/${z.name}:${[...z.members].sort().join(',')}`).sort();
    expect(zoneSets(back)).toEqual(zoneSets(plan));
    expect(result.report.notes.some((n) => n.includes('équipes créées'))).toBe(true);
  });

  it('CSV re-import keeps the open proposal’s teams (technicians, bases, colours, sections) and applies in one step', async () => {
    const csv = establishmentsCsv({ plan, metrics, establishments, regionName: 'Hauts-de-France', driveTimes: ESTIMATED_DRIVE_TIMES, now: '2026-11-23T09:00:00Z', comparison: null });
    const table = await readTable(new TextEncoder().encode(csv), 'export.csv');
    if (!table.ok) throw new Error(table.reasons.join('\n'));
    const result = importPlanTable(table.file, { ...options, fileName: 'export.csv' });
    if (!result.ok) throw new Error(result.reasons.join('\n'));
    expect(result.report.complete).toBe(false);
    const { plan: adopted, matched } = adoptTeams(result.report.plan, plan);
    expect(matched.length).toBe(plan.teams.length);
    const summary = (p: Plan) => p.teams.map((t) => ({ id: t.id, name: t.name, technicians: t.technicians, base: t.base, color: t.color, service: t.service, sections: t.sections.map((x) => x.name).sort() })).sort((a, b) => a.id.localeCompare(b.id));
    expect(summary(adopted)).toEqual(summary(plan));
    expect(adopted.assignment).toEqual(plan.assignment);
    expect(adopted.sections).toEqual(plan.sections);

    // Applied to an open proposal that moved lycées away and lost its zones: the file's state comes back, the rest stays.
    const moved = Object.keys(plan.assignment).slice(0, 5);
    const edited = unwrap(assign({ ...plan, zones: [], locked: [] }, moved, plan.teams[2].id));
    const applied = unwrap(applyImport(edited, result.report.plan));
    expect(applied.id).toBe(plan.id);
    expect(applied.assignment).toEqual(plan.assignment);
    expect(summary(applied)).toEqual(summary(plan));
    expect(applied.zones.map((z) => `${z.teamId}/${z.name}/${[...z.members].sort().join(',')}`).sort()).toEqual(plan.zones.map((z) => `${z.teamId}/${z.name}/${[...z.members].sort().join(',')}`).sort());
    expect(applied.pcPark).toEqual(plan.pcPark);

    // A team the open proposal lacks is added with a colour no open team uses.
    const renamed = { ...result.report.plan, teams: result.report.plan.teams.map((t, i) => (i === 0 ? { ...t, name: 'Équipe nouvelle' } : t)) };
    const merged = unwrap(applyImport(plan, renamed));
    expect(merged.teams.length).toBe(plan.teams.length + 1);
    const added = merged.teams.at(-1)!;
    expect(added.name).toBe('Équipe nouvelle');
    expect(plan.teams.some((t) => t.id === added.id || t.color.toLowerCase() === added.color.toLowerCase())).toBe(false);
  });

  it('XLSX opens with exceljs with the expected sheets and totals', async () => {
    const other: Plan = { ...plan, name: 'Autre', assignment: { ...plan.assignment } };
    const moved = Object.keys(other.assignment).slice(0, 3);
    for (const uai of moved) other.assignment[uai] = other.teams[(other.teams.findIndex((t) => t.id === other.assignment[uai]) + 1) % other.teams.length].id;
    const diff = diffPlans(other, plan, establishments);
    expect(diff.moved.map((m) => m.uai).sort()).toEqual([...moved].sort());
    const bytes = await workbook({ plan, metrics, establishments, regionName: 'Hauts-de-France', driveTimes: ESTIMATED_DRIVE_TIMES, now: '2026-11-23T09:00:00Z', comparison: { name: other.name, diff }, territory: new Map(plan.teams.map((t, i) => [t.id, { areaKm2: 1000.4 + i, pieces: 1 + (i % 2), enclaves: 0 }])) });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes.buffer as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(Object.values(SHEETS));
    const teams = book.getWorksheet(SHEETS.teams)!;
    expect(teams.rowCount).toBe(plan.teams.length + 2);
    const column = (name: string) => (teams.getRow(1).values as string[]).indexOf(name);
    const total = teams.getRow(teams.rowCount);
    expect(total.getCell(1).value).toBe('Total');
    let lycees = 0;
    let pcs = 0;
    for (let r = 2; r < teams.rowCount; r++) {
      lycees += Number(teams.getRow(r).getCell(column('Lycées')).value);
      pcs += Number(teams.getRow(r).getCell(column('PC')).value);
    }
    expect(total.getCell(column('Lycées')).value).toBe(lycees);
    expect(lycees).toBe(Object.keys(plan.assignment).length);
    expect(total.getCell(column('PC')).value).toBe(pcs);
    expect(total.getCell(column('Techniciens')).value).toBe(123);
    expect([teams.getRow(2).getCell(column('Surface (km²)')).value, teams.getRow(3).getCell(column('Morceaux')).value, teams.getRow(2).getCell(column('Enclaves')).value]).toEqual([1000, 2, 0]);
    expect(book.getWorksheet(SHEETS.establishments)!.rowCount).toBe(establishments.filter((e) => e.sector === 'public').length + 1);
    expect(book.getWorksheet(SHEETS.zones)!.rowCount).toBe(plan.zones.length + 1);
    expect(book.getWorksheet(SHEETS.moved)!.rowCount).toBe(4);
  });

  it('file names say the proposal and the date', () => {
    expect(exportFileName('HDF — Scénario été 2025 !', '2026-11-23T09:00:00Z', 'geojson')).toBe('maillage_hdf-scenario-ete-2025_2026-11-23.geojson');
  });
});

describe.runIf(hasData)('territories without a commune layer', () => {
  it('fall back to Voronoi cells clipped to the Région, valid and disjoint', () => {
    const region = read<FeatureCollection<Polygon | MultiPolygon>>('public/data/32/region.geojson');
    const fallback = planToGeoJson({ plan, metrics, establishments, region: { code: '32', name: 'Hauts-de-France', boundary: region, communes: null }, driveTimes: ESTIMATED_DRIVE_TIMES, now: '2026-11-23T09:00:00Z' });
    expect(fallback.maillage.territories.method).toBe('voronoi');
    const teams = fallback.features.filter((f) => f.properties?.objet === 'equipe') as Feature<Polygon | MultiPolygon>[];
    for (const t of teams) expect(booleanValid(t)).toBe(true);
    const total = teams.reduce((sum, t) => sum + area(t), 0);
    expect(total / area(region)).toBeCloseTo(1, 3);
    expect(polygon(teams[0].geometry.type === 'Polygon' ? teams[0].geometry.coordinates : teams[0].geometry.coordinates[0])).toBeTruthy();
  });
});

describe('plan import validation', () => {
  const known = new Set(['0590071G', '0590214M', '0590119J', '0620040G']);
  const base = { newId: 'x', now: '2026-11-23T10:00:00Z', regionCode: '32', known };

  it('CSV: bad key letter with a suggestion, unknown UAI, conflicting rows, missing team; valid rows kept', async () => {
    const csv = 'Code UAI;Équipe;Zone\n0590071H;Nord 1;Z1\n0590071G;Nord 1;Z1\n0750001A;Paris;\n0590214M;Nord 2;\n0590214M;Nord 3;\n0590119J;;\n0620040G;PdC 2;\n0620040G;PdC 2;\n';
    const table = await readTable(new TextEncoder().encode(csv), 'plan.csv');
    if (!table.ok) throw new Error(table.reasons.join());
    const result = importPlanTable(table.file, { ...base, fileName: 'plan.csv' });
    if (!result.ok) throw new Error(result.reasons.join());
    const reasons = result.report.rejected.map((r) => `${r.where}: ${r.reason}`);
    expect(reasons).toEqual([
      'ligne 2: UAI « 0590071H » invalide : lettre clé incorrecte (faute de frappe probable) (vouliez-vous dire 0590071G ?)',
      expect.stringMatching(/^ligne 4: UAI 0750001[A-Z] inconnu dans cette Région$|^ligne 4: UAI « 0750001A » invalide/),
      'ligne 7: équipe manquante',
      expect.stringContaining('lignes en conflit pour 0590214M'),
      expect.stringContaining('lignes en conflit pour 0590214M'),
    ]);
    const plan = result.report.plan;
    expect(Object.keys(plan.assignment).sort()).toEqual(['0590071G', '0620040G']);
    expect(plan.teams.map((t) => t.name)).toEqual(['Nord 1', 'PdC 2']);
    expect(plan.zones).toEqual([{ id: 'z1', teamId: plan.assignment['0590071G'], name: 'Z1', members: ['0590071G'], fixed: false }]);
    expect(plan.origin).toEqual({ kind: 'import', fileName: 'plan.csv' });
  });

  it('a GIS layer: points with a UAI and a team property', () => {
    const gis = { type: 'FeatureCollection', features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [2.3, 51] }, properties: { CODE_UAI: '0590071G', Team: 'A' } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [3, 50.6] }, properties: { CODE_UAI: '0590119J', Team: 'B' } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [3, 50.6] }, properties: { CODE_UAI: '059011', Team: 'B' } },
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: {} },
    ] };
    const result = importPlanGeoJson(JSON.stringify(gis), { ...base, fileName: 'couche.geojson' });
    if (!result.ok) throw new Error(result.reasons.join());
    expect(result.report.plan.teams.map((t) => t.name)).toEqual(['A', 'B']);
    expect(result.report.rejected).toEqual([
      { where: 'objet 3', line: null, value: '059011', reason: expect.stringContaining('8 caractères'), suggestion: null },
      { where: 'objet 4', line: null, value: 'Polygon', reason: expect.stringContaining('un point (le lycée) est attendu'), suggestion: null },
    ]);
    expect(result.report.rowsRead).toBe(4);
    expect(importPlanGeoJson('{"type":"Feature"}', { ...base, fileName: 'x.geojson' })).toEqual({ ok: false, reasons: ['Une FeatureCollection GeoJSON est attendue (trouvé le type « Feature »).'] });
    expect(importPlanGeoJson('nope', { ...base, fileName: 'x.geojson' })).toMatchObject({ ok: false });
  });
});
