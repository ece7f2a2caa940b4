import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it, vi } from 'vitest';
import { MaillageDatabase, ProposalStore, type StoreEvent } from '../../src/state/db';
import { AutoSaver, type SaveState } from '../../src/state/autosave';
import { addTeam, assign, createPlan, type OpResult } from '../../src/core/model/plan-ops';
import type { Plan } from '../../src/core/model/plan';
import { packHistory, record, startHistory, unpackHistory } from '../../src/core/history';

let databases = 0;
const freshName = () => `test-${Date.now()}-${databases++}`;
const ok = (result: OpResult): Plan => {
  if (!result.ok) throw new Error(result.reasons.join('; '));
  return result.plan;
};

function teamPlan(id = 'p1'): Plan {
  return ok(addTeam(createPlan({ id, name: 'Actuelle', regionCode: '52', now: '2026-01-01T00:00:00Z' }), { name: 'Mayenne', technicians: 4 }));
}

const UAIS = ['0530040F', '0530004S', '0530520C', '0490782J', '0530081A', '0530778H'];

/** Waits for the BroadcastChannel messages of another store to arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('proposal persistence (IndexedDB)', () => {
  it('saves, lists by Région from summaries, reloads from a new connection and deletes', async () => {
    const name = freshName();
    const store = new ProposalStore(new MaillageDatabase(name));
    const plan = ok(assign(teamPlan(), ['0530040F'], 't1'));
    await store.create(plan);
    await store.create({ ...createPlan({ id: 'p2', name: 'Variante', regionCode: '52', now: '2026-01-02T00:00:00Z' }) });
    await store.create(createPlan({ id: 'p3', name: 'Autre Région', regionCode: '32', now: '2026-01-03T00:00:00Z' }));
    await expect(store.create(plan)).rejects.toThrow();

    const reopened = new ProposalStore(new MaillageDatabase(name));
    const list = await reopened.list('52');
    expect(list.map((s) => s.name)).toEqual(['Variante', 'Actuelle']);
    expect(list[1]).toMatchObject({ revision: 1, teams: 1, assigned: 1 });
    expect((await reopened.get('p1'))?.plan).toEqual(plan);
    await reopened.delete('p1');
    expect((await reopened.list('52')).map((s) => s.id)).toEqual(['p2']);
    expect(await reopened.get('p1')).toBeNull();
    store.close();
    reopened.close();
  });

  it('upgrades a version 1 database: revisions and summaries for the stored proposals', async () => {
    const name = freshName();
    const old = new Dexie(name);
    old.version(1).stores({ proposals: 'id, regionCode, updatedAt' });
    const plan = teamPlan();
    await old.table('proposals').put({ id: plan.id, regionCode: '52', name: plan.name, updatedAt: plan.updatedAt, plan });
    old.close();
    const store = new ProposalStore(new MaillageDatabase(name));
    expect(await store.list('52')).toEqual([expect.objectContaining({ id: 'p1', revision: 1, teams: 1 })]);
    expect((await store.save(plan, 1)).status).toBe('saved');
    store.close();
  });

  it('refuses a write based on a stale revision and keeps the newer one', async () => {
    const name = freshName();
    const tab1 = new ProposalStore(new MaillageDatabase(name));
    const tab2 = new ProposalStore(new MaillageDatabase(name));
    const plan = teamPlan();
    await tab1.create(plan);
    const fromTab2 = ok(assign(plan, ['0530040F'], 't1'));
    expect(await tab2.save(fromTab2, 1)).toMatchObject({ status: 'saved', summary: { revision: 2 } });
    const fromTab1 = ok(assign(plan, ['0530004S'], 't1'));
    expect(await tab1.save(fromTab1, 1)).toEqual({ status: 'conflict', storedRevision: 2 });
    expect((await tab1.get('p1'))?.plan).toEqual(fromTab2);
    await tab2.delete('p1');
    expect(await tab1.save(fromTab1, 2)).toEqual({ status: 'missing' });
    expect(await tab1.get('p1')).toBeNull();
    tab1.close();
    tab2.close();
  });

  it('tells the other tabs of writes, deletions and a deleted database', async () => {
    const name = freshName();
    const tab1 = new ProposalStore(new MaillageDatabase(name));
    const tab2 = new ProposalStore(new MaillageDatabase(name));
    const heard: StoreEvent[] = [];
    const own: StoreEvent[] = [];
    tab2.subscribe((e) => heard.push(e));
    tab1.subscribe((e) => own.push(e));
    await tab1.create(teamPlan());
    await tab1.save(teamPlan(), 1);
    await tab1.delete('p1');
    await tab2.list('52');
    await settle();
    expect(heard).toEqual([
      { kind: 'saved', id: 'p1', regionCode: '52', revision: 1 },
      { kind: 'saved', id: 'p1', regionCode: '52', revision: 2 },
      { kind: 'deleted', id: 'p1', regionCode: '52' },
    ]);
    expect(own).toEqual([]);
    await Dexie.delete(name);
    expect(heard.at(-1)).toEqual({ kind: 'database-deleted' });
    // The tab reopens (recreates) the database on its next write.
    await tab2.create(teamPlan('p9'));
    expect((await tab2.list('52')).map((s) => s.id)).toEqual(['p9']);
    tab1.close();
    tab2.close();
  });

  it('writes through the store worker with the same checks, and the page tells the other tabs once', async () => {
    const name = freshName();
    const worker = new ProposalStore(new MaillageDatabase(name), { broadcast: false });
    const page = new ProposalStore(new MaillageDatabase(name), { worker });
    const otherTab = new ProposalStore(new MaillageDatabase(name));
    const heard: StoreEvent[] = [];
    otherTab.subscribe((e) => heard.push(e));
    const plan = teamPlan();
    await page.create(plan);
    const edited = ok(assign(plan, ['0530040F'], 't1'));
    const saved = await page.save(edited, 1);
    expect(saved).toMatchObject({ status: 'saved', summary: { revision: 2, assigned: 1 } });
    expect(saved.status === 'saved' && saved.writeMs).toBeGreaterThanOrEqual(0);
    expect(await page.save(edited, 1)).toEqual({ status: 'conflict', storedRevision: 2 });
    expect((await otherTab.get('p1'))?.plan).toEqual(edited);
    // Opening the Région reads there too: the list, the latest proposal and its history at once.
    const listed: string[][] = [];
    const latest = await page.latest('52', (summaries) => listed.push(summaries.map((s) => s.id)));
    expect(listed).toEqual([['p1']]);
    expect(latest.summaries.map((s) => s.id)).toEqual(['p1']);
    expect(latest.stored?.plan).toEqual(edited);
    expect(latest.packed).toBeNull();
    expect(await page.latest('32')).toEqual({ summaries: [], stored: null, packed: null });
    await settle();
    expect(heard).toEqual([
      { kind: 'saved', id: 'p1', regionCode: '52', revision: 1 },
      { kind: 'saved', id: 'p1', regionCode: '52', revision: 2 },
    ]);
    for (const store of [worker, page, otherTab]) store.close();
  });

  it('keeps the undo history with the revision it belongs to', async () => {
    const store = new ProposalStore(new MaillageDatabase(freshName()));
    const plan = teamPlan();
    await store.create(plan);
    let history = startHistory(plan);
    for (const uai of UAIS.slice(0, 3)) history = record(history, ok(assign(history.present, [uai], 't1')));
    await store.save(history.present, 1, packHistory(history));
    const packed = await store.history('p1', 2);
    expect(packed).not.toBeNull();
    expect(unpackHistory(history.present, packed!).past).toEqual(history.past);
    expect(await store.history('p1', 1)).toBeNull();
    store.close();
  });
});

describe('autosave', () => {
  it('goes on after a failed write: warns, keeps the edits, and stores them on retry', async () => {
    const db = new MaillageDatabase(freshName());
    const store = new ProposalStore(db);
    let plan = teamPlan();
    await store.create(plan);
    const states: SaveState[] = [];
    const saver = new AutoSaver(store, 'p1', 1, (s) => states.push(s));
    const put = vi.spyOn(db.proposals, 'put').mockRejectedValueOnce(Object.assign(new Error('quota'), { name: 'QuotaExceededError' }));

    plan = ok(assign(plan, [UAIS[0]], 't1'));
    saver.queue(plan, () => undefined);
    await saver.flush();
    expect(saver.state).toEqual({ kind: 'error', message: 'Espace de stockage du navigateur plein.' });
    expect(saver.unsaved).toBe(true);

    // Later edits while the error stands are kept in memory, not dropped.
    for (const uai of UAIS.slice(1, 4)) saver.queue((plan = ok(assign(plan, [uai], 't1'))), () => undefined);
    await saver.flush();
    expect((await store.get('p1'))?.revision).toBe(1);

    saver.retry();
    await saver.flush();
    expect(saver.state.kind).toBe('saved');
    expect(saver.unsaved).toBe(false);
    expect((await store.get('p1'))?.plan).toEqual(plan);

    // The chain goes on with the next edits.
    saver.queue((plan = ok(assign(plan, [UAIS[4]], 't1'))), () => undefined);
    await saver.flush();
    expect((await store.get('p1'))?.plan.assignment[UAIS[4]]).toBe('t1');
    expect(states.some((s) => s.kind === 'error')).toBe(true);
    put.mockRestore();
    store.close();
  });

  it('writes quick edits as few writes, the last state last', async () => {
    const db = new MaillageDatabase(freshName());
    const store = new ProposalStore(db);
    let plan = teamPlan();
    await store.create(plan);
    const saver = new AutoSaver(store, 'p1', 1, () => {});
    const save = vi.spyOn(store, 'save');
    for (let i = 0; i < 30; i++) saver.queue((plan = ok(assign(plan, [UAIS[i % UAIS.length]], i % 2 ? 't1' : null))), () => undefined);
    await saver.flush();
    expect(save.mock.calls.length).toBeLessThanOrEqual(3);
    expect((await store.get('p1'))?.plan).toEqual(plan);
    expect(saver.acknowledged).toBe(30);
    store.close();
  });

  it('stops at a conflict with another tab and overwrites nothing', async () => {
    const name = freshName();
    const tab1 = new ProposalStore(new MaillageDatabase(name));
    const tab2 = new ProposalStore(new MaillageDatabase(name));
    const plan = teamPlan();
    await tab1.create(plan);
    const saver1 = new AutoSaver(tab1, 'p1', 1, () => {});
    const saver2 = new AutoSaver(tab2, 'p1', 1, () => {});
    const theirs = ok(assign(plan, [UAIS[0]], 't1'));
    saver2.queue(theirs, () => undefined);
    await saver2.flush();
    saver1.queue(ok(assign(plan, [UAIS[1]], 't1')), () => undefined);
    await saver1.flush();
    expect(saver1.state).toEqual({ kind: 'conflict', storedRevision: 2 });
    expect(saver1.unsaved).toBe(true);
    saver1.retry();
    await saver1.flush();
    expect((await tab1.get('p1'))?.plan).toEqual(theirs);
    await tab2.delete('p1');
    const saver3 = new AutoSaver(tab2, 'p1', 2, () => {});
    saver3.queue(theirs, () => undefined);
    await saver3.flush();
    expect(saver3.state).toEqual({ kind: 'missing' });
    expect(await tab2.get('p1')).toBeNull();
    tab1.close();
    tab2.close();
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
    expect(back?.matrix.durations).toBeInstanceOf(Float32Array);
    expect(Array.from(back!.matrix.durations)).toEqual(Array.from(matrix.durations));
    expect(back?.savedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await new IndexedDbMatrixCache(new MatrixDatabase(name)).get('missing')).toBeUndefined();
    expect(await new IndexedDbMatrixCache(new MatrixDatabase(name)).clear()).toBe(1);
    expect(await new IndexedDbMatrixCache(new MatrixDatabase(name)).get('k')).toBeUndefined();
  });
});
