import { afterEach, describe, expect, it } from 'vitest';
import { OsrmClient, OsrmError, coverageMessage, departementOf, noSegmentIndex } from '../../../src/core/routing/osrm';
import { MemoryMatrixCache, matrixDriveTimes, osrmProvider } from '../../../src/core/routing/providers';
import { estimateTrip } from '../../../src/core/routing/estimate';
import type { RoutedPoint } from '../../../src/core/routing/types';
import { seededRandom } from '../../../src/core/random';
import { uaiKeyLetter } from '../../../src/core/uai';
import { startFakeOsrm, type FakeOsrm } from '../../helpers/fake-osrm';

/** Lycées spread over a Région: `south` of them below latitude 50 (Picardie), the rest above (Nord-Pas-de-Calais). */
function lycees(n: number, south: number, seed: number): RoutedPoint[] {
  const random = seededRandom(seed);
  const departements = ['02', '60', '80'];
  return Array.from({ length: n }, (_, i) => {
    const inSouth = i < south;
    const departement = inSouth ? departements[i % 3] : i % 2 ? '59' : '62';
    const digits = `0${departement}${String(1000 + i).padStart(4, '0')}`;
    return {
      uai: `${digits}${uaiKeyLetter(digits)}`,
      name: `Lycée ${i}`,
      departement,
      lat: inSouth ? 49.3 + random() * 0.5 : 50.2 + random() * 0.8,
      lon: 1.8 + random() * 2,
    };
  });
}

/** The extract of Nord-Pas-de-Calais only. */
const NPDC: [number, number, number, number] = [1.5, 50.0, 4.3, 51.1];

let server: FakeOsrm | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const fast = { retries: 1, backoffMs: 1, timeoutMs: 3000 };

describe('coverage check', () => {
  it('refuses a server that does not cover a third of the Région, with one message naming the départements', async () => {
    server = await startFakeOsrm({ area: NPDC, maxTableSize: 1000 });
    const pts = lycees(30, 10, 1);
    const error = await new OsrmClient({ baseUrl: server.url, maxTableSize: 1000, ...fast }).table(pts, pts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OsrmError);
    expect((error as OsrmError).kind).toBe('coverage');
    expect((error as OsrmError).message).toContain('Le serveur ne couvre pas 10 lycées de la Région (départements 02, 60, 80) : vérifiez l’extrait OSM.');
    expect((error as OsrmError).uncovered.map((u) => u.label).sort()).toEqual(pts.slice(0, 10).map((p) => `${p.uai} (${p.name})`).sort());
    expect((error as OsrmError).uncovered.every((u) => u.reason === 'far' && u.distance! > 1000)).toBe(true);
  });

  it('never caches a refused matrix: computing again asks the server again', async () => {
    server = await startFakeOsrm({ area: NPDC, dataVersion: () => 'npdc-2026-11-01' });
    const cache = new MemoryMatrixCache();
    const pts = lycees(20, 8, 2);
    await expect(osrmProvider({ baseUrl: server.url, ...fast }, cache).matrix(pts, pts)).rejects.toMatchObject({ kind: 'coverage' });
    expect(await cache.clear()).toBe(0);
    const before = server.requests.length;
    await expect(osrmProvider({ baseUrl: server.url, ...fast }, cache).matrix(pts, pts)).rejects.toMatchObject({ kind: 'coverage' });
    expect(server.requests.length - before).toBeGreaterThan(1);
  });

  it('keeps the matrix when few lycées are outside, gives them the labelled estimate and lists them', async () => {
    server = await startFakeOsrm({ area: NPDC });
    const pts = lycees(40, 1, 3);
    const matrix = await new OsrmClient({ baseUrl: server.url, maxTableSize: 15, ...fast }).table(pts, pts);
    expect(matrix.estimated?.map((e) => [e.role, e.index, e.reason])).toEqual([['source', 0, 'far'], ['destination', 0, 'far']]);
    expect(matrix.farSnaps.map((f) => [f.role, f.point.index])).toEqual([['source', 0], ['destination', 0]]);
    expect(matrix.farSnaps[0].point.distance).toBeGreaterThan(1000);
    // The far lycée's row and column hold the estimate from its true position, not the server's times from its snapped one.
    expect(matrix.durations[5]).toBeCloseTo(estimateTrip(pts[0], pts[5]).seconds, 0);
    expect(matrix.durations[5 * 40]).toBeCloseTo(estimateTrip(pts[5], pts[0]).seconds, 0);
    expect(matrix.durations[0]).toBe(0);
    expect(matrix.durations.every((v) => Number.isFinite(v))).toBe(true);
    const drive = matrixDriveTimes(matrix, pts, pts);
    expect(drive.label).toContain('estimation pour 1 lycée hors couverture du serveur');
    expect(drive.estimated).toBe(false);
  });

  it('a snap threshold is a setting', async () => {
    server = await startFakeOsrm({ snapDistance: (c) => (c[1] > 50.9 ? 1500 : 5) });
    const pts = lycees(40, 0, 4);
    const far = pts.filter((p) => Number(p.lat.toFixed(6)) > 50.9).length;
    expect(far).toBeGreaterThan(2);
    await expect(new OsrmClient({ baseUrl: server.url, ...fast }).table(pts, pts)).rejects.toMatchObject({ kind: 'coverage' });
    const relaxed = await new OsrmClient({ baseUrl: server.url, snapThresholdMetres: 2000, ...fast }).table(pts, pts);
    expect(relaxed.estimated).toBeUndefined();
  });

  it('caches on the server’s data_version: a new dataset invalidates the cached matrix', async () => {
    let version = 'hdf-2026-10-01';
    server = await startFakeOsrm({ dataVersion: () => version });
    const cache = new MemoryMatrixCache();
    const pts = lycees(12, 0, 5);
    const first = await osrmProvider({ baseUrl: server.url, ...fast }, cache).matrix(pts, pts);
    expect(first.provider.label).toBe(`OSRM (${server.url}, données hdf-2026-10-01)`);
    expect(first.fromCache).toBeUndefined();
    let sent = server.requests.length;
    const again = await osrmProvider({ baseUrl: server.url, ...fast }, cache).matrix(pts, pts);
    expect(server.requests.length - sent).toBe(1); // the probe that reads data_version
    expect(again.fromCache).toBe(true);
    expect(again.computedAt).toBe(first.computedAt);
    version = 'hdf-2026-11-20';
    sent = server.requests.length;
    const fresh = await osrmProvider({ baseUrl: server.url, ...fast }, cache).matrix(pts, pts);
    expect(server.requests.length - sent).toBeGreaterThan(1);
    expect(fresh.fromCache).toBeUndefined();
    expect(fresh.provider.label).toContain('données hdf-2026-11-20');
    expect(await cache.clear()).toBe(2);
  });

  it('labels a server without data_version as such, never by a profile', async () => {
    server = await startFakeOsrm();
    const matrix = await new OsrmClient({ baseUrl: `${server.url}/`, ...fast }).table(lycees(3, 0, 6), lycees(3, 0, 6));
    expect(matrix.provider.label).toBe(`OSRM (${server.url}, version des données non indiquée)`);
    expect(server.requests.every((r) => r.startsWith('/table/v1/driving/'))).toBe(true);
  });
});

describe('NoSegment', () => {
  it('maps OSRM’s request-local « coordinate N » back to the lycée, retries without it, gives it the estimate', async () => {
    const pts = lycees(30, 0, 7);
    const lost = pts[17];
    server = await startFakeOsrm({ maxTableSize: 10, noSegment: (c) => c[0] === Number(lost.lon.toFixed(6)) && c[1] === Number(lost.lat.toFixed(6)) });
    const matrix = await new OsrmClient({ baseUrl: server.url, maxTableSize: 10, concurrency: 2, ...fast }).table(pts, pts);
    expect(matrix.estimated).toEqual([
      { role: 'source', index: 17, reason: 'noSegment' },
      { role: 'destination', index: 17, reason: 'noSegment' },
    ]);
    expect(matrix.durations[17 * 30 + 3]).toBeCloseTo(estimateTrip(lost, pts[3]).seconds, 0);
    expect(matrix.durations.every((v) => Number.isFinite(v))).toBe(true);
    expect(matrixDriveTimes(matrix, pts, pts).label).toContain('estimation pour 1 lycée hors couverture');
    expect(noSegmentIndex('Could not find a matching segment for coordinate 7')).toBe(7);
  });

  it('refuses early when too many lycées have no road, without one request per lycée', async () => {
    const pts = lycees(60, 20, 8);
    server = await startFakeOsrm({ maxTableSize: 100, noSegment: (c) => c[1] < 50 });
    const client = new OsrmClient({ baseUrl: server.url, ...fast });
    const error = (await client.table(pts, pts).catch((e: unknown) => e)) as OsrmError;
    expect(error.kind).toBe('coverage');
    expect(error.message).toMatch(/^Le serveur ne couvre pas au moins 4 lycées de la Région \(départements 02, 60, 80\) : vérifiez l’extrait OSM\./);
    expect(client.requestCount).toBe(4);
  });
});

describe('TooBig limit learning', () => {
  it('learns the server’s limit from the first TooBig and reuses it', async () => {
    server = await startFakeOsrm({ maxTableSize: 10 });
    const pts = lycees(100, 0, 9);
    const client = new OsrmClient({ baseUrl: server.url, maxTableSize: 100, ...fast });
    const matrix = await client.table(pts, pts);
    expect(client.learnedTableSize).toBe(10);
    // 1 refused block + 7 bisection probes + 100 blocks of 10 × 10 (halving without learning sent 255).
    expect(client.requestCount).toBeLessThanOrEqual(108);
    expect(matrix.durations.every((v) => Number.isFinite(v))).toBe(true);
    const direct = await new OsrmClient({ baseUrl: server.url, maxTableSize: 10, ...fast }).table(pts, pts);
    expect(Array.from(matrix.durations)).toEqual(Array.from(direct.durations));
    const before = client.requestCount;
    await client.table(pts, pts);
    expect(client.requestCount - before).toBe(100);
  });

  it('finds OSRM’s default limit in two probes when the setting says 1000', async () => {
    server = await startFakeOsrm({ maxTableSize: 100 });
    const pts = lycees(270, 0, 13);
    const client = new OsrmClient({ baseUrl: server.url, maxTableSize: 1000, ...fast });
    await client.table(pts, pts);
    expect(client.learnedTableSize).toBe(100);
    // 1 refused 270 × 270 + probes 100 (accepted) and 101 (refused) + 9 blocks; halving sent 15.
    expect(client.requestCount).toBe(12);
  });

  it('learns an odd limit under concurrency', async () => {
    server = await startFakeOsrm({ maxTableSize: 7 });
    const pts = lycees(50, 0, 10);
    const client = new OsrmClient({ baseUrl: server.url, maxTableSize: 20, concurrency: 4, ...fast });
    const matrix = await client.table(pts, pts);
    expect(client.learnedTableSize).toBe(7);
    expect(matrix.durations.every((v) => Number.isFinite(v))).toBe(true);
    // 8 × 8 tiles of at most 7 × 7 (8 × 7 + the last column), plus at most 4 refused blocks and 5 probes.
    expect(client.requestCount).toBeLessThanOrEqual(64 + 4 + 5);
  });
});

describe('retries', () => {
  it('does not leak abort listeners over 200 retries', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      server = await startFakeOsrm({ fault: ({ count }) => (count <= 200 ? { status: 503, body: 'busy' } : null) });
      const controller = new AbortController();
      const client = new OsrmClient({ baseUrl: server.url, retries: 200, backoffMs: 0, timeoutMs: 3000 });
      const matrix = await client.table(lycees(2, 0, 11), lycees(2, 0, 12), { signal: controller.signal });
      expect(client.requestCount).toBe(201);
      expect(Number.isFinite(matrix.durations[0])).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('coverage message parts', () => {
  it('reads the département from the UAI when not given', () => {
    expect(departementOf({ lat: 0, lon: 0, uai: '0590001A' })).toBe('59');
    expect(departementOf({ lat: 0, lon: 0, uai: '6200001A' })).toBe('2A');
    expect(departementOf({ lat: 0, lon: 0, uai: '9710001A' })).toBe('971');
    expect(departementOf({ lat: 0, lon: 0, id: 'Base' })).toBeNull();
    expect(coverageMessage([{ role: 'source', index: 0, label: 'x', departement: '80', reason: 'far', distance: 12_000 }], 1000)).toBe(
      'Le serveur ne couvre pas 1 lycée de la Région (département 80) : vérifiez l’extrait OSM. Il est placé à plus de 1 km de la route la plus proche (jusqu’à 12 km).',
    );
  });
});
