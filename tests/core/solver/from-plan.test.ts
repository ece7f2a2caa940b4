import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ESTIMATED_DRIVE_TIMES } from '../../../src/core/metrics';
import { checkInvariants, createZone, setLocked } from '../../../src/core/model/plan-ops';
import type { Plan } from '../../../src/core/model/plan';
import { defaultSolveParams, parseCandidateSites, planFromOutcome, prepareSolve, solverReport, type PlanSolveParams } from '../../../src/core/solver/from-plan';
import { genericSolution, parseGenericInstance } from '../../../src/core/solver/generic';
import { solve } from '../../../src/core/solver/solve';
import { hdf2024WithBases, scenarioPlan } from '../../../scripts/lib/bench-plans';

const run = promisify(execFile);
const hasData = existsSync('public/data/32/establishments.json') && existsSync('public/data/52/establishments.json');

async function solvePlan(plan: Plan, establishments: Parameters<typeof prepareSolve>[1], params: PlanSolveParams) {
  const prepared = prepareSolve(plan, establishments, ESTIMATED_DRIVE_TIMES, params);
  if (!prepared.ok) throw new Error(prepared.reasons.join('\n'));
  const outcome = await solve(prepared.prepared.instance, { seed: params.seed, method: params.method, timeLimitSeconds: params.timeLimitSeconds, zones: prepared.prepared.zones });
  const report = solverReport(plan, prepared.prepared, outcome, params, ESTIMATED_DRIVE_TIMES);
  return { next: planFromOutcome(plan, prepared.prepared, outcome, report, { newId: 'solved', now: '2026-11-23T00:00:00Z', name: 'Solveur' }), report };
}

describe.runIf(hasData)('solver on real organisations', () => {
  it('HDF 2024: every public lycée once, départements, locks, fixed zones and zone sizes hold', async () => {
    const { plan: base, establishments } = hdf2024WithBases();
    const publics = establishments.filter((e) => e.sector === 'public');
    const byUai = new Map(establishments.map((e) => [e.uai, e]));
    // Lock one lycée of the Nord to a Nord team and fix a zone of three Somme lycées in an AOS team.
    const nord = publics.find((e) => e.departement === '59')!;
    const somme = publics.filter((e) => e.departement === '80').slice(0, 3);
    let plan = base;
    const steps = [
      () => ({ ok: true as const, plan: { ...plan, assignment: { ...plan.assignment, [nord.uai]: plan.teams[3].id, ...Object.fromEntries(somme.map((e) => [e.uai, plan.teams[7].id])) } } }),
      () => setLocked(plan, [nord.uai], true),
      () => createZone(plan, somme.map((e) => e.uai), { id: 'zfixed', fixed: true, name: 'Figée' }),
    ];
    for (const step of steps) {
      const result = step();
      if (!result.ok) throw new Error(result.reasons.join());
      plan = result.plan;
    }
    const params = { ...defaultSolveParams(plan), method: 'heuristic' as const };
    const { next, report } = await solvePlan(plan, establishments, params);
    expect(checkInvariants(next)).toEqual([]);
    expect(Object.keys(next.assignment).sort()).toEqual(publics.map((e) => e.uai).sort());
    expect(next.assignment[nord.uai]).toBe(plan.teams[3].id);
    for (const [uai, teamId] of Object.entries(next.assignment)) {
      const team = next.teams.find((t) => t.id === teamId)!;
      expect(team.allowedDepartements).toContain(byUai.get(uai)!.departement);
    }
    expect(next.zones.find((z) => z.id === 'zfixed')?.members).toEqual(somme.map((e) => e.uai));
    const zoned = next.zones.flatMap((z) => z.members);
    expect(new Set(zoned).size).toBe(zoned.length);
    expect(zoned).toHaveLength(publics.length);
    for (const zone of next.zones.filter((z) => !z.fixed)) {
      expect(zone.members.length).toBeGreaterThanOrEqual(3);
      expect(zone.members.length).toBeLessThanOrEqual(5);
      for (const uai of zone.members) expect(next.assignment[uai]).toBe(zone.teamId);
    }
    // The Nord has more lycées per technician than the Aisne-Oise-Somme: the bands cannot all hold
    // within départements, and the report says by how much instead of failing.
    expect(report.violations.length).toBeGreaterThan(0);
    expect(report.violations[0]).toMatchObject({ team: expect.any(String), attribute: expect.stringMatching(/lycées|PC/) });
    expect(next.origin).toMatchObject({ kind: 'solver', fromPlanId: plan.id });
    // Cités scolaires: lycées at one address share a team.
    const bySite = new Map<string, string>();
    let shared = 0;
    for (const e of publics) {
      const key = `${e.lat},${e.lon}`;
      const first = bySite.get(key);
      if (first === undefined) bySite.set(key, next.assignment[e.uai]);
      else {
        shared++;
        expect(next.assignment[e.uai], e.uai).toBe(first);
      }
    }
    expect(shared).toBeGreaterThan(10);
    expect(report.points).toBe(publics.length);
    expect(base.assignment).toEqual({});
  });

  it('PdL 2025 with bases chosen: one distinct lycée per team, stability keeps most lycées in place', async () => {
    const { plan, establishments } = scenarioPlan('pdl-2025', '52');
    const chosen = await solvePlan(plan, establishments, { ...defaultSolveParams(plan), baseMode: 'chosen', departementMode: 'free', method: 'heuristic', zones: { enabled: false, min: 3, max: 5 } });
    const bases = chosen.next.teams.map((t) => t.base?.uai);
    expect(bases.every((uai) => uai !== undefined)).toBe(true);
    expect(new Set(bases).size).toBe(plan.teams.length);
    expect(chosen.report.bound).toBeNull();
    const stable = await solvePlan(chosen.next, establishments, { ...defaultSolveParams(plan), departementMode: 'free', stabilityMinutes: 600, zones: { enabled: false, min: 3, max: 5 } });
    expect(stable.report.moved).toBeLessThan(10);
  });

  it('zones only: PdL published sectors kept lycée for lycée, zones compared and long ones flagged and avoided', async () => {
    const { plan: published, establishments } = scenarioPlan('pdl-2025', '52');
    const plan: Plan = { ...published, settings: { ...published.settings, zoneMaxDriveMinutes: 25 } };
    const params = { ...defaultSolveParams(plan), zonesOnly: true, method: 'heuristic' as const };
    const { next, report } = await solvePlan(plan, establishments, params);
    expect(next.assignment).toEqual(plan.assignment);
    expect(report.zoneComparison).toHaveLength(plan.teams.length);
    const limit = 25 * 60;
    for (const row of report.zoneComparison!) for (const zone of [...row.before, ...row.after]) expect(zone.long).toBe(zone.longestSeconds > limit);
    const published0 = report.zoneComparison!.find((row) => row.before.length > 0)!;
    expect(published0.before.reduce((sum, z) => sum + z.members, 0)).toBeGreaterThan(0);
    expect(report.zones!.longZones).toBe(report.zoneComparison!.flatMap((row) => row.after).filter((z) => z.long).length);
    // Without the limit the solver does not avoid long zones: it never has fewer of them.
    const loose = await solvePlan({ ...plan, settings: { ...plan.settings, zoneMaxDriveMinutes: 100_000 } }, establishments, params);
    const longUnder = (r: typeof report) => r.zoneComparison!.flatMap((row) => row.after).filter((z) => z.longestSeconds > limit).length;
    expect(longUnder(report)).toBeLessThanOrEqual(longUnder(loose.report));
    for (const zone of next.zones) for (const uai of zone.members) expect(next.assignment[uai]).toBe(zone.teamId);
  });

  it('refuses with reasons a plan it cannot solve', () => {
    const { plan, establishments } = scenarioPlan('pdl-2025', '52');
    const noTeams = prepareSolve({ ...plan, teams: [], assignment: {}, zones: [], sections: {} }, establishments, ESTIMATED_DRIVE_TIMES, defaultSolveParams(plan));
    expect(noTeams).toMatchObject({ ok: false, reasons: [expect.stringContaining('aucune équipe')] });
    const oneDept = { ...plan, teams: plan.teams.map((t) => ({ ...t, allowedDepartements: ['44'] })) };
    const orphans = prepareSolve(oneDept, establishments, ESTIMATED_DRIVE_TIMES, defaultSolveParams(plan));
    expect(orphans).toMatchObject({ ok: false, reasons: [expect.stringContaining('qu’aucune équipe ne couvre')] });
  });
});

describe('generic instances', () => {
  it('solves the documented CPMP example through the CLI', async () => {
    const { stdout } = await run('npx', ['tsx', 'scripts/solve.ts', 'tests/fixtures/solver/cpmp-small.json']);
    const solution = JSON.parse(stdout) as ReturnType<typeof genericSolution>;
    expect(Object.keys(solution.assignment)).toHaveLength(10);
    expect(solution.facilities).toHaveLength(3);
    for (const f of solution.facilities) expect(f.load.demand).toBeLessThanOrEqual(40);
    expect(solution.violations).toEqual([]);
  });

  it('lists every problem of an invalid instance', async () => {
    const parsed = parseGenericInstance({ format: 'maillage-instance', version: 1, attributes: ['d'], cost: { type: 'haversine' }, points: [{ id: 'a', x: 1 }, { id: 'a', x: 2, y: 2, values: { d: -1 } }], facilities: [{ id: 'F', site: 'zz' }] });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reasons).toEqual(
      expect.arrayContaining([
        'points[0].y : nombre attendu.',
        'points[1].values.d : nombre positif ou nul attendu.',
        'points : identifiant en double « a ».',
        'facilities[0].site : site inconnu « zz ».',
        'cost.type haversine : coordonnées « latlon » nécessaires.',
      ]),
    );
    const failed = await run('npx', ['tsx', 'scripts/solve.ts', 'package.json']).catch((e: { stderr: string; code: number }) => e);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('format : « maillage-instance » attendu.') });
  });

  it('fixed facilities with a cost matrix and per-facility bounds', async () => {
    const parsed = parseGenericInstance({
      format: 'maillage-instance',
      version: 1,
      attributes: ['n'],
      cost: { type: 'matrix', values: [[1, 9], [2, 8], [9, 1], [8, 2]] },
      points: ['a', 'b', 'c', 'd'].map((id) => ({ id, values: { n: 1 } })),
      sites: [{ id: 'S1' }, { id: 'S2' }],
      facilities: [
        { id: 'F1', site: 'S1', bounds: { n: { max: 3 } } },
        { id: 'F2', site: 'S2', bounds: { n: { min: 1, max: 3 } } },
      ],
    });
    if (!parsed.ok) throw new Error(parsed.reasons.join());
    const solution = genericSolution(parsed.value, await solve(parsed.value.instance, { seed: 1 }));
    expect(solution.assignment).toEqual({ a: 'F1', b: 'F1', c: 'F2', d: 'F2' });
    expect(solution.objective).toBe(6);
    expect(solution.gap).toBe(0);
  });
});

describe('candidate sites typed by the user', () => {
  it('keeps valid lines and lists the others', () => {
    const { sites, reasons } = parseCandidateSites('50,6292 ; 3,0573 ; Région, Lille\n\n49.9;2.3\nabc;1;x\n95;1;loin');
    expect(sites).toEqual([
      { lat: 50.6292, lon: 3.0573, label: 'Région, Lille' },
      { lat: 49.9, lon: 2.3, label: 'Site 49.9000, 2.3000' },
    ]);
    expect(reasons).toEqual(['Ligne 4 : « latitude ; longitude ; libellé » attendu.', 'Ligne 5 : coordonnées hors limites (95, 1).']);
  });
});

describe.runIf(hasData)('assignment units and one-piece sectors on HDF 2024', () => {
  it('EPCI blocks: all public lycées of an EPCI go to one team unless it is too large for any, and the report says so', async () => {
    const { plan, establishments } = hdf2024WithBases();
    const params = { ...defaultSolveParams(plan), method: 'heuristic' as const, departementMode: 'free' as const, unit: 'epci' as const, zones: { enabled: false, min: 3, max: 5 } };
    const { next, report } = await solvePlan(plan, establishments, params);
    // The MEL alone holds more lycées than any team may take: it is cut into communes, and said so.
    expect(report.unit.split).toContain('EPCI Métropole Européenne de Lille');
    const teamsOfEpci = new Map<string, Set<string>>();
    for (const e of establishments) {
      if (e.sector !== 'public' || !e.epci || report.unit.split.includes(`EPCI ${e.epciName}`)) continue;
      const set = teamsOfEpci.get(e.epci) ?? new Set<string>();
      set.add(next.assignment[e.uai]);
      teamsOfEpci.set(e.epci, set);
    }
    expect(teamsOfEpci.size).toBeGreaterThan(40);
    for (const teams of teamsOfEpci.values()) expect(teams.size).toBe(1);
    expect(report.unit.kind).toBe('epci');
    expect(report.unit.blocks).toBeLessThan(establishments.filter((e) => e.sector === 'public').length / 2);
  });

  it.runIf(existsSync('public/data/32/adjacency.json'))('one-piece sectors: every team’s communes form one piece', async () => {
    const { readFileSync } = await import('node:fs');
    const communes = JSON.parse(readFileSync('public/data/32/adjacency.json', 'utf8'));
    const { plan, establishments } = hdf2024WithBases();
    const params = { ...defaultSolveParams(plan), method: 'heuristic' as const, departementMode: 'free' as const, contiguous: true, zones: { enabled: false, min: 3, max: 5 } };
    const prepared = prepareSolve(plan, establishments, ESTIMATED_DRIVE_TIMES, params, communes);
    if (!prepared.ok) throw new Error(prepared.reasons.join('\n'));
    const outcome = await solve(prepared.prepared.instance, { seed: 1, method: 'heuristic' });
    expect(outcome.contiguity?.pieces).toEqual(plan.teams.map(() => 1));
    const report = solverReport(plan, prepared.prepared, outcome, params, ESTIMATED_DRIVE_TIMES);
    expect(report.contiguity?.costSeconds).toBeGreaterThanOrEqual(0);
  });

  it('refuses one-piece sectors without commune borders, with a reason', () => {
    const { plan, establishments } = hdf2024WithBases();
    const prepared = prepareSolve(plan, establishments, ESTIMATED_DRIVE_TIMES, { ...defaultSolveParams(plan), contiguous: true }, null);
    expect(prepared.ok).toBe(false);
    if (!prepared.ok) expect(prepared.reasons.join()).toContain('seul tenant');
  });
});
