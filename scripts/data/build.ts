/**
 * `npm run data`: builds public/data (ignored by git, served by Vite) from the raw open data.
 *   --if-stale       rebuild only when an output is missing or older than an input or this script
 *   --download       fetch the official datasets instead of reading ../shared/data (see download.ts)
 *   --shared <dir>   where the raw copies are (default ../shared/data; env MAILLAGE_SHARED_DATA)
 *   --out <dir>      where to write (default public)
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOutputs, formatReport } from './outputs.ts';
import { readSharedSources, SHARED_FILES, sharedCommuneFiles } from './sources.ts';
import { downloadSources, DownloadError } from './download.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const sharedDir = resolve(root, option('--shared') ?? process.env.MAILLAGE_SHARED_DATA ?? '../shared/data');
const outDir = resolve(root, option('--out') ?? 'public');
const wantDownload = process.argv.includes('--download');

function newestMtime(paths: string[]): number {
  return Math.max(...paths.map((p) => statSync(p).mtimeMs));
}

function outputsAreFresh(): boolean {
  const index = join(outDir, 'data/regions.json');
  if (!existsSync(index)) return false;
  const scripts = readdirSync(join(root, 'scripts/data')).map((f) => join(root, 'scripts/data', f));
  const territory = ['topology.ts', 'adjacency.ts', 'locate.ts', 'graph.ts'].map((f) => join(root, 'src/core/territory', f));
  const cog = join(root, 'node_modules/@etalab/decoupage-administratif/package.json');
  const inputs = [...scripts, ...territory, cog, join(root, 'src/core/model/establishment.ts'), join(root, 'src/core/uai.ts')];
  if (existsSync(sharedDir)) inputs.push(...Object.values(SHARED_FILES).map((f) => join(sharedDir, f)), ...sharedCommuneFiles(sharedDir));
  return statSync(index).mtimeMs >= newestMtime(inputs);
}

async function main(): Promise<void> {
  if (process.argv.includes('--if-stale') && outputsAreFresh()) {
    console.log('Données à jour (public/data) : rien à reconstruire.');
    return;
  }
  const started = Date.now();
  let sources;
  if (wantDownload || !existsSync(sharedDir)) {
    if (!wantDownload) console.log(`${sharedDir} est absent : téléchargement des jeux de données officiels.`);
    sources = await downloadSources(join(root, '.cache/download'));
  } else {
    sources = readSharedSources(sharedDir);
  }
  const { files, report } = buildOutputs(sources, new Date().toISOString());
  // regions.json is written last: its date is what --if-stale compares.
  const ordered = [...files.entries()].sort(([a], [b]) => Number(a === 'data/regions.json') - Number(b === 'data/regions.json'));
  for (const [path, value] of ordered) {
    const target = join(outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, value instanceof Uint8Array ? value : JSON.stringify(value));
  }
  console.log(formatReport(report));
  console.log(`\n${files.size} fichiers écrits dans ${join(outDir, 'data')} en ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

main().catch((error: unknown) => {
  if (error instanceof DownloadError) console.error(`Échec du téléchargement : ${error.message}`);
  else console.error(error);
  process.exit(1);
});
