import { describe, expect, it } from 'vitest';
import { addTeam, assign, createPlan, createZone, type OpResult } from '../../../src/core/model/plan-ops';
import type { Plan } from '../../../src/core/model/plan';
import type { Establishment } from '../../../src/core/model/establishment';
import { computeMetrics, metricsContext } from '../../../src/core/metrics';
import { diffPlans } from '../../../src/core/compare/plan-diff';
import { dossierContent, mapInput } from '../../../src/core/document/dossier';

const lycee = (i: number, lon: number, commune: string, sector: 'public' | 'prive' = 'public'): Establishment => ({
  uai: `059000${i}A`, name: `Lycée ${i}`, kind: 'LPO', kindSource: 'ips', sector, horsContrat: false,
  commune, communeCode: `59${i}`, departement: '59', departementName: 'Nord', academie: 'Lille', epci: null, epciName: null,
  lat: 50.5, lon, students: 1000, studentsYear: '2022-2023', ips: null,
});

const ok = (result: OpResult): Plan => {
  if (!result.ok) throw new Error(result.reasons.join(' '));
  return result.plan;
};

describe('dossierContent', () => {
  const establishments = [lycee(1, 3.0, 'Lille'), lycee(2, 3.1, 'Lille'), lycee(3, 3.2, 'Roubaix'), lycee(4, 3.3, 'Tourcoing'), lycee(5, 3.4, 'Wattrelos'), lycee(6, 3.5, 'Privée', 'prive')];
  let plan = createPlan({ id: 'p', name: 'Essai', regionCode: '32', now: '2026-03-01T10:00:00Z' });
  plan = ok(addTeam(plan, { name: 'Nord 1', technicians: 2, base: { lat: 50.5, lon: 3.0, label: 'Lycée 1' } }));
  plan = ok(addTeam(plan, { name: 'Nord 2', technicians: 1 }));
  const [t1, t2] = plan.teams.map((t) => t.id);
  plan = ok(assign(plan, establishments.slice(0, 3).map((e) => e.uai), t1));
  plan = ok(assign(plan, [establishments[3].uai], t2));
  plan = ok(createZone(plan, establishments.slice(0, 3).map((e) => e.uai)));
  const metrics = computeMetrics(plan, metricsContext(establishments));
  const input = { plan, metrics, establishments, regionName: 'Hauts-de-France', title: 'Titre', subtitle: 'Sous-titre', driveTimes: { label: 'estimation', estimated: true }, now: '2026-11-25T10:00:00Z', territories: 'communes' as const, comparison: null };

  it('gathers the team table, the lycées and zones of each team, totals and hypotheses', () => {
    const content = dossierContent(input);
    expect(content.teams.map((t) => [t.name, t.lycees, t.technicians])).toEqual([['Nord 1', 3, 2], ['Nord 2', 1, 1]]);
    expect(content.totals).toMatchObject({ lycees: 4, inScope: 5, unassigned: 1, technicians: 3, zones: 1, pcsEstimated: 4 });
    expect(content.unassigned).toEqual([{ uai: '0590005A', name: 'Lycée 5', commune: 'Wattrelos' }]);
    expect(content.lycees[t1].map((l) => l.commune)).toEqual(['Lille', 'Lille', 'Roubaix']);
    expect(content.lycees[t1][0].driveSeconds).toBe(0);
    expect(content.lycees[t2][0].driveSeconds).toBeNull();
    expect(content.zones[t1][0].members).toEqual(['0590001A (Lille)', '0590002A (Lille)', '0590003A (Roubaix)']);
    expect(content.hypotheses.join('\n')).toContain('4 lycées sans parc importé sont estimés à élèves × 0,37 PC');
    expect(content.hypotheses.join('\n')).toContain('l’équipe qui l’atteint le plus tôt de commune voisine en commune voisine');
    expect(dossierContent({ ...input, territories: 'voronoi' }).hypotheses.join('\n')).toContain('Voronoï');
    expect(content.comparison).toBeNull();
  });

  it('lists the moved lycées and the per-team values of both proposals', () => {
    const other = ok(assign(plan, [establishments[2].uai], t2));
    const content = dossierContent({ ...input, comparison: { other, otherMetrics: computeMetrics(other, metricsContext(establishments)), diff: diffPlans(plan, other, establishments), aIsOther: false } });
    expect(content.comparison!.thisIsA).toBe(true);
    expect(content.comparison!.moved).toEqual([{ uai: '0590003A', name: 'Lycée 3', commune: 'Roubaix', from: 'Nord 1', to: 'Nord 2' }]);
    expect(content.comparison!.rows.find((r) => r.team === 'Nord 2')!.lycees).toEqual([1, 2]);
  });

  it('draws the public lycées and every assigned one, located by commune code', () => {
    const map = mapInput(plan, establishments, metrics);
    expect(map.lycees).toHaveLength(5);
    expect(map.points.map((p) => [p.uai, p.teamId, p.communeCode])).toContainEqual(['0590004A', t2, '594']);
    expect(map.zones[0].points).toHaveLength(3);
    expect(map.teams[0]).toMatchObject({ name: 'Nord 1', lycees: 3, technicians: 2 });
  });
});
