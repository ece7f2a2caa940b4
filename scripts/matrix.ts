/**
 * `npm run matrix -- --region <code> --osrm <url> [--data establishments.json] [--out file]
 * [--bases file.json] [--max-table-size N] [--concurrency N] [--snap-max-m 1000]`: computes the
 * drive-time matrix of a Région's public lycées (and optional team bases) against a running
 * osrm-routed, checks the server covers them, and writes a file the app loads with « Charger une
 * matrice… ». Bases: a JSON list of { id, lat, lon } (e.g. support centres). `--data` reads the
 * lycées from another establishments.json than the built `public/data/<code>/`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { RegionDataset } from '../src/core/model/establishment.ts';
import { OsrmClient, OsrmError } from '../src/core/routing/osrm.ts';
import { writeMatrixFile, type MatrixPoint } from '../src/core/routing/matrix-file.ts';
import { describeSettingsErrors, validateRoutingSettings, type RoutingField } from '../src/core/routing/settings.ts';
import { describePoint, type RoutedPoint } from '../src/core/routing/types.ts';

const USAGE =
  'Usage : npm run matrix -- --region <code> --osrm <url> [--data establishments.json] [--out fichier] [--bases bases.json] [--max-table-size 100] [--concurrency 4] [--snap-max-m 1000]';

const OPTIONS = ['--region', '--osrm', '--data', '--out', '--bases', '--max-table-size', '--concurrency', '--snap-max-m'];

const FLAG_OF: Record<RoutingField, string> = { osrmUrl: '--osrm', maxTableSize: '--max-table-size', concurrency: '--concurrency', snapThresholdMetres: '--snap-max-m' };

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** `--bases`: a JSON list of { id, lat, lon }; the reason when it is not one. */
function readBases(path: string): MatrixPoint[] | string {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return `--bases : ${path} illisible (${error instanceof SyntaxError ? 'JSON invalide' : 'fichier introuvable'}).`;
  }
  if (!Array.isArray(json)) return `--bases : ${path} doit contenir une liste [{ "id", "lat", "lon" }, …].`;
  const bad = json.findIndex((b: Partial<MatrixPoint> | null) => typeof b?.id !== 'string' || typeof b.lat !== 'number' || typeof b.lon !== 'number' || Math.abs(b.lat) > 90 || Math.abs(b.lon) > 180);
  if (bad >= 0) return `--bases : l’élément n° ${bad + 1} de ${path} n’a pas d’« id » texte et de « lat » / « lon » numériques valides.`;
  return json as MatrixPoint[];
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i += 2) {
    if (!OPTIONS.includes(args[i])) {
      console.error(args[i] === '--profile' ? 'L’option --profile n’existe plus : osrm-routed calcule avec le profil de son extrait, quel que soit le nom dans l’URL.' : `Option inconnue : ${args[i]}`);
      console.error(USAGE);
      return 2;
    }
    if (args[i + 1] === undefined || args[i + 1].startsWith('--')) {
      console.error(`${args[i]} : valeur manquante.`);
      return 2;
    }
  }
  const region = option('--region');
  if (!region || !option('--osrm')) {
    console.error(USAGE);
    return 2;
  }
  const checked = validateRoutingSettings(
    { osrmUrl: option('--osrm'), maxTableSize: option('--max-table-size') ?? '100', concurrency: option('--concurrency') ?? '4', snapThresholdMetres: option('--snap-max-m') ?? '1000' },
    { requireUrl: true },
  );
  if (!checked.ok) {
    for (const line of describeSettingsErrors(checked.errors, FLAG_OF)) console.error(line);
    return 2;
  }
  const settings = checked.settings;
  const dataPath = option('--data') ?? `public/data/${region}/establishments.json`;
  let dataset: RegionDataset;
  try {
    dataset = JSON.parse(readFileSync(dataPath, 'utf8')) as RegionDataset;
  } catch {
    console.error(`Données de la Région ${region} introuvables (${dataPath}) : lancez « npm run data ».`);
    return 1;
  }
  const lycees = dataset.establishments.filter((e) => e.sector === 'public');
  const points: (MatrixPoint & RoutedPoint)[] = lycees.map((e) => ({ id: e.uai, uai: e.uai, name: e.name, departement: e.departement, lat: e.lat, lon: e.lon }));
  const basesPath = option('--bases');
  if (basesPath) {
    const bases = readBases(basesPath);
    if (typeof bases === 'string') {
      console.error(bases);
      return 2;
    }
    points.push(...bases);
  }
  const client = new OsrmClient({ baseUrl: settings.osrmUrl, maxTableSize: settings.maxTableSize, concurrency: settings.concurrency, snapThresholdMetres: settings.snapThresholdMetres });
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
    const outside = new Set((matrix.estimated ?? []).map((e) => e.index)).size;
    // The file's label says which lycées hold the estimate, wherever it is loaded.
    if (outside > 0) matrix.provider = { ...matrix.provider, label: `${matrix.provider.label} ; estimation pour ${outside} point${outside > 1 ? 's' : ''} hors couverture du serveur` };
    // The file keeps the points' ids and coordinates only, as its format defines them.
    const filePoints = points.map(({ id, lat, lon }) => ({ id: id ?? '', lat, lon }));
    writeFileSync(out, writeMatrixFile(region, filePoints, matrix, new Date().toISOString()));
    console.log(`\n${points.length} × ${points.length} temps de trajet écrits dans ${out} (${client.info.label} ; ${client.requestCount} requêtes, ${((Date.now() - started) / 1000).toFixed(1)} s).`);
    if (client.learnedTableSize !== null && client.learnedTableSize < settings.maxTableSize) {
      console.log(`Le serveur n’accepte que ${client.learnedTableSize} × ${client.learnedTableSize} par requête : utilisez --max-table-size ${client.learnedTableSize}.`);
    }
    const estimated = (matrix.estimated ?? []).filter((e) => e.role === 'source');
    if (estimated.length > 0) console.log(`Erreur de couverture : ${estimated.length} point(s) hors couverture du serveur, estimation utilisée :`);
    for (const e of estimated) {
      const what = describePoint(points[e.index], e.index);
      console.log(`  ${what} : ${e.reason === 'noSegment' ? 'aucune route trouvée' : `à ${Math.round(e.distance ?? 0)} m de la route la plus proche`}`);
    }
    if (matrix.unroutable.length > 0) console.log(`${matrix.unroutable.length} trajet(s) sans itinéraire.`);
    return 0;
  } catch (error) {
    console.error(`\nÉchec : ${error instanceof OsrmError ? error.message : String(error)}`);
    if (error instanceof OsrmError) for (const u of error.uncovered.slice(0, 50)) console.error(`  ${u.label}${u.distance !== undefined ? ` : à ${Math.round(u.distance)} m de la route la plus proche` : ' : aucune route trouvée'}`);
    return 1;
  }
}

process.exitCode = await main();
