import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { MaillageDatabase, ProposalStore } from '../../src/state/db';
import { addTeam, assign, createPlan } from '../../src/core/model/plan-ops';

describe('proposal persistence (IndexedDB)', () => {
  it('saves, lists by Région, reloads from a new connection and deletes', async () => {
    const name = `test-${Date.now()}`;
    const store = new ProposalStore(new MaillageDatabase(name));
    let plan = createPlan({ id: 'p1', name: 'Actuelle', regionCode: '52', now: '2026-01-01T00:00:00Z' });
    const withTeam = addTeam(plan, { name: 'Mayenne', technicians: 4 });
    if (!withTeam.ok) throw new Error();
    const assigned = assign(withTeam.plan, ['0530040F'], 't1');
    if (!assigned.ok) throw new Error();
    plan = assigned.plan;
    await store.save(plan);
    await store.save({ ...createPlan({ id: 'p2', name: 'Variante', regionCode: '52', now: '2026-01-02T00:00:00Z' }) });
    await store.save(createPlan({ id: 'p3', name: 'Autre Région', regionCode: '32', now: '2026-01-03T00:00:00Z' }));

    const reopened = new ProposalStore(new MaillageDatabase(name));
    expect((await reopened.list('52')).map((s) => s.name)).toEqual(['Variante', 'Actuelle']);
    expect(await reopened.get('p1')).toEqual(plan);
    await reopened.delete('p1');
    expect((await reopened.list('52')).map((s) => s.id)).toEqual(['p2']);
    expect(await reopened.get('p1')).toBeNull();
  });
});

describe('drive-time matrix cache (IndexedDB)', () => {
  it('stores typed-array matrices and reads them back from a new connection', async () => {
    const { IndexedDbMatrixCache, MatrixDatabase } = await import('../../src/state/matrix-cache');
    const { estimateProvider } = await import('../../src/core/routing/providers');
    const name = `matrices-${Date.now()}`;
    const pts = [{ lat: 50.63, lon: 3.06 }, { lat: 49.89, lon: 2.3 }];
    const matrix = await estimateProvider.matrix(pts, pts);
    await new IndexedDbMatrixCache(new MatrixDatabase(name)).set('k', matrix);
    const back = await new IndexedDbMatrixCache(new MatrixDatabase(name)).get('k');
    expect(back?.durations).toBeInstanceOf(Float32Array);
    expect(Array.from(back!.durations)).toEqual(Array.from(matrix.durations));
    expect(await new IndexedDbMatrixCache(new MatrixDatabase(name)).get('missing')).toBeUndefined();
  });
});
