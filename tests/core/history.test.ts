import { describe, expect, it } from 'vitest';
import { packHistory, record, startHistory, undo, unpackHistory, type History } from '../../src/core/history';
import { applyRecordPatch, diffRecords } from '../../src/core/patch';
import { addTeam, assign, createPlan, setLocked, updateTeam, type OpResult } from '../../src/core/model/plan-ops';
import type { Plan } from '../../src/core/model/plan';
import { pick, seededRandom } from '../../src/core/random';

const ok = (result: OpResult): Plan => {
  if (!result.ok) throw new Error(result.reasons.join('; '));
  return result.plan;
};

function editedHistory(steps: number, seed: number): History<Plan> {
  const random = seededRandom(seed);
  const uais = Array.from({ length: 300 }, (_, i) => `U${i}`);
  let plan = createPlan({ id: 'p', name: 'Essai', regionCode: '32', now: '2026-01-01T00:00:00Z' });
  for (let t = 0; t < 4; t++) plan = ok(addTeam(plan, { name: `Équipe ${t}`, technicians: 3 }));
  let history = startHistory(plan);
  for (let i = 0; i < steps; i++) {
    const p = history.present;
    const roll = random();
    const result =
      roll < 0.6
        ? assign(p, [pick(random, uais), pick(random, uais)], random() < 0.1 ? null : pick(random, p.teams).id)
        : roll < 0.8
          ? updateTeam(p, pick(random, p.teams).id, { technicians: 1 + Math.floor(random() * 9) })
          : setLocked(p, [pick(random, uais)], random() < 0.5);
    if (result.ok) history = record(history, result.plan);
    if (random() < 0.15) history = undo(history);
  }
  return history;
}

describe('record patches', () => {
  it('turn one version into the other and share what did not change', () => {
    const others = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`u${i}`, 't1']));
    type Shape = { name: string; teams: number[]; assignment: Record<string, string>; gone?: boolean };
    const a: Shape = { name: 'A', teams: [1, 2], assignment: { ...others, x: 't1', y: 't2', z: 't1' }, gone: true };
    const b: Shape = { name: 'A', teams: [1, 2, 3], assignment: { ...others, x: 't1', y: 't3', w: 't2' } };
    const patch = diffRecords(a, b);
    expect(patch.entries.assignment).toEqual({ set: { y: 't3', w: 't2' }, unset: ['z'] });
    expect(patch.remove).toEqual(['gone']);
    expect(applyRecordPatch(a, patch)).toEqual(b);
    expect(applyRecordPatch(a, diffRecords(a, a))).toEqual(a);
  });
});

describe('stored undo history', () => {
  it('rebuilds every past and future state from the present and the patches', () => {
    const history = editedHistory(120, 7);
    const packed = packHistory(history, 200);
    const back = unpackHistory(structuredClone(history.present), structuredClone(packed));
    expect(back.past.length).toBe(history.past.length);
    expect(back.future.length).toBe(history.future.length);
    back.past.forEach((state, i) => expect(state).toEqual(history.past[i]));
    back.future.forEach((state, i) => expect(state).toEqual(history.future[i]));
  });

  it('keeps the nearest steps when bounded, and stays small for small edits', () => {
    const history = editedHistory(80, 3);
    const packed = packHistory(history, 10);
    const back = unpackHistory(history.present, packed);
    expect(back.past).toEqual(history.past.slice(-10));
    const perStep = JSON.stringify(packed.past).length / packed.past.length;
    expect(perStep).toBeLessThan(JSON.stringify(history.present).length / 5);
  });
});
