/**
 * Seeded generator of malformed and edge-case import files, for every import kind: PC park (CSV,
 * XLSX), plan (GeoJSON, CSV, XLSX), proposal (JSON) and drive-time matrix (JSON). Each file says
 * how many rows it holds when that is known, so a test can check that none is lost in silence.
 */
import ExcelJS from 'exceljs';
import { uaiKeyLetter } from '../../src/core/uai';
import { seededRandom } from '../../src/core/random';
import { writeMatrixFile } from '../../src/core/routing/matrix-file';
import { PROPOSAL_FORMAT } from '../../src/core/io/proposal-file';
import { GEOJSON_FORMAT } from '../../src/core/io/geojson-export';

export type ImportKind = 'pc-park' | 'plan' | 'proposal' | 'matrix';

export interface MalformedFile {
  kind: ImportKind;
  /** Which class of trouble the file exercises (for failure messages). */
  label: string;
  name: string;
  bytes: Uint8Array;
  /** Rows (table lines, GeoJSON lycée features) the import must account for, when known. */
  rows?: number;
}

export const REGION = '52';

/** Valid UAIs of an imaginary Région (département 049): the first `known` are its lycées. */
export function uais(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, i) => {
    const digits = `049${String(1000 + offset + i).padStart(4, '0')}`;
    return digits + uaiKeyLetter(digits);
  });
}
export const KNOWN = new Set(uais(60));

const utf8 = (text: string) => new TextEncoder().encode(text);

function utf16(text: string, bigEndian: boolean, bom: boolean): Uint8Array {
  const body = (bom ? '\uFEFF' : '') + text;
  const bytes = new Uint8Array(body.length * 2);
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    bytes[2 * i + (bigEndian ? 1 : 0)] = c & 0xff;
    bytes[2 * i + (bigEndian ? 0 : 1)] = c >> 8;
  }
  return bytes;
}

function windows1252(text: string): Uint8Array {
  const table: Record<string, number> = { 'é': 0xe9, 'è': 0xe8, 'É': 0xc9, 'à': 0xe0, 'ç': 0xe7, 'ô': 0xf4, '’': 0x92, '€': 0x80 };
  return Uint8Array.from([...text].map((c) => table[c] ?? (c.charCodeAt(0) < 128 ? c.charCodeAt(0) : 0x3f)));
}

const CONTROL = ['\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u200b', '\u202e', '\u2028', '\ufeff', '\t'];

async function workbook(sheets: { name: string; rows: unknown[][]; state?: 'visible' | 'hidden' | 'veryHidden' }[]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  for (const s of sheets) {
    const sheet = book.addWorksheet(s.name, { state: s.state ?? 'visible' });
    for (const row of s.rows) sheet.addRow(row as ExcelJS.CellValue[]);
  }
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** Flips, drops or inserts a few random bytes: the file stays almost right. */
function mutate(bytes: Uint8Array, random: () => number, edits: number): Uint8Array {
  const out = Array.from(bytes);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * out.length);
    const op = random();
    if (op < 0.4) out[at] = Math.floor(random() * 256);
    else if (op < 0.7) out.splice(at, 1);
    else out.splice(at, 0, [0x22, 0x3b, 0x2c, 0x0a, 0x7b, 0x7d, 0x5b, 0x00][Math.floor(random() * 8)]);
  }
  return Uint8Array.from(out);
}

function deep(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { x: value };
  return value;
}

function proposal(overrides: Record<string, unknown> = {}, planOverrides: Record<string, unknown> = {}): Record<string, unknown> {
  const [a, b, c, d] = uais(4);
  return {
    format: PROPOSAL_FORMAT,
    version: 1,
    exportedAt: '2026-01-01T00:00:00Z',
    plan: {
      schemaVersion: 1,
      id: 'p1',
      name: 'Essai',
      regionCode: REGION,
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      notes: '',
      teams: [
        { id: 't1', name: 'Angers', service: null, base: { lat: 47.47, lon: -0.55, label: 'Base' }, technicians: 3, color: '#1f77b4', sections: [{ id: 's1', name: 'Nord' }], allowedDepartements: ['49'] },
        { id: 't2', name: 'Cholet', service: null, base: null, technicians: 2, color: '#ff7f0e', sections: [], allowedDepartements: [] },
      ],
      assignment: { [a]: 't1', [b]: 't1', [c]: 't2', [d]: 't2' },
      sections: { [a]: 's1' },
      zones: [{ id: 'z1', teamId: 't1', name: 'Z1', members: [a, b], fixed: false }],
      locked: [a],
      pcPark: { [a]: { count: 120, source: 'inventaire.csv' } },
      settings: { pcPerStudent: 0.37, tolerances: { establishments: 0.1, pcs: 0.05, students: null } },
      origin: { kind: 'blank' },
      ...planOverrides,
    },
    ...overrides,
  };
}

function geojson(features: unknown[], maillage?: unknown): Record<string, unknown> {
  return { type: 'FeatureCollection', features, ...(maillage === undefined ? {} : { maillage }) };
}

const point = (properties: unknown, geometry: unknown = { type: 'Point', coordinates: [-0.5, 47.4] }) => ({ type: 'Feature', geometry, properties });

function metadata(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: GEOJSON_FORMAT,
    version: 1,
    exportedAt: '2026-01-01T00:00:00Z',
    region: { code: REGION, name: 'Pays de la Loire' },
    proposal: { id: 'p1', name: 'Essai', notes: '', createdAt: '', updatedAt: '', origin: { kind: 'blank' } },
    driveTimes: { source: 'estimation', estimated: true },
    settings: { pcPerStudent: 0.37, tolerances: { establishments: 0.1, pcs: 0.05, students: null } },
    territories: { method: 'communes', description: '', warnings: [] },
    teams: [{ id: 't1', name: 'Angers', service: null, base: null, technicians: 3, color: '#1f77b4', sections: [{ id: 's1', name: 'Nord' }], allowedDepartements: [] }],
    zones: [{ id: 'z1', teamId: 't1', name: 'Z1', fixed: false }],
    ...overrides,
  };
}

function matrixFile(n: number, edit: (durations: Float32Array, distances: Float32Array) => void = () => {}): Record<string, unknown> {
  const points = uais(n).map((id, i) => ({ id, lat: 47 + i * 0.01, lon: -0.5 }));
  const durations = new Float32Array(n * n).map((_, i) => (i % (n + 1) === 0 ? 0 : 600 + i));
  const distances = new Float32Array(n * n).map((_, i) => (i % (n + 1) === 0 ? 0 : 9000 + i));
  edit(durations, distances);
  const text = writeMatrixFile(REGION, points, { sources: n, destinations: n, durations, distances, provider: { kind: 'osrm', label: 'OSRM test' }, unroutable: [], farSnaps: [] }, '2026-01-01');
  return JSON.parse(text) as Record<string, unknown>;
}

/** CSV text of a table; `rows` counts the data rows. */
function csv(header: string[], rows: string[][], separator = ';', newline = '\n'): string {
  return [header, ...rows].map((r) => r.join(separator)).join(newline) + newline;
}

export async function malformedFiles(seed = 13, target = 320): Promise<MalformedFile[]> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const files: MalformedFile[] = [];
  const add = (file: MalformedFile) => files.push(file);
  const known = [...KNOWN];
  const someUai = () => pick(known);
  const count = () => String(Math.floor(random() * 500));

  // ---- Tables (PC park and plan share the reader: both kinds get every table case) ----------------
  const tableKinds: { kind: ImportKind; header: string[]; cell: () => string }[] = [
    { kind: 'pc-park', header: ['UAI', 'Nb PC'], cell: count },
    { kind: 'plan', header: ['UAI', 'Équipe', 'Zone'], cell: () => `Équipe ${Math.floor(random() * 4)}` },
  ];
  for (const { kind, header, cell } of tableKinds) {
    const row = (): string[] => (kind === 'plan' ? [someUai(), cell(), pick(['', 'Z1', 'Z2'])] : [someUai(), cell()]);
    const rows = (n: number) => Array.from({ length: n }, row);
    for (let i = 0; i < 6; i++) {
      const body = rows(8);
      const at = 1 + Math.floor(random() * body.length);
      const lines = csv(header, body).split('\n');
      lines[at] = `"${lines[at]}`;
      add({ kind, label: 'guillemet non refermé', name: `quote-${i}.csv`, bytes: utf8(lines.join('\n')), rows: 8 });
    }
    add({ kind, label: 'guillemets mal placés', name: 'quotes.csv', bytes: utf8(`${header.join(';')}\n"${someUai()}"x;12\n${someUai()};"4"\n`), rows: 2 });
    add({ kind, label: 'cellules sur plusieurs lignes', name: 'multiline.csv', bytes: utf8(`${header.join(';')}\r\n"${someUai()}\r\nsuite";12\r\n\r\n${someUai()};4\r\n`), rows: 2 });
    for (const separator of [',', '\t', '|']) add({ kind, label: `séparateur ${separator}`, name: 'sep.csv', bytes: utf8(csv(header, rows(5), separator)), rows: 5 });
    add({ kind, label: 'séparateurs mélangés', name: 'mixed.csv', bytes: utf8(`${header.join(';')}\n${rows(3).map((r) => r.join(',')).join('\n')}\n${rows(2).map((r) => r.join(';')).join('\n')}\n`), rows: 5 });
    add({ kind, label: 'en-tête à la virgule, données au point-virgule', name: 'mixed2.csv', bytes: utf8(`${header.join(',')}\n${rows(4).map((r) => r.join(';')).join('\n')}\n`), rows: 4 });
    add({ kind, label: 'fins de ligne CR', name: 'cr.csv', bytes: utf8(csv(header, rows(6), ';', '\r')), rows: 6 });
    add({ kind, label: 'CRLF', name: 'crlf.csv', bytes: utf8(csv(header, rows(6), ';', '\r\n')), rows: 6 });
    const text = csv(header, rows(7));
    add({ kind, label: 'UTF-8 BOM', name: 'bom.csv', bytes: utf8(`\uFEFF${text}`), rows: 7 });
    for (const [be, bom] of [[false, true], [true, true], [false, false], [true, false]] as const) add({ kind, label: `UTF-16 ${be ? 'BE' : 'LE'}${bom ? ' BOM' : ''}`, name: 'unicode.csv', bytes: utf16(text.replace(/;/g, '\t'), be, bom), rows: 7 });
    add({ kind, label: 'Windows-1252', name: 'latin.csv', bytes: windows1252(csv(kind === 'plan' ? ['Code établissement', 'Équipe'] : ['Établissement', 'Nombre de PC'], rows(4).map((r) => r.slice(0, 2)))), rows: 4 });
    add({ kind, label: 'vide', name: 'empty.csv', bytes: new Uint8Array() });
    add({ kind, label: 'blancs', name: 'blank.csv', bytes: utf8(' \n\n \r\n') });
    add({ kind, label: 'en-tête seul', name: 'header.csv', bytes: utf8(`${header.join(';')}\n`), rows: 0 });
    add({ kind, label: 'binaire', name: 'data.csv', bytes: Uint8Array.from({ length: 2000 }, () => Math.floor(random() * 256)) });
    add({ kind, label: 'vrai .xls', name: 'parc.xls', bytes: Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...Array.from({ length: 600 }, () => Math.floor(random() * 256))]) });
    add({ kind, label: '.xls au contenu CSV', name: 'parc.xls', bytes: utf8(csv(header, rows(3))) });
    add({ kind, label: '.ods', name: 'parc.ods', bytes: Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...utf8('mimetypeapplication/vnd.oasis.opendocument.spreadsheet'), 0, 0, 0]) });
    add({ kind, label: 'PDF', name: 'parc.pdf', bytes: utf8('%PDF-1.7\n%âãÏÓ\n1 0 obj\n') });
    add({ kind, label: 'XLSX tronqué', name: 'parc.xlsx', bytes: (await workbook([{ name: 'A', rows: [header, ...rows(5)] }])).slice(0, 700) });
    add({ kind, label: 'cellule de 1 Mo', name: 'huge-cell.csv', bytes: utf8(`${header.join(';')}\n${'0490001'.repeat(150_000)};12\n${someUai()};3\n`), rows: 2 });
    add({ kind, label: '10 001 en-têtes', name: 'wide.csv', bytes: utf8(`${Array.from({ length: 10_001 }, (_, i) => `col${i}`).join(';')}\n${Array.from({ length: 10_001 }, () => 'x').join(';')}\n`) });
    add({ kind, label: '10 001 en-têtes dont les bons', name: 'wide2.csv', bytes: utf8(`${[...header, ...Array.from({ length: 10_001 }, (_, i) => `col${i}`)].join(';')}\n${[...row(), ...Array.from({ length: 10_001 }, () => 'x')].join(';')}\n`), rows: 1 });
    for (let i = 0; i < 4; i++) {
      const body = rows(6).map((r) => r.map((c) => (random() < 0.4 ? `${c}${pick(CONTROL)}${pick(CONTROL)}` : c)));
      add({ kind, label: 'caractères de contrôle', name: 'control.csv', bytes: utf8(csv(header, body)), rows: 6 });
    }
    add({ kind, label: 'cellules formule', name: 'formula.csv', bytes: utf8(csv(header, [[someUai(), kind === 'plan' ? "=cmd|' /C calc'!A0" : '=1+1'], [someUai(), kind === 'plan' ? "'@SUM(A1)" : '+3'], [`=${someUai()}`, '4']])), rows: 3 });
    add({ kind, label: 'colonnes manquantes', name: 'nocols.csv', bytes: utf8(csv(['Nom', 'Commune'], [['a', 'b']])) });
    add({ kind, label: 'colonnes ambiguës', name: 'twice.csv', bytes: utf8(csv(['UAI', 'Code UAI', ...header.slice(1)], [[someUai(), someUai(), cell()]])) });
    add({ kind, label: 'une seule colonne', name: 'one.csv', bytes: utf8('UAI Nb PC\n0490001 12\n') });
    for (let i = 0; i < 5; i++) add({ kind, label: 'octets altérés', name: 'mutated.csv', bytes: mutate(utf8(csv(header, rows(10))), random, 1 + Math.floor(random() * 6)) });
    // Workbooks: several sheets, hidden ones, formulas, rich text, errors.
    add({ kind, label: 'deux feuilles', name: 'two.xlsx', bytes: await workbook([{ name: 'Nord', rows: [header, ...rows(3)] }, { name: 'Sud', rows: [header, ...rows(4)] }]), rows: 7 });
    add({ kind, label: 'feuille masquée en premier', name: 'hidden.xlsx', bytes: await workbook([{ name: 'Vieux', rows: [header, ...rows(2)], state: 'hidden' }, { name: 'Actuel', rows: [header, ...rows(3)] }]), rows: 5 });
    add({ kind, label: 'feuille sans colonnes', name: 'notes.xlsx', bytes: await workbook([{ name: 'Données', rows: [header, ...rows(3)] }, { name: 'Notes', rows: [['Remarque'], ['à revoir'], ['ok']] }]), rows: 5 });
    add({ kind, label: 'classeur sans colonnes', name: 'nothing.xlsx', bytes: await workbook([{ name: 'A', rows: [['x', 'y'], [1, 2]] }]) });
    add({ kind, label: 'classeur vide', name: 'empty.xlsx', bytes: await workbook([{ name: 'A', rows: [] }]) });
    add({
      kind,
      label: 'cellules XLSX exotiques',
      name: 'cells.xlsx',
      bytes: await workbook([{ name: 'P', rows: [header, [{ richText: [{ text: someUai().slice(0, 4) }, { text: someUai().slice(4) }] }, 12], [someUai(), { formula: 'A1*2' }], [someUai(), { error: '#N/A' }], [{ text: someUai(), hyperlink: 'http://x' }, 3], [someUai(), new Date(2026, 0, 1)], [someUai(), 1e308], [someUai(), -4], [someUai(), 2.5]] }]),
      rows: 8,
    });
    add({ kind, label: 'doublons', name: 'dups.xlsx', bytes: await workbook([{ name: 'A', rows: [header, ...Array.from({ length: 30 }, () => [known[0], kind === 'plan' ? pick(['A', 'B']) : 5])] }]), rows: 30 });
  }
  // PC counts out of range.
  for (const bad of ['-3', '2,5', '1e308', 'NaN', 'Infinity', '0x10', '12 PC', '', '1.234.567', '99999999']) {
    add({ kind: 'pc-park', label: `nombre de PC « ${bad} »`, name: 'count.csv', bytes: utf8(csv(['UAI', 'Nb PC'], [[someUai(), bad], [someUai(), '12']])), rows: 2 });
  }
  // Unknown and broken UAIs, duplicates, conflicts.
  add({ kind: 'pc-park', label: 'UAI inconnus', name: 'unknown.csv', bytes: utf8(csv(['UAI', 'Nb PC'], uais(200, 5000).map((u) => [u, '3']))), rows: 200 });
  add({ kind: 'pc-park', label: 'UAI faux', name: 'wrong.csv', bytes: utf8(csv(['UAI', 'Nb PC'], Array.from({ length: 200 }, () => [someUai().slice(0, 7) + 'Q', '3']))), rows: 200 });
  add({ kind: 'plan', label: 'lignes en conflit', name: 'conflicts.csv', bytes: utf8(csv(['UAI', 'Équipe'], Array.from({ length: 500 }, (_, i) => [known[i % 3], `T${i}`]))), rows: 500 });
  add({ kind: 'plan', label: 'noms formule', name: 'formula-team.csv', bytes: utf8(csv(['UAI', 'Équipe', 'Zone'], [[known[0], "=cmd|' /C calc'!A0", '@SUM(1)'], [known[1], '-2+3', '+zone']])), rows: 2 });

  // ---- GeoJSON plans ------------------------------------------------------------------------------
  const gis = (features: unknown[], maillage?: unknown, label = 'GeoJSON', rows?: number) => add({ kind: 'plan', label, name: 'plan.geojson', bytes: utf8(JSON.stringify(geojson(features, maillage))), rows });
  gis([point({ uai: known[0], equipe: 'A' }), point({ uai: known[1], equipe: 'B' }, null), point({ uai: known[2], equipe: 'B' }, { type: 'Polygon', coordinates: [] }), point({ uai: known[3], equipe: 'B' }, { type: 'MultiPoint', coordinates: [] })], undefined, 'géométries nulles et non ponctuelles', 4);
  gis([point({ uai: { code: known[0] }, equipe: 'A' }), point({ uai: known[1], equipe: { toString: 1 } }), point({ uai: [known[2]], equipe: 'A' }), point({ uai: known[3], equipe: 'A', zone: { a: 1 } }), point({ uai: known[4], equipe: 'A' })], undefined, 'objets à la place de textes', 5);
  gis([point(null), point('x'), 'feature', null, 42, { type: 'Feature' }, point({ uai: known[5], equipe: 'A' })], undefined, 'objets mal formés', 7);
  gis([point({ uai: known[0], equipe_id: 't1', objet: 'lycee' })], metadata({ region: undefined }), 'métadonnées sans Région');
  gis([point({ uai: known[0], equipe_id: 't1', objet: 'lycee' })], metadata({ proposal: undefined }), 'métadonnées sans proposition', 1);
  gis([point({ uai: known[0], equipe_id: 't1', objet: 'lycee' })], metadata({ teams: 'aucune' }), 'équipes pas une liste');
  gis([point({ uai: known[0], equipe_id: 't1', objet: 'lycee', section: 'Nord' })], metadata({ teams: [{ id: 't1', name: 'A', technicians: 2, color: '#000' }] }), 'équipe sans sections', 1);
  gis([point({ uai: known[0], equipe_id: 't1', objet: 'lycee' }), point({ uai: known[1], equipe_id: 'ghost', objet: 'lycee' })], metadata(), 'équipe inconnue', 2);
  gis([point({ uai: known[0], equipe_id: 't1', objet: 'lycee' })], metadata({ region: { code: '32' } }), 'autre Région sans nom');
  gis([point({ uai: known[0], equipe_id: 't1', objet: 'lycee', pc_estime: false, pc: -5 }), point({ uai: known[1], equipe_id: 't1', objet: 'lycee', pc_estime: false, pc: 1e308 }), point({ uai: known[2], equipe_id: 't1', objet: 'lycee', pc_estime: false, pc: 2.5 })], metadata(), 'PC invalides', 3);
  gis([point({ uai: known[0], equipe_id: 't1', objet: 'lycee' }), { type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: { objet: 'equipe' } }, point({ objet: 'base', equipe_id: 't1' }), point({ objet: 'autre' })], metadata(), 'objets descriptifs', 2);
  gis([point({ uai: known[0], equipe_id: 't1', objet: 'lycee' })], metadata({ teams: [{ id: 't1', name: 'A', technicians: 0, color: '#000', sections: [] }], settings: { pcPerStudent: 'beaucoup', tolerances: { establishments: -1, pcs: 'x', students: 7 } } }), 'techniciens 0 et réglages invalides');
  gis([point({ uai: known[0], equipe_id: 't1', objet: 'lycee' })], metadata({ version: -1 }), 'version -1');
  gis([point({ uai: `${known[0]}${'x'.repeat(100_000)}`, equipe: 'A' }), point({ uai: known[1], equipe: 'A'.repeat(100_000) })], undefined, 'valeurs énormes', 2);
  for (const text of ['null', '[]', '42', '"texte"', '{}', '{"type":"FeatureCollection"}', '{"type":"FeatureCollection","features":{}}', '{"type":"FeatureCollection","features":[]}', '{', '']) {
    add({ kind: 'plan', label: `JSON ${text || 'vide'}`, name: 'plan.geojson', bytes: utf8(text) });
  }
  add({ kind: 'plan', label: 'imbrication profonde', name: 'deep.geojson', bytes: utf8(JSON.stringify(geojson([point({ uai: known[0], equipe: 'A', x: 'DEEP' })])).replace('"DEEP"', `${'{"x":'.repeat(100_000)}1${'}'.repeat(100_000)}`)) });
  add({ kind: 'plan', label: 'listes imbriquées', name: 'deep.geojson', bytes: utf8(`${'['.repeat(50_000)}${']'.repeat(50_000)}`) });
  add({ kind: 'plan', label: 'clés en double', name: 'dup.geojson', bytes: utf8(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]},"properties":{"uai":"${known[0]}","uai":"${known[1]}","equipe":"A"}}]}`) });
  add({ kind: 'plan', label: 'GeoJSON UTF-16', name: 'plan.geojson', bytes: utf16(JSON.stringify(geojson([point({ uai: known[0], equipe: 'Équipe é' })])), false, true), rows: 1 });
  for (let i = 0; i < 10; i++) {
    const features = known.slice(0, 12).map((u, j) => point({ uai: u, equipe: `E${j % 3}`, zone: j % 2 ? 'Z' : null }));
    add({ kind: 'plan', label: 'GeoJSON altéré', name: 'plan.geojson', bytes: mutate(utf8(JSON.stringify(geojson(features, i % 2 ? metadata() : undefined))), random, 1 + Math.floor(random() * 5)) });
  }

  // ---- Proposal files ------------------------------------------------------------------------------
  const prop = (value: unknown, label: string) => add({ kind: 'proposal', label, name: 'essai.maillage.json', bytes: utf8(JSON.stringify(value)) });
  prop(proposal(), 'proposition valide');
  for (const version of [0, -1, '1', 1.5, null, 99, '1.0', true]) prop(proposal({ version }), `version ${JSON.stringify(version)}`);
  prop(proposal({}, { settings: { pcPerStudent: 'x', tolerances: { establishments: 'dix', pcs: -0.5, students: 'non' } } }), 'réglages invalides');
  prop(proposal({}, { settings: null }), 'réglages null');
  prop(proposal({}, { settings: { pcPerStudent: 0.3, tolerances: { establishments: 0.1, pcs: 0.1, students: null }, extra: deep(20) } }), 'réglages imbriqués');
  prop(proposal({}, { settings: deep(200) }), 'réglages très imbriqués');
  prop(proposal({}, { locked: [known[0], 42, null, { uai: known[1] }, 'XXX', known[0], known[50]] }), 'verrous mal formés');
  prop(proposal({}, { locked: 'tout' }), 'verrous pas une liste');
  prop(proposal({}, { zones: [{ id: 'z1', teamId: 't1', name: 'Z', members: [known[0], 7, null, known[2], 'x'] }, { id: 'z2', teamId: 'ghost', members: [known[1]] }, 'zone', null, { id: 'z1', teamId: 't1', members: [] }, { id: 'z3', teamId: 't1', members: 'a' }] }), 'zones mal formées');
  prop(proposal({}, { sections: { [known[0]]: 's9', [known[2]]: 42, [known[40]]: 's1', x: 's1' } }), 'sections mal formées');
  prop(proposal({}, { sections: ['s1'] }), 'sections pas un objet');
  prop(proposal({}, { teams: [{ id: 't1', name: 'A', technicians: 0, color: '#000', sections: [], allowedDepartements: [] }, { id: 't2', name: 'B', technicians: -2, color: '#000' }, { id: 't3', name: 'C', technicians: 1.5, color: '#000' }, { id: 't4', name: 'D', technicians: '3', color: '#000' }, { id: 't4', name: 'E', technicians: 2, color: 'red' }, null, 'équipe', { id: 't5', name: 'F', technicians: 2, color: '#000', sections: 'x', allowedDepartements: [59, '59', '2A', 'Nord', '59', null] }] }), 'équipes invalides');
  prop(proposal({}, { teams: [{ id: 't1', name: 'A', technicians: 2, color: '#000', sections: [{ id: 's1', name: 'N' }, { id: 's1', name: 'M' }, { name: 'sans id' }, 's'] }] }), 'sections d’équipe mal formées');
  prop(proposal({}, { assignment: { [known[0]]: 'ghost', [known[1]]: 42, [known[2]]: null, [known[3]]: 't1', [known[0].toLowerCase()]: 't1', '': 't1' } }), 'affectations vers des équipes inconnues');
  prop(proposal({}, { pcPark: { [known[0]]: { count: -1 }, [known[1]]: { count: 2.5 }, [known[2]]: { count: 1e308 }, [known[3]]: 12, [known[4]]: { count: '12' }, [known[5]]: { count: 40, source: { x: 1 } } } }), 'parcs PC invalides');
  prop(proposal({}, { name: 'N'.repeat(1_000_000) }), 'nom d’1 Mo');
  prop(proposal({}, { name: `a${CONTROL.join('')}b`, teams: [{ id: 't1', name: `=cmd|' /C calc'!A0${CONTROL.join('')}`, technicians: 2, color: '#000', sections: [], allowedDepartements: [] }] }), 'caractères de contrôle');
  prop(proposal({}, { name: 42 }), 'nom pas un texte');
  prop(proposal({}, { teams: {} }), 'équipes pas une liste');
  prop(proposal({ plan: null }), 'plan null');
  prop(proposal({ format: 'autre' }), 'format inconnu');
  prop(proposal({}, { assignment: Object.fromEntries(uais(3000, 9000).map((u) => [u, 't1'])) }), '3 000 UAI inconnus');
  for (const text of ['null', '[]', '7', '"x"', '{', '', '{"format":"maillage-proposal","version":1,"plan":{"name":"a","regionCode":"52","teams":[],"assignment":{}},"plan":{}}']) {
    add({ kind: 'proposal', label: `JSON ${text.slice(0, 20) || 'vide'}`, name: 'p.maillage.json', bytes: utf8(text) });
  }
  add({ kind: 'proposal', label: 'clé en double dans assignment', name: 'dup.json', bytes: utf8(JSON.stringify(proposal()).replace('"assignment":{', `"assignment":{"${known[0]}":"t2",`)) });
  add({ kind: 'proposal', label: 'UTF-16 BE', name: 'p.json', bytes: utf16(JSON.stringify(proposal()), true, true) });
  add({ kind: 'proposal', label: 'Windows-1252', name: 'p.json', bytes: windows1252(JSON.stringify(proposal({}, { name: 'Équipe été’' }))) });
  add({ kind: 'proposal', label: '.xls', name: 'p.xls', bytes: Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]) });
  for (let i = 0; i < 24; i++) add({ kind: 'proposal', label: 'proposition altérée', name: 'p.maillage.json', bytes: mutate(utf8(JSON.stringify(proposal())), random, 1 + Math.floor(random() * 4)) });

  // ---- Matrix files --------------------------------------------------------------------------------
  const mat = (value: unknown, label: string) => add({ kind: 'matrix', label, name: 'matrice.json', bytes: utf8(JSON.stringify(value)) });
  mat(matrixFile(5), 'matrice valide');
  mat(matrixFile(5, (d) => (d[3] = NaN)), 'NaN hors trajets sans itinéraire');
  mat(matrixFile(5, (d) => (d[7] = -60)), 'durée négative');
  mat(matrixFile(5, (d) => (d[8] = Infinity)), 'durée infinie');
  mat(matrixFile(5, (_, m) => (m[2] = -1)), 'distance négative');
  mat({ ...matrixFile(5, (d) => (d[1] = NaN)), unroutable: [{ source: 0, destination: 1, reason: 'île' }] }, 'NaN déclaré sans itinéraire');
  mat({ ...matrixFile(5), unroutable: [{ source: 0, destination: 99, reason: 'x' }] }, 'unroutable hors bornes');
  mat({ ...matrixFile(5), points: 'x' }, 'points pas une liste');
  mat({ ...matrixFile(3), points: [{ id: 'a', lat: 1, lon: 2 }, { id: 'a', lat: 1, lon: 2 }, { id: 'b', lat: 'x', lon: 2 }] }, 'points en double');
  mat({ ...matrixFile(3), durations: 'AAAA' }, 'taille fausse');
  mat({ ...matrixFile(3), durations: '@@@' }, 'base64 invalide');
  mat({ ...matrixFile(3), provider: null }, 'sans source');
  mat({ ...matrixFile(3), provider: { kind: 'osrm', label: { x: 1 } } }, 'source mal formée');
  mat({ ...matrixFile(3), regionCode: '32' }, 'autre Région');
  mat({ ...matrixFile(3), regionCode: undefined }, 'sans Région');
  mat({ ...matrixFile(3), version: '1' }, 'version texte');
  mat({ ...matrixFile(3), farSnaps: [null, { role: 'x' }] }, 'farSnaps mal formés');
  mat({ ...matrixFile(3), extra: deep(100) }, 'imbrication profonde');
  for (const text of ['null', '[]', '0', '"m"', '{', '', 'NaN']) add({ kind: 'matrix', label: `JSON ${text || 'vide'}`, name: 'matrice.json', bytes: utf8(text) });
  add({ kind: 'matrix', label: 'matrice UTF-16', name: 'matrice.json', bytes: utf16(JSON.stringify(matrixFile(3)), false, true) });
  add({ kind: 'matrix', label: 'image', name: 'matrice.png', bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]) });
  for (let i = 0; i < 10; i++) add({ kind: 'matrix', label: 'matrice altérée', name: 'matrice.json', bytes: mutate(utf8(JSON.stringify(matrixFile(4))), random, 1 + Math.floor(random() * 4)) });

  // Random bytes and random mutations of every kind until the target count.
  const kinds: ImportKind[] = ['pc-park', 'plan', 'proposal', 'matrix'];
  while (files.length < target) {
    const kind = pick(kinds);
    const length = Math.floor(random() * 400);
    const bytes = Uint8Array.from({ length }, () => (random() < 0.7 ? 32 + Math.floor(random() * 95) : Math.floor(random() * 256)));
    add({ kind, label: 'octets aléatoires', name: pick(['x.csv', 'x.json', 'x.geojson', 'x.txt', 'x.xlsx', 'x']), bytes });
  }
  return files;
}
