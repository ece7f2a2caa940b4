/**
 * `npm run bench:imports`: time of each import on the files that used to hang — 100,000 rows of one
 * UAI, 100,000 unknown or mistyped UAIs, 20,000 and 100,000 conflicting plan rows, a 1 MB UAI cell,
 * 100,000-entry proposals and GeoJSON layers, a 100,000-row workbook — from the bytes to the report
 * and its notice lines (what the browser does). Each case runs RUNS times: median, min and max.
 */
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { describeReport, type ImportReport } from '../../src/core/io/import-report.ts';
import { importMatrixFile } from '../../src/core/io/matrix-import.ts';
import { readPcPark } from '../../src/core/io/pc-park.ts';
import { importPlanFile } from '../../src/core/io/plan-import.ts';
import { importProposalBytes, PROPOSAL_FORMAT } from '../../src/core/io/proposal-file.ts';
import { writeMatrixFile } from '../../src/core/routing/matrix-file.ts';
import { uaiKeyLetter } from '../../src/core/uai.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const ROWS = 100_000;
const REGION = '52';

/** n < 1,000,000: département 0 + six digits; the Région knows the first ROWS. */
const uai = (n: number) => {
  const digits = `0${String(n).padStart(6, '0')}`;
  return digits + uaiKeyLetter(digits);
};
const known = new Set(Array.from({ length: ROWS }, (_, i) => uai(i)));
const utf8 = (text: string) => new TextEncoder().encode(text);
const lines = (header: string, count: number, line: (i: number) => string) => utf8(`${header}\n${Array.from({ length: count }, (_, i) => line(i)).join('\n')}\n`);
const options = (fileName: string) => ({ newId: 'bench', now: new Date().toISOString(), fileName, regionCode: REGION, known });

type Outcome = { ok: true; report: ImportReport<unknown> } | { ok: false; reasons: string[] };

async function xlsx(count: number): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Parc');
  sheet.addRow(['UAI', 'Nombre de PC']);
  for (let i = 0; i < count; i++) sheet.addRow([uai(i), i % 900]);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

function proposal(count: number): Uint8Array {
  const assignment = Object.fromEntries(Array.from({ length: count }, (_, i) => [uai(i), i % 2 ? 't1' : 't2']));
  const teams = [1, 2].map((t) => ({ id: `t${t}`, name: `Équipe ${t}`, service: null, base: null, technicians: 3, color: '#123456', sections: [], allowedDepartements: [] }));
  return utf8(JSON.stringify({ format: PROPOSAL_FORMAT, version: 1, plan: { name: 'Bench', regionCode: REGION, teams, assignment, locked: Object.keys(assignment).slice(0, 1000), settings: { pcPerStudent: 0.37, tolerances: { establishments: 0.1, pcs: 0.05, students: null } } } }));
}

function geojson(count: number): Uint8Array {
  const features = Array.from({ length: count }, (_, i) => ({ type: 'Feature', geometry: i % 10 === 0 ? null : { type: 'Point', coordinates: [-0.5, 47] }, properties: { uai: uai(i), equipe: `Équipe ${i % 12}` } }));
  return utf8(JSON.stringify({ type: 'FeatureCollection', features }));
}

function matrix(n: number): Uint8Array {
  const points = Array.from({ length: n }, (_, i) => ({ id: uai(i), lat: 47 + i / n, lon: -0.5 }));
  const values = new Float32Array(n * n).map((_, i) => i % 997);
  return utf8(writeMatrixFile(REGION, points, { sources: n, destinations: n, durations: values, distances: values, provider: { kind: 'osrm', label: 'bench' }, unroutable: [], farSnaps: [] }, '2026-01-01'));
}

const cases: { label: string; bytes: () => Promise<Uint8Array> | Uint8Array; run: (bytes: Uint8Array) => Promise<Outcome> | Outcome }[] = [
  { label: 'parc CSV, 100 000 lignes d’un seul UAI', bytes: () => lines('UAI;Nb PC', ROWS, () => `${uai(1)};12`), run: (b) => readPcPark(b, 'parc.csv', known) },
  { label: 'parc CSV, 100 000 UAI distincts valides', bytes: () => lines('UAI;Nb PC', ROWS, (i) => `${uai(i)};${i % 900}`), run: (b) => readPcPark(b, 'parc.csv', known) },
  { label: 'parc CSV, 100 000 UAI inconnus', bytes: () => lines('UAI;Nb PC', ROWS, (i) => `${uai(200_000 + i)};3`), run: (b) => readPcPark(b, 'parc.csv', known) },
  { label: 'parc CSV, 100 000 UAI à lettre clé fausse', bytes: () => lines('UAI;Nb PC', ROWS, (i) => `${uai(i).slice(0, 7)}${uai(i)[7] === 'Q' ? 'R' : 'Q'};3`), run: (b) => readPcPark(b, 'parc.csv', known) },
  { label: 'parc CSV, cellule UAI de 1 Mo', bytes: () => utf8(`UAI;Nb PC\n${'0490001'.repeat(150_000)};12\n${uai(3)};4\n`), run: (b) => readPcPark(b, 'parc.csv', known) },
  { label: 'parc CSV, guillemet non refermé toutes les 1 000 lignes', bytes: () => lines('UAI;Nb PC', ROWS, (i) => `${i % 1000 === 5 ? '"' : ''}${uai(i)};3`), run: (b) => readPcPark(b, 'parc.csv', known) },
  { label: 'parc XLSX, 100 000 lignes', bytes: () => xlsx(ROWS), run: (b) => readPcPark(b, 'parc.xlsx', known) },
  { label: 'plan CSV, 20 000 lignes en conflit', bytes: () => lines('UAI;Équipe', 20_000, (i) => `${uai(i % 3)};Équipe ${i}`), run: (b) => importPlanFile(b, options('plan.csv')) },
  { label: 'plan CSV, 100 000 lignes en conflit', bytes: () => lines('UAI;Équipe', ROWS, (i) => `${uai(i % 3)};Équipe ${i}`), run: (b) => importPlanFile(b, options('plan.csv')) },
  { label: 'plan CSV, 100 000 lycées, 12 équipes', bytes: () => lines('UAI;Équipe;Zone', ROWS, (i) => `${uai(i)};Équipe ${i % 12};Z${i % 40}`), run: (b) => importPlanFile(b, options('plan.csv')) },
  { label: 'plan GeoJSON, 100 000 objets', bytes: () => geojson(ROWS), run: (b) => importPlanFile(b, options('plan.geojson')) },
  { label: 'proposition, 100 000 affectations', bytes: () => proposal(ROWS), run: (b) => importProposalBytes(b, known, options('p.maillage.json')) },
  { label: 'matrice 1 000 × 1 000', bytes: () => matrix(1000), run: (b) => importMatrixFile(b, 'matrice.json', REGION) },
];

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`Imports, ${RUNS} exécutions par cas (médiane [min – max]) :`);
for (const c of cases) {
  const bytes = await c.bytes();
  const times: number[] = [];
  let summary = '';
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    const outcome = await c.run(bytes);
    const lines = outcome.ok ? describeReport(outcome.report) : outcome.reasons;
    times.push(performance.now() - start);
    summary = outcome.ok ? `${outcome.report.rowsRead} lues, ${outcome.report.accepted.length} acceptées, ${outcome.report.rejected.length} rejetées, ${lines.length} lignes d’avis` : `refusé : ${lines[0].slice(0, 60)}`;
  }
  times.sort((a, b) => a - b);
  console.log(`${c.label.padEnd(58)} ${fmt(times[Math.floor(times.length / 2)])} [${fmt(times[0])} – ${fmt(times[times.length - 1])}]  (${(bytes.length / 1048576).toFixed(1)} Mo ; ${summary})`);
}
