/**
 * `npm run bench:data [-- --runs N]`: the data build (`npm run data`, into a scratch folder) run N
 * times (default 3) in child processes: wall-clock and CPU time (median, min–max: the machine is
 * shared, so CPU time is the steadier figure), then the size of each Région's files, raw and gzip.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 3;
const out = mkdtempSync(join(tmpdir(), 'maillage-data-'));

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `médiane ${median.toFixed(1)} s (${sorted[0].toFixed(1)}–${sorted[sorted.length - 1].toFixed(1)})`;
}

const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S %M', 'npx', 'tsx', 'scripts/data/build.ts', '--out', out], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  wall.push((performance.now() - started) / 1000);
  const [user, system, maxKb] = result.stderr.trim().split('\n').pop()?.split(' ').map(Number) ?? [];
  cpu.push(user + system);
  console.log(`essai ${i + 1} : ${wall[i].toFixed(1)} s, CPU ${cpu[i].toFixed(1)} s, mémoire max ${(maxKb / 1024).toFixed(0)} Mo`);
}
console.log(`Construction des données (${runs} essais) : durée ${stats(wall)} ; CPU ${stats(cpu)}`);

const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
const dataDir = join(out, 'data');
console.log('\nTailles (Mo, brut / gzip) :');
for (const code of readdirSync(dataDir).filter((d) => statSync(join(dataDir, d)).isDirectory())) {
  const cells = readdirSync(join(dataDir, code))
    .filter((f) => f !== 'establishments.json')
    .sort()
    .map((f) => {
      const raw = readFileSync(join(dataDir, code, f));
      return `${f.replace(/\.(geo)?json$/, '')} ${mb(raw.length)}/${mb(gzipSync(raw).length)}`;
    });
  console.log(`  ${code.padEnd(3)} ${cells.join(' · ')}`);
}
rmSync(out, { recursive: true, force: true });
