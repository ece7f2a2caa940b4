import { describe, expect, it } from 'vitest';
import { exportProposal, importProposal } from '../../../src/core/io/proposal-file';
import { addTeam, assign, createPlan, createZone, type OpResult } from '../../../src/core/model/plan-ops';
import type { Plan } from '../../../src/core/model/plan';

const unwrap = (r: OpResult): Plan => {
  if (!r.ok) throw new Error(r.reasons.join());
  return r.plan;
};
const known = new Set(['0490003M', '0490001K', '0492123S', '0490002L']);

function sample(): Plan {
  let plan = createPlan({ id: 'p1', name: 'Essai', regionCode: '52', now: '2026-01-01T00:00:00Z' });
  plan = unwrap(addTeam(plan, { name: 'Angers', technicians: 3, base: { lat: 47.47, lon: -0.55, label: 'Chevrollier', uai: '0490003M' } }));
  plan = unwrap(assign(plan, ['0490003M', '0490001K', '0492123S'], 't1'));
  return unwrap(createZone(plan, ['0490003M', '0490001K', '0492123S']));
}

describe('proposal files', () => {
  it('round-trip to an equal plan (new id, import origin)', () => {
    const plan = sample();
    const result = importProposal(exportProposal(plan, '2026-02-01T00:00:00Z'), known, { newId: 'p2', now: '2026-02-02T00:00:00Z', fileName: 'essai.maillage.json' });
    if (!result.ok) throw new Error(result.reasons.join());
    expect(result.report.rejected).toEqual([]);
    expect(result.report.accepted.length).toBe(result.report.rowsRead);
    expect({ ...result.report.plan, id: plan.id, createdAt: plan.createdAt, updatedAt: plan.updatedAt, origin: plan.origin }).toEqual(plan);
  });

  it('keeps valid entries and lists the rejected ones', () => {
    const file = JSON.parse(exportProposal(sample(), 'now'));
    file.plan.assignment['04921235'] = 't1';
    file.plan.assignment['0590001X'] = 't1';
    file.plan.assignment['0490002L'] = 'ghost';
    const result = importProposal(JSON.stringify(file), known, { newId: 'p2', now: 'now', fileName: 'f.json' });
    if (!result.ok) throw new Error(result.reasons.join());
    expect(Object.keys(result.report.plan.assignment).sort()).toEqual(['0490001K', '0490003M', '0492123S']);
    expect(result.report.rejected.map((r) => r.value)).toEqual(['04921235', '0590001X', '0490002L']);
    expect(result.report.rejected[0].reason).toContain('0492123S');
  });

  it('refuses what is not a proposal', () => {
    const opts = { newId: 'x', now: 'now', fileName: 'f' };
    expect(importProposal('{', known, opts)).toMatchObject({ ok: false });
    expect(importProposal('{"format":"autre"}', known, opts)).toMatchObject({ ok: false });
    expect(importProposal(JSON.stringify({ format: 'maillage-proposal', version: 99, plan: {} }), known, opts)).toMatchObject({ ok: false, reasons: [expect.stringContaining('version 99')] });
  });
});
