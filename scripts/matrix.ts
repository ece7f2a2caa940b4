/**
 * `npm run matrix -- --region <code> --osrm <url> [--out file] [--bases file.json] [--max-table-size N]
 * [--profile driving] [--concurrency N]`: computes the drive-time matrix of a Région's public lycées
 * (and optional team bases) against a running osrm-routed, and writes a file the app loads with
 * « Charger une matrice… ». Bases: a JSON list of { id, lat, lon } (e.g. support centres).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { RegionDataset } from '../src/core/model/establishment.ts';
import { OsrmClient, OsrmError } from '../src/core/routing/osrm.ts';
import { writeMatrixFile, type MatrixPoint } from '../src/core/routing/matrix-file.ts';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const region = option('--region');
  const osrm = option('--osrm');
  if (!region || !osrm) {
    console.error('Usage : npm run matrix -- --region <code> --osrm <url> [--out fichier] [--bases bases.json] [--max-table-size 100]');
    return 2;
  }
  const dataPath = option('--data') ?? `public/data/${region}/establishments.json`;
  let dataset: RegionDataset;
  try {
    dataset = JSON.parse(readFileSync(dataPath, 'utf8')) as RegionDataset;
  } catch {
    console.error(`Données de la Région ${region} introuvables (${dataPath}) : lancez « npm run data ».`);
    return 1;
  }
  const points: MatrixPoint[] = dataset.establishments.filter((e) => e.sector === 'public').map((e) => ({ id: e.uai, lat: e.lat, lon: e.lon }));
  const basesPath = option('--bases');
  if (basesPath) points.push(...(JSON.parse(readFileSync(basesPath, 'utf8')) as MatrixPoint[]));
  const client = new OsrmClient({
    baseUrl: osrm,
    profile: option('--profile') ?? 'driving',
    maxTableSize: Number(option('--max-table-size') ?? 100),
    concurrency: Number(option('--concurrency') ?? 4),
  });
  const started = Date.now();
  let lastShown = -1;
  try {
    const matrix = await client.table(points, points, {
      onProgress: (p) => {
        const percent = Math.floor(p * 10) * 10;
        if (percent === lastShown) return;
        process.stderr.write(`${percent} % `);
        lastShown = percent;
      },
    });
    const out = option('--out') ?? `matrice-${region}.maillage-matrix.json`;
    writeFileSync(out, writeMatrixFile(region, points, matrix, new Date().toISOString()));
    console.log(`\n${points.length} × ${points.length} temps de trajet écrits dans ${out} (${client.requestCount} requêtes, ${((Date.now() - started) / 1000).toFixed(1)} s).`);
    for (const snap of matrix.farSnaps.filter((f) => f.role === 'source')) console.log(`Attention : ${points[snap.point.index].id} est à ${Math.round(snap.point.distance)} m de la route la plus proche.`);
    if (matrix.unroutable.length > 0) console.log(`${matrix.unroutable.length} trajet(s) sans itinéraire.`);
    return 0;
  } catch (error) {
    console.error(`\nÉchec : ${error instanceof OsrmError ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = await main();
