import { describe, expect, it } from 'vitest';
import { addTeam, applyPcPark, assign, createPlan, createZone, deleteTeam, moveToZone, setLocked, setSettings, updateTeam, type OpResult } from '../../../src/core/model/plan-ops';
import type { Plan } from '../../../src/core/model/plan';
import type { Establishment } from '../../../src/core/model/establishment';
import { computeMetrics, metricsContext, updateMetrics } from '../../../src/core/metrics';
import { record, redo, startHistory, undo, type History } from '../../../src/core/history';
import { pick, seededRandom } from '../../../src/core/random';

function establishments(count: number, random: () => number): Establishment[] {
  return Array.from({ length: count }, (_, i) => ({
    uai: `U${String(i).padStart(4, '0')}`,
    name: `Lycée ${i}`, kind: 'LPO', kindSource: 'ips', sector: i % 7 === 0 ? 'prive' : 'public', horsContrat: false,
    commune: 'X', communeCode: null, departement: '59', departementName: 'Nord', academie: 'Lille', epci: null, epciName: null,
    lat: 50 + random(), lon: 2 + random() * 2, students: i % 5 === 0 ? null : Math.floor(200 + random() * 1500), studentsYear: '2022-2023', ips: null,
  }));
}

describe('incremental metrics', () => {
  it('equal a full recompute after every random edit, undo and redo', () => {
    const random = seededRandom(42);
    const list = establishments(120, random);
    const ctx = metricsContext(list);
    const uais = list.map((e) => e.uai);
    let plan: Plan = createPlan({ id: 'p', name: 'Essai', regionCode: '32', now: '2026-01-01T00:00:00Z' });
    for (let t = 0; t < 5; t++) {
      const r = addTeam(plan, { name: `Équipe ${t}`, technicians: 2 + t, base: { lat: 50 + random(), lon: 2 + random() * 2, label: 'base' } });
      if (r.ok) plan = r.plan;
    }
    let history: History<Plan> = startHistory(plan);
    let state = computeMetrics(plan, ctx);
    const edits: ((p: Plan) => OpResult)[] = [
      (p) => assign(p, Array.from({ length: 1 + Math.floor(random() * 8) }, () => pick(random, uais)), random() < 0.1 ? null : pick(random, p.teams).id),
      (p) => {
        const team = pick(random, p.teams);
        const members = Object.keys(p.assignment).filter((u) => p.assignment[u] === team.id).slice(0, 2 + Math.floor(random() * 4));
        return createZone(p, members);
      },
      (p) => (p.zones.length ? moveToZone(p, pick(random, Object.keys(p.assignment)), pick(random, p.zones).id) : assign(p, [pick(random, uais)], p.teams[0].id)),
      (p) => updateTeam(p, pick(random, p.teams).id, { technicians: 1 + Math.floor(random() * 6) }),
      (p) => updateTeam(p, pick(random, p.teams).id, { base: { lat: 50 + random(), lon: 2 + random() * 2, label: 'nouvelle base' } }),
      (p) => applyPcPark(p, { [pick(random, uais)]: { count: Math.floor(random() * 900), source: 'test.csv' } }),
      (p) => setLocked(p, [pick(random, uais)], random() < 0.5),
      (p) => setSettings(p, { ...p.settings, pcPerStudent: Math.round(random() * 100) / 100 }),
      (p) => (p.teams.length > 3 ? deleteTeam(p, pick(random, p.teams).id, { kind: 'unassign' }) : addTeam(p, { name: 'Nouvelle', technicians: 3 })),
    ];
    for (let step = 0; step < 400; step++) {
      const roll = random();
      if (roll < 0.12) history = undo(history);
      else if (roll < 0.2) history = redo(history);
      else {
        const result = pick(random, edits)(history.present);
        if (result.ok) history = record(history, result.plan);
      }
      state = updateMetrics(state, history.present, ctx);
      expect(state.metrics, `step ${step}`).toEqual(computeMetrics(history.present, ctx).metrics);
    }
    expect(state.metrics.teams.length).toBeGreaterThan(0);
  });

  it('flags estimated PC counts and unassigned public lycées', () => {
    const list = establishments(14, seededRandom(1));
    const ctx = metricsContext(list);
    let plan = createPlan({ id: 'p', name: 'Essai', regionCode: '32', now: '2026-01-01T00:00:00Z' });
    const added = addTeam(plan, { name: 'A', technicians: 2 });
    if (!added.ok) throw new Error();
    plan = added.plan;
    const assigned = assign(plan, ['U0001', 'U0002'], 't1');
    if (!assigned.ok) throw new Error();
    const withPark = applyPcPark(assigned.plan, { U0001: { count: 300, source: 'parc.csv' } });
    if (!withPark.ok) throw new Error();
    const m = computeMetrics(withPark.plan, ctx).metrics;
    const u2 = list[2].students ?? 0;
    expect(m.teams[0]).toMatchObject({ lycees: 2, pcs: 300 + Math.round(u2 * 0.37), pcsEstimated: 1, lyceesPerTechnician: 1 });
    expect(m.global.inScope).toBe(12);
    expect(m.global.unassigned).toBe(10);
  });
});
