import { describe, expect, it } from 'vitest';
import { assignBlock, buildBlockIndex, inBlock, listBlocks, searchBlocks, summariseBlock, type Block } from '../../../src/core/territory/blocks';
import { addTeam, assign, createPlan, setLocked, type OpResult } from '../../../src/core/model/plan-ops';
import { record, startHistory, undo } from '../../../src/core/history';
import type { Establishment } from '../../../src/core/model/establishment';
import type { Plan } from '../../../src/core/model/plan';

function lycee(uai: string, commune: string, communeCode: string, epci: string | null, arrondissement: string | null, sector: 'public' | 'prive' = 'public'): Establishment {
  return {
    uai, name: `Lycée ${uai}`, kind: 'LEGT', kindSource: 'ips', sector, horsContrat: false, commune, communeCode,
    departement: communeCode.slice(0, 2), departementName: communeCode.startsWith('59') ? 'Nord' : 'Pas-de-Calais', academie: 'Lille',
    epci, epciName: epci === '200093201' ? 'Métropole Européenne de Lille' : epci === '246200364' ? "CA de Lens - Liévin" : null,
    arrondissement, arrondissementName: arrondissement === '595' ? 'Lille' : arrondissement === '627' ? 'Lens' : null,
    lat: 50, lon: 3, students: 500, studentsYear: '2024', ips: 100,
  };
}

const establishments = [
  lycee('0590001A', 'Lille', '59350', '200093201', '595'),
  lycee('0590002B', 'Roubaix', '59512', '200093201', '595'),
  lycee('0590003C', 'Lille', '59350', '200093201', '595', 'prive'),
  lycee('0620001D', 'Lens', '62498', '246200364', '627'),
  // A dataset built before arrondissements existed: membership by arrondissement simply never matches.
  { ...lycee('0620002E', 'Liévin', '62510', '246200364', null), arrondissement: undefined, arrondissementName: undefined },
];

const ok = (r: OpResult): Plan => {
  if (!r.ok) throw new Error(r.reasons.join('\n'));
  return r.plan;
};

function planWithTeams(): Plan {
  let plan = createPlan({ id: 'p', name: 'P', regionCode: '32', now: '2026-01-01T00:00:00Z' });
  plan = ok(addTeam(plan, { name: 'Nord' }, 't1'));
  return ok(addTeam(plan, { name: 'Pas-de-Calais' }, 't2'));
}

const mel: Block = { kind: 'epci', code: '200093201', name: 'Métropole Européenne de Lille' };

describe('administrative blocks', () => {
  it('membership follows the codes carried by each lycée', () => {
    expect(establishments.filter((e) => inBlock(e, mel)).map((e) => e.uai)).toEqual(['0590001A', '0590002B', '0590003C']);
    expect(establishments.filter((e) => inBlock(e, { kind: 'departement', code: '62' }))).toHaveLength(2);
    expect(establishments.filter((e) => inBlock(e, { kind: 'arrondissement', code: '627' })).map((e) => e.uai)).toEqual(['0620001D']);
    expect(establishments.filter((e) => inBlock(e, { kind: 'commune', code: '59350' }))).toHaveLength(2);
  });

  it('lists the blocks with their names and finds them by name, accent-insensitive, or by code', () => {
    const blocks = listBlocks(establishments);
    expect(blocks.filter((b) => b.kind === 'arrondissement').map((b) => b.code).sort()).toEqual(['595', '627']);
    const index = buildBlockIndex(blocks);
    expect(searchBlocks(index, 'metropole europeenne')).toEqual([mel]);
    expect(searchBlocks(index, 'LIEVIN').map((b) => `${b.kind}:${b.code}`)).toEqual(['commune:62510', 'epci:246200364']);
    // Larger blocks first: the arrondissement of Lille before the commune.
    expect(searchBlocks(index, 'lille').map((b) => b.kind)).toEqual(['arrondissement', 'commune', 'epci']);
    expect(searchBlocks(index, '62')).toEqual([{ kind: 'departement', code: '62', name: 'Pas-de-Calais' }]);
    expect(searchBlocks(index, 'x')).toEqual([]);
  });

  it('summarises what a block holds: public lycées, their teams, PCs', () => {
    const plan = ok(assign(planWithTeams(), ['0590001A'], 't2'));
    const summary = summariseBlock(mel, establishments, plan);
    expect(summary.publics.map((e) => e.uai)).toEqual(['0590001A', '0590002B']);
    expect(summary.privateCount).toBe(1);
    expect(summary.byTeam).toEqual(expect.arrayContaining([{ teamId: 't2', count: 1 }, { teamId: null, count: 1 }]));
    expect(summary.pcs).toBe(Math.round(500 * 0.37) * 2);
    expect(summary.pcsEstimated).toBe(true);
  });

  it('assigns all public lycées of a block in one undoable step', () => {
    const before = ok(assign(planWithTeams(), ['0590001A'], 't2'));
    const after = ok(assignBlock(before, establishments, mel, 't1'));
    expect(after.assignment).toEqual({ '0590001A': 't1', '0590002B': 't1' });
    let history = record(startHistory(before), after);
    history = undo(history);
    expect(history.present.assignment).toEqual({ '0590001A': 't2' });
  });

  it('refuses with reasons: empty block, unknown team, locked lycée', () => {
    const plan = planWithTeams();
    expect(assignBlock(plan, establishments, { kind: 'commune', code: '80021', name: 'Amiens' }, 't1')).toEqual({ ok: false, reasons: ['Commune Amiens : aucun lycée public à affecter.'] });
    expect(assignBlock(plan, establishments, mel, 't9')).toMatchObject({ ok: false });
    const locked = ok(setLocked(ok(assign(plan, ['0590002B'], 't2')), ['0590002B'], true));
    const refused = assignBlock(locked, establishments, mel, 't1');
    expect(refused).toMatchObject({ ok: false, reasons: [expect.stringContaining('0590002B')] });
  });
});
