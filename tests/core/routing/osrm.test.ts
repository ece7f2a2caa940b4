import { afterEach, describe, expect, it } from 'vitest';
import { OsrmClient, OsrmError } from '../../../src/core/routing/osrm';
import { MemoryMatrixCache, osrmProvider, matrixDriveTimes } from '../../../src/core/routing/providers';
import { readMatrixFile, writeMatrixFile } from '../../../src/core/routing/matrix-file';
import type { LatLon } from '../../../src/core/routing/types';
import { seededRandom } from '../../../src/core/random';
import { startFakeOsrm, type FakeOsrm } from '../../helpers/fake-osrm';

function points(n: number, seed: number): LatLon[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => ({ lat: 49.5 + random() * 1.5, lon: 1.6 + random() * 2.5 }));
}

let server: FakeOsrm | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const fast = { retries: 2, backoffMs: 5, timeoutMs: 2000 };

describe('OSRM table client', () => {
  it('assembles blocks into the same matrix as one direct request', async () => {
    server = await startFakeOsrm({ maxTableSize: 1000 });
    const sources = points(23, 1);
    const destinations = points(17, 2);
    const direct = await new OsrmClient({ baseUrl: server.url, maxTableSize: 1000, ...fast }).table(sources, destinations);
    const blocked = new OsrmClient({ baseUrl: server.url, maxTableSize: 5, concurrency: 3, ...fast });
    const progress: number[] = [];
    const matrix = await blocked.table(sources, destinations, { onProgress: (p) => progress.push(p) });
    expect(Array.from(matrix.durations)).toEqual(Array.from(direct.durations));
    expect(Array.from(matrix.distances)).toEqual(Array.from(direct.distances));
    expect(blocked.requestCount).toBe(5 * 4);
    expect(blocked.learnedTableSize).toBeNull();
    expect(progress.at(-1)).toBe(1);
    expect(matrix.provider.kind).toBe('osrm');
    expect(server.requests[1]).toMatch(/^\/table\/v1\/driving\/[-\d.,;]+\?sources=[\d;]+&destinations=[\d;]+&annotations=duration,distance$/);
  });

  it('halves blocks on TooBig and still completes', async () => {
    server = await startFakeOsrm({ maxTableSize: 4 });
    const client = new OsrmClient({ baseUrl: server.url, maxTableSize: 10, ...fast });
    const matrix = await client.table(points(10, 3), points(10, 4));
    expect(matrix.durations.every((v) => Number.isFinite(v))).toBe(true);
    expect(server.requests.length).toBeGreaterThan(1);
  });

  it('retries a 500 then succeeds', async () => {
    server = await startFakeOsrm({ fault: ({ count }) => (count === 1 ? { status: 500, body: 'boom' } : null) });
    const client = new OsrmClient({ baseUrl: server.url, ...fast });
    const matrix = await client.table(points(3, 5), points(3, 6));
    expect(client.requestCount).toBe(2);
    expect(Number.isFinite(matrix.durations[0])).toBe(true);
  });

  it('times out with a French message', async () => {
    server = await startFakeOsrm({ fault: () => 'hang' });
    const client = new OsrmClient({ baseUrl: server.url, retries: 0, timeoutMs: 200 });
    await expect(client.table(points(2, 7), points(2, 8))).rejects.toMatchObject({ kind: 'timeout', message: expect.stringContaining('n’a pas répondu') });
  });

  it('reports malformed JSON, OSRM error codes and missing cells', async () => {
    server = await startFakeOsrm({ fault: () => ({ status: 200, body: '{"code":"Ok", "durations": [[1' }) });
    await expect(new OsrmClient({ baseUrl: server.url, ...fast }).table(points(1, 1), points(1, 2))).rejects.toMatchObject({ kind: 'malformed' });
    await server.close();
    server = await startFakeOsrm({ fault: () => ({ status: 400, body: '{"code":"NoSegment","message":"Could not find a matching segment for any coordinate"}' }) });
    await expect(new OsrmClient({ baseUrl: server.url, ...fast }).table(points(1, 1), points(1, 2))).rejects.toMatchObject({ kind: 'osrm', osrmCode: 'NoSegment', message: expect.stringContaining('trop loin de toute route') });
    await server.close();
    server = await startFakeOsrm({ fault: () => ({ status: 400, body: '{"code":"NoTable","message":"No table found"}' }) });
    await expect(new OsrmClient({ baseUrl: server.url, ...fast }).table(points(1, 1), points(1, 2))).rejects.toMatchObject({ kind: 'osrm', osrmCode: 'NoTable', message: expect.stringContaining('aucune matrice') });
    await server.close();
    server = await startFakeOsrm({ fault: () => ({ status: 200, body: '{"code":"Ok","durations":[[1]],"distances":[[1]]}' }) });
    await expect(new OsrmClient({ baseUrl: server.url, ...fast }).table(points(2, 1), points(1, 2))).rejects.toMatchObject({ kind: 'missing' });
  });

  it('says clearly when the server is unreachable', async () => {
    const probe = await startFakeOsrm();
    const url = probe.url;
    await probe.close();
    await expect(new OsrmClient({ baseUrl: url, retries: 1, backoffMs: 1 }).table(points(1, 1), points(1, 2))).rejects.toMatchObject({ kind: 'unreachable', message: expect.stringContaining('injoignable') });
  });

  it('keeps null cells as unroutable pairs with a reason; a snap under the threshold is no error', async () => {
    const sources = points(3, 9);
    const far = sources[1];
    server = await startFakeOsrm({
      nullPairs: (from, to) => from[1] === Number(sources[0].lat.toFixed(6)) && to[1] !== from[1],
      snapDistance: (c) => (c[1] === Number(far.lat.toFixed(6)) ? 850 : 2),
    });
    const matrix = await new OsrmClient({ baseUrl: server.url, ...fast }).table(sources, sources);
    expect(Number.isNaN(matrix.durations[1])).toBe(true);
    expect(matrix.unroutable.map((u) => [u.source, u.destination])).toEqual([[0, 1], [0, 2]]);
    expect(matrix.farSnaps).toEqual([]);
    expect(matrix.estimated).toBeUndefined();
  });

  it('stops when cancelled mid-way and hands back nothing', async () => {
    const controller = new AbortController();
    server = await startFakeOsrm({ fault: ({ count }) => (count === 3 ? (controller.abort(), null) : null) });
    const client = new OsrmClient({ baseUrl: server.url, maxTableSize: 2, concurrency: 1, ...fast });
    await expect(client.table(points(8, 1), points(8, 2), { signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled' });
    expect(client.requestCount).toBeLessThan(16);
  });

  it('reads a cached matrix back with one probe request', async () => {
    server = await startFakeOsrm();
    const cache = new MemoryMatrixCache();
    const provider = osrmProvider({ baseUrl: server.url, ...fast }, cache);
    const pts = points(6, 11);
    const first = await provider.matrix(pts, pts);
    const sent = server.requests.length;
    const again = await osrmProvider({ baseUrl: server.url, ...fast }, cache).matrix(pts, pts);
    expect(server.requests.length).toBe(sent + 1);
    expect(Array.from(again.durations)).toEqual(Array.from(first.durations));
  });

  it('serialises matrices for sharing', async () => {
    server = await startFakeOsrm();
    const client = new OsrmClient({ baseUrl: server.url, ...fast });
    const pts = points(4, 12).map((p, i) => ({ ...p, id: `P${i}` }));
    const matrix = await client.table(pts, pts);
    const file = readMatrixFile(writeMatrixFile('32', pts, matrix, '2026-01-01'));
    if (!file.ok) throw new Error(file.reason);
    expect(Array.from(file.matrix.durations)).toEqual(Array.from(matrix.durations));
    const drive = matrixDriveTimes(file.matrix, pts, pts);
    expect(drive.seconds(pts[0], pts[2])).toBeCloseTo(matrix.durations[2], 3);
    expect(drive.label).toContain('OSRM');
    expect(readMatrixFile('{"format":"x"}')).toMatchObject({ ok: false });
  });

  it('is an OsrmError', () => {
    expect(new OsrmError('http', 'x')).toBeInstanceOf(Error);
  });
});
