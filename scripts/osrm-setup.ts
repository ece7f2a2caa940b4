/**
 * `npm run osrm:setup -- --region <code> [--buffer-km 25] [--port 5000] [--dir osrm-data/<code>]
 * [--max-table-size N] [--image …] [--dry-run]`: builds and starts, with Docker, an osrm-routed that
 * covers a Région and a band around it, then checks that every public lycée of the Région is covered.
 * Downloads the Geofabrik extracts it needs (kept for the next run). `--dry-run` prints the plan only.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { RegionDataset, RegionIndex } from '../src/core/model/establishment.ts';
import { OsrmClient, OsrmError } from '../src/core/routing/osrm.ts';
import { parseWholeNumber } from '../src/core/routing/settings.ts';
import {
  DEFAULT_BUFFER_KM,
  DEFAULT_OSRM_IMAGE,
  EXTRACT_OF_DEPARTEMENT,
  GEOFABRIK_FRANCE_WHOLE,
  bufferedOutline,
  dataVersionFor,
  dockerSteps,
  extractUrl,
  extractsFor,
  pbfName,
  polyFile,
  tableSizeFor,
} from './lib/osrm-setup.ts';

const USAGE = 'Usage : npm run osrm:setup -- --region <code> [--buffer-km 25] [--port 5000] [--dir dossier] [--max-table-size N] [--image image] [--dry-run]';
const VALUED = ['--region', '--buffer-km', '--port', '--dir', '--max-table-size', '--image'];

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function run(args: string[], quiet = false): Promise<number> {
  return new Promise((done) => {
    const child = spawn('docker', args, { stdio: quiet ? 'ignore' : 'inherit' });
    child.on('error', () => done(127));
    child.on('exit', (code) => done(code ?? 1));
  });
}

const display = (args: string[]) => ['docker', ...args].map((a) => (/[\s&|>;'"]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(' ');

async function download(url: string, path: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url} : HTTP ${response.status}`);
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(`${path}.part`));
  renameSync(`${path}.part`, path);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--dry-run') continue;
    if (!VALUED.includes(args[i]) || args[i + 1] === undefined || args[i + 1].startsWith('--')) {
      console.error(VALUED.includes(args[i]) ? `${args[i]} : valeur manquante.` : `Option inconnue : ${args[i]}`);
      console.error(USAGE);
      return 2;
    }
    i++;
  }
  const code = option('--region');
  if (!code) {
    console.error(USAGE);
    return 2;
  }
  const numbers: Record<string, number> = {};
  for (const [flag, fallback, rule] of [
    ['--buffer-km', String(DEFAULT_BUFFER_KM), { min: 0, max: 200, unit: ' km' }],
    ['--port', '5000', { min: 1, max: 65535, unit: '' }],
    ['--max-table-size', '0', { min: 0, max: 100_000, unit: '' }],
  ] as const) {
    const value = parseWholeNumber(option(flag) ?? fallback, rule);
    if (typeof value === 'string') {
      console.error(`${flag} : ${value}`);
      return 2;
    }
    numbers[flag] = value;
  }
  let index: RegionIndex;
  try {
    index = JSON.parse(readFileSync('public/data/regions.json', 'utf8')) as RegionIndex;
  } catch {
    console.error('Données absentes (public/data/regions.json) : lancez d’abord « npm run data ».');
    return 1;
  }
  const region = index.regions.find((r) => r.code === code);
  if (!region) {
    console.error(`Région inconnue : ${code}. Codes disponibles : ${index.regions.map((r) => `${r.code} (${r.name})`).join(', ')}.`);
    return 2;
  }
  const dir = resolve(option('--dir') ?? `osrm-data/${code}`);
  const image = option('--image') ?? DEFAULT_OSRM_IMAGE;
  const tableSize = numbers['--max-table-size'] || tableSizeFor(region.publicCount);
  const overseas = region.departements.every((d) => d.code.length === 3);

  let extracts: string[];
  let poly: string | null = null;
  if (code === 'FR') extracts = ['france'];
  else if (overseas) extracts = [...new Set(region.departements.map((d) => EXTRACT_OF_DEPARTEMENT.get(d.code)).filter((x): x is string => !!x))];
  else {
    const outline = JSON.parse(readFileSync(`public/data/${code}/region.geojson`, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
    const departements = JSON.parse(readFileSync('public/data/FR/departements.geojson', 'utf8')) as FeatureCollection<Polygon | MultiPolygon, { code: string }>;
    const area = bufferedOutline(outline, numbers['--buffer-km']);
    const found = extractsFor(area, departements);
    if (found.unknown.length > 0) {
      console.error(`Aucun extrait Geofabrik connu pour les départements ${found.unknown.join(', ')} : complétez scripts/lib/osrm-setup.ts.`);
      return 1;
    }
    extracts = found.extracts;
    poly = polyFile(`region-${code}`, area);
    console.log(`${region.name} et une bande de ${numbers['--buffer-km']} km : départements ${found.touched.join(', ')}.`);
  }
  const urls = extracts.map((e) => (e === 'france' ? GEOFABRIK_FRANCE_WHOLE : extractUrl(e)));
  console.log(`Extraits OpenStreetMap (Geofabrik) : ${urls.join(' ')}`);
  console.log(`Taille max. de table : ${tableSize} (${region.publicCount} lycées publics).`);

  const dryRun = args.includes('--dry-run');
  const today = new Date().toISOString().slice(0, 10);
  const steps = dockerSteps({ regionCode: code, dir, extracts, cut: poly !== null, tableSize, dataVersion: dataVersionFor(code, today), port: numbers['--port'], image });
  if (dryRun) {
    console.log(`Dossier : ${dir}${poly ? ` (contour découpé : region-${code}.poly)` : ''}`);
    for (const step of steps) console.log(`# ${step.label}\n${display(step.args)}`);
    return 0;
  }

  if ((await run(['--version'], true)) !== 0) {
    console.error('Docker introuvable : installez Docker (https://docs.docker.com/get-docker/) puis relancez.');
    return 1;
  }
  mkdirSync(dir, { recursive: true });
  if (poly) writeFileSync(`${dir}/region-${code.toLowerCase()}.poly`, poly);
  for (const [i, extract] of extracts.entries()) {
    const path = `${dir}/${pbfName(extract)}`;
    if (existsSync(path)) {
      console.log(`${pbfName(extract)} déjà téléchargé (${statSync(path).mtime.toISOString().slice(0, 10)}) : supprimez-le pour le rafraîchir.`);
      continue;
    }
    console.log(`Téléchargement de ${urls[i]}…`);
    try {
      await download(urls[i], path);
    } catch (error) {
      console.error(`Téléchargement impossible : ${String(error)}`);
      return 1;
    }
  }
  // The dataset's version is the date of its oldest extract: what the app shows and keys its cache on.
  const extractsDate = extracts.map((e) => statSync(`${dir}/${pbfName(e)}`).mtime.toISOString().slice(0, 10)).sort()[0] ?? today;
  const finalSteps = dockerSteps({ regionCode: code, dir, extracts, cut: poly !== null, tableSize, dataVersion: dataVersionFor(code, extractsDate), port: numbers['--port'], image });
  for (const step of finalSteps) {
    console.log(`\n== ${step.label}\n${display(step.args)}`);
    const status = await run(step.args, step.optional);
    if (status !== 0 && !step.optional) {
      console.error(`Échec de l’étape « ${step.label} » (code ${status}).`);
      return 1;
    }
  }
  return verify(code, `http://localhost:${numbers['--port']}`, tableSize);
}

/** Waits for the server, then computes the Région's matrix once: refused if the extract misses lycées. */
async function verify(code: string, url: string, tableSize: number): Promise<number> {
  const dataset = JSON.parse(readFileSync(`public/data/${code}/establishments.json`, 'utf8')) as RegionDataset;
  const lycees = dataset.establishments.filter((e) => e.sector === 'public');
  const client = new OsrmClient({ baseUrl: url, maxTableSize: tableSize, retries: 0, timeoutMs: 120_000 });
  for (let attempt = 0; ; attempt++) {
    try {
      await client.probe(lycees[0]);
      break;
    } catch (error) {
      if (attempt >= 60) {
        console.error(`Le serveur ne répond pas à ${url} : ${error instanceof Error ? error.message : String(error)} (docker logs maillage-osrm-${code.toLowerCase()}).`);
        return 1;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    const matrix = await client.table(lycees, lycees);
    const outside = (matrix.estimated ?? []).filter((e) => e.role === 'source').length;
    console.log(`\nServeur prêt : ${url} (${client.info.label}). ${lycees.length - outside} lycées publics sur ${lycees.length} couverts.`);
    console.log(`Dans Maillage : « Serveur… » adresse ${url}, taille max. de table ${tableSize}, puis « Calculer avec OSRM ».`);
    return 0;
  } catch (error) {
    console.error(error instanceof OsrmError ? error.message : String(error));
    return 1;
  }
}

process.exitCode = await main();
