/**
 * Pure part of the data build: raw rows (as parsed from the official CSV files) → establishments,
 * with every dropped row reported. No file system here, so the tests feed it small fixtures.
 */
import { checkUai, departementOfUai } from '../../src/core/uai.ts';
import type { Establishment, EstablishmentKind, Sector } from '../../src/core/model/establishment.ts';

/** A row of the annuaire extract (or of the official annuaire export, mapped onto these names). */
export interface AnnuaireRow {
  uai: string;
  nom: string;
  commune: string;
  academie: string;
  /** Département NAME as printed in the annuaire ("Nord", "Maine-et-Loire"). */
  departement: string;
  /** 'Public' | 'Privé' */
  secteur: string;
  ips: string;
  latitude: string;
  longitude: string;
  /** Present in the official export: lets us skip the name → code lookup. */
  codeDepartement?: string;
  codeCommune?: string;
}

/** A row of the DEPP IPS files (ap2022 with students, or the 2016-2022 series without). */
export interface IpsRow {
  rentree: string;
  uai: string;
  codeCommune: string;
  type: string;
  secteur: string;
  studentsGt: string;
  studentsPro: string;
  studentsTotal: string;
}

export interface DepartementRef {
  code: string;
  nom: string;
  region: string;
}

export interface DroppedRow {
  uai: string;
  name: string;
  reason: string;
}

export interface TransformResult {
  /** Keyed by Région code. */
  byRegion: Map<string, Establishment[]>;
  dropped: DroppedRow[];
}

/** Folds accents, case and punctuation so "Maine-et-Loire" and "MAINE ET LOIRE" compare equal. */
export function foldName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The IPS copies went through a spreadsheet: "2408" stands for INSEE code 02408. */
export function padInseeCode(code: string): string | null {
  const trimmed = code.trim();
  if (trimmed === '') return null;
  if (/^\d{1,5}$/.test(trimmed)) return trimmed.padStart(5, '0');
  if (/^2[AB]\d{3}$/i.test(trimmed)) return trimmed.toUpperCase();
  return trimmed;
}

/**
 * Parses French or plain numbers ("1015.0", "1 015", "1015,5"); null when empty or not a number.
 */
export function parseNumber(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const cleaned = raw.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (cleaned === '') return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

/**
 * Kind from the name, for lycées absent from the IPS files (agricultural, maritime, EREA, hors
 * contrat…). The annuaire's names start with the nature ("Lycée professionnel agricole de…",
 * "Etablissement régional d'enseignement adapté…").
 */
export function kindFromName(name: string): EstablishmentKind {
  const n = foldName(name);
  if (/\bagricole|\blegta\b|\blpa\b|\bhorticol|\beplefpa\b|\bmaison familiale\b|\bmfr\b/.test(n)) return 'agricole';
  if (/\bmaritime|\baquacole/.test(n)) return 'maritime';
  if (/\berea\b|enseignement adapte/.test(n)) return 'EREA';
  if (/\bpolyvalent/.test(n)) return 'LPO';
  if (/\bprofessionnel|\blp\b|ecole de production|secondaire professionnelle/.test(n)) return 'LP';
  if (/general|technologique|\blgt\b|\blegt\b/.test(n)) return 'LEGT';
  return 'autre';
}

/**
 * Agricultural and maritime lycées keep that kind even when a DEPP file types them LEGT/LP: they
 * answer to another ministry and planners look for them as such. Otherwise the official type wins.
 */
export function classify(name: string, ipsType: string | null): { kind: EstablishmentKind; source: 'ips' | 'nom' } {
  const byName = kindFromName(name);
  if (byName === 'agricole' || byName === 'maritime' || byName === 'EREA') return { kind: byName, source: 'nom' };
  const official = ipsType?.trim().toUpperCase();
  if (official === 'LEGT' || official === 'LPO' || official === 'LP') return { kind: official, source: 'ips' };
  return { kind: byName, source: 'nom' };
}

function sectorOf(secteur: string): Sector {
  return foldName(secteur).startsWith('pub') ? 'public' : 'prive';
}

/** Latest row per UAI: ap2022 first (it has students), then the latest year of the older series. */
export function indexIps(recent: IpsRow[], series: IpsRow[]): Map<string, IpsRow> {
  const index = new Map<string, IpsRow>();
  for (const row of [...series].sort((a, b) => a.rentree.localeCompare(b.rentree))) index.set(row.uai.trim().toUpperCase(), row);
  for (const row of recent) index.set(row.uai.trim().toUpperCase(), row);
  return index;
}

export function transform(annuaire: AnnuaireRow[], ips: Map<string, IpsRow>, departements: DepartementRef[]): TransformResult {
  const deptByName = new Map(departements.map((d) => [foldName(d.nom), d]));
  const deptByCode = new Map(departements.map((d) => [d.code, d]));
  const byRegion = new Map<string, Establishment[]>();
  const dropped: DroppedRow[] = [];
  const seen = new Set<string>();

  for (const row of annuaire) {
    const name = row.nom.trim();
    const check = checkUai(row.uai);
    const uai = check.normalized;
    if (!check.valid) {
      const hint = check.suggestions.length > 0 ? ` (correction possible : ${check.suggestions[0]})` : '';
      dropped.push({ uai, name, reason: `UAI invalide : ${check.reason}${hint}` });
      continue;
    }
    if (seen.has(uai)) {
      dropped.push({ uai, name, reason: 'UAI en double (seule la première ligne est gardée)' });
      continue;
    }
    seen.add(uai);
    const lat = parseNumber(row.latitude);
    const lon = parseNumber(row.longitude);
    if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) {
      dropped.push({ uai, name, reason: 'pas de coordonnées géographiques' });
      continue;
    }
    const dept =
      (row.codeDepartement ? deptByCode.get(row.codeDepartement.replace(/^0(?=\d\d)/, '')) : undefined) ??
      deptByName.get(foldName(row.departement)) ??
      deptByCode.get(departementOfUai(uai));
    if (!dept) {
      dropped.push({ uai, name, reason: `département inconnu : « ${row.departement} »` });
      continue;
    }
    const ipsRow = ips.get(uai) ?? null;
    const { kind, source } = classify(name, ipsRow?.type ?? null);
    const students = ipsRow ? parseNumber(ipsRow.studentsTotal) : null;
    const establishment: Establishment = {
      uai,
      name,
      kind,
      kindSource: source,
      sector: sectorOf(row.secteur),
      horsContrat: foldName(name).includes('hors contrat'),
      commune: row.commune.trim(),
      communeCode: padInseeCode(row.codeCommune ?? '') ?? (ipsRow ? padInseeCode(ipsRow.codeCommune) : null),
      departement: dept.code,
      departementName: dept.nom,
      academie: row.academie.trim(),
      epci: null,
      epciName: null,
      lat: Math.round(lat * 1e6) / 1e6,
      lon: Math.round(lon * 1e6) / 1e6,
      students: students === null ? null : Math.round(students),
      studentsYear: students === null || !ipsRow ? null : ipsRow.rentree,
      ips: parseNumber(row.ips),
    };
    const list = byRegion.get(dept.region) ?? [];
    list.push(establishment);
    byRegion.set(dept.region, list);
  }
  for (const list of byRegion.values()) list.sort((a, b) => a.uai.localeCompare(b.uai));
  return { byRegion, dropped };
}
