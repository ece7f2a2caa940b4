/**
 * `npm run bench:routing`: requests issued, time and matrix memory for 270 × 270 and 2,500 × 2,500
 * matrices fetched in blocks of 100 from the local fake osrm-routed (answers computed from the
 * estimate, so this measures the client: splitting, concurrency, parsing and assembly). Then the
 * requests sent when the setting overstates the server's --max-table-size (TooBig: limit learnt
 * from the first refusal and reused), for 270 lycées: deterministic counts, no timing.
 */
import { performance } from 'node:perf_hooks';
import { OsrmClient } from '../../src/core/routing/osrm.ts';
import { seededRandom } from '../../src/core/random.ts';
import { startFakeOsrm } from '../../tests/helpers/fake-osrm.ts';

const server = await startFakeOsrm({ maxTableSize: 100 });
for (const n of [270, 2500]) {
  const random = seededRandom(n);
  const points = Array.from({ length: n }, () => ({ lat: 42.5 + random() * 8.5, lon: -4.5 + random() * 12 }));
  const client = new OsrmClient({ baseUrl: server.url, maxTableSize: 100, concurrency: 4 });
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const matrix = await client.table(points, points);
  const seconds = (performance.now() - start) / 1000;
  const bytes = matrix.durations.byteLength + matrix.distances.byteLength;
  console.log(
    `${n} × ${n} : ${client.requestCount} requêtes (blocs de 100 × 100), ${seconds.toFixed(2)} s, ` +
      `matrice ${(bytes / 1e6).toFixed(1)} Mo (Float32, durées + distances) ; tas JS +${((process.memoryUsage().heapUsed - heapBefore) / 1e6).toFixed(1)} Mo`,
  );
}
await server.close();

for (const [limit, setting] of [[100, 1000], [10, 100], [7, 100]]) {
  const small = await startFakeOsrm({ maxTableSize: limit });
  const random = seededRandom(1);
  const points = Array.from({ length: 270 }, () => ({ lat: 49.5 + random() * 1.5, lon: 1.6 + random() * 2.5 }));
  const client = new OsrmClient({ baseUrl: small.url, maxTableSize: setting, concurrency: 4 });
  await client.table(points, points);
  const ideal = Math.ceil(270 / limit) ** 2;
  const refused = small.requests.length - client.requestCount;
  console.log(`270 × 270, réglage ${setting}, serveur ${limit} : ${client.requestCount} requêtes (limite apprise ${client.learnedTableSize ?? '—'} ; ${ideal} blocs au minimum)${refused ? ` ; ${refused} hors compte` : ''}`);
  await small.close();
}
