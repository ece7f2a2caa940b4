import { describe, expect, it } from 'vitest';
import { addTeam, assign, assignSection, checkInvariants, createPlan, createZone, deleteTeam, moveToZone, setLocked, updateTeam, type OpResult } from '../../../src/core/model/plan-ops';
import type { Plan } from '../../../src/core/model/plan';

function unwrap(result: OpResult): Plan {
  if (!result.ok) throw new Error(result.reasons.join('; '));
  return result.plan;
}

function twoTeams(): Plan {
  let plan = createPlan({ id: 'p1', name: 'Essai', regionCode: '52', now: '2026-01-01T00:00:00Z' });
  plan = unwrap(addTeam(plan, { name: 'Mayenne', technicians: 4, sections: [{ id: 's1', name: 'Nord' }] }));
  plan = unwrap(addTeam(plan, { name: 'Maine-et-Loire', technicians: 5 }));
  return unwrap(assign(plan, ['0530040F', '0530004S', '0530520C', '0490782J'], 't1'));
}

describe('plan operations', () => {
  it('assigns, makes zones and keeps the invariants', () => {
    let plan = twoTeams();
    plan = unwrap(createZone(plan, ['0530040F', '0530004S', '0530520C']));
    expect(plan.zones[0]).toMatchObject({ id: 'z1', teamId: 't1', name: 'Zone 1', members: ['0530040F', '0530004S', '0530520C'] });
    plan = unwrap(assign(plan, ['0530040F'], 't2'));
    expect(plan.zones[0].members).toEqual(['0530004S', '0530520C']);
    expect(checkInvariants(plan)).toEqual([]);
  });

  it('refuses mixed-team zones and foreign zones without changing anything', () => {
    let plan = twoTeams();
    plan = unwrap(assign(plan, ['0490782J'], 't2'));
    const mixed = createZone(plan, ['0530040F', '0490782J']);
    expect(mixed.ok).toBe(false);
    plan = unwrap(createZone(plan, ['0530040F', '0530004S']));
    const foreign = moveToZone(plan, '0490782J', 'z1');
    expect(foreign).toEqual({ ok: false, reasons: ['Un lycée ne peut rejoindre qu’une zone de sa propre équipe.'] });
  });

  it('refuses to move a locked lycée', () => {
    let plan = unwrap(setLocked(twoTeams(), ['0530040F'], true));
    const result = assign(plan, ['0530040F', '0530004S'], 't2');
    expect(result.ok).toBe(false);
    plan = unwrap(setLocked(plan, ['0530040F'], false));
    expect(assign(plan, ['0530040F'], 't2').ok).toBe(true);
  });

  it('deletes a team by unassigning or moving its lycées and zones', () => {
    let plan = unwrap(createZone(twoTeams(), ['0530040F', '0530004S', '0530520C']));
    const unassigned = unwrap(deleteTeam(plan, 't1', { kind: 'unassign' }));
    expect(unassigned.assignment).toEqual({});
    expect(unassigned.zones).toEqual([]);
    plan = unwrap(deleteTeam(plan, 't1', { kind: 'move', toTeamId: 't2' }));
    expect(Object.values(plan.assignment)).toEqual(['t2', 't2', 't2', 't2']);
    expect(plan.zones[0].teamId).toBe('t2');
    expect(checkInvariants(plan)).toEqual([]);
  });

  it('validates team fields and sections', () => {
    const plan = twoTeams();
    expect(updateTeam(plan, 't1', { technicians: -1 }).ok).toBe(false);
    expect(updateTeam(plan, 't1', { name: ' ' }).ok).toBe(false);
    expect(assignSection(plan, ['0530040F'], 'nope').ok).toBe(false);
    const withSection = unwrap(assignSection(plan, ['0530040F'], 's1'));
    expect(withSection.sections).toEqual({ '0530040F': 's1' });
    expect(unwrap(updateTeam(withSection, 't1', { sections: [] })).sections).toEqual({});
  });
});
