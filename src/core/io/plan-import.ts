/**
 * A proposal from someone else's file: the tool's own GeoJSON export (teams, zones, sections, locks
 * and PC counts restored from its metadata), a GIS layer of points with a UAI and a team property,
 * or a CSV/XLSX table UAI → team[, zone]. Every row is validated (UAI with its key letter and
 * against the Région, missing team, conflicting rows); rejected rows are listed with their reason,
 * valid rows are kept; the result is a new plan, nothing existing is touched.
 */
import type { Plan, PlanSettings, Section, Team, Zone } from '../model/plan.ts';
import { DEFAULT_SETTINGS } from '../model/plan.ts';
import { checkInvariants, createPlan, teamColour } from '../model/plan-ops.ts';
import { checkKnownUai, UaiSuggestionBudget } from '../uai.ts';
import { formatCount } from '../french.ts';
import { GEOJSON_FORMAT, GEOJSON_VERSION } from './geojson-export.ts';
import { decodeText, finishReport, isObject, isString, jsonKind, listSome, parseJsonStrict, refuse, showValue, sniffFile, textOf, type ImportRefusal, type ImportReport, type Rejected } from './import-report.ts';
import { pcCountProblem } from './pc-park.ts';
import { cleanLabel, EntryLog, readSettings, readTeam, versionProblem } from './proposal-file.ts';
import { findColumn, normalizeHeader, readTable, singleColumn, tablesWithColumns, type TableFile, type TableRow } from './table-read.ts';

export interface PlanRow {
  where: string;
  line: number | null;
  uai: string;
  team: string;
  zone: string | null;
  section: string | null;
  locked: boolean;
  pcs: { count: number; source: string } | null;
}

export interface PlanImportReport extends ImportReport<PlanRow> {
  plan: Plan;
  /** The tool's own GeoJSON: teams come with technicians, bases, colours and sections. */
  complete: boolean;
}

export type PlanImport = { ok: true; report: PlanImportReport } | ImportRefusal;

export interface PlanImportOptions {
  newId: string;
  now: string;
  fileName: string;
  regionCode: string;
  /** The Région's lycées (UAI). */
  known: ReadonlySet<string>;
}

const UAI_KEYS = [/^(code )?uai$/, /^(code )?rne$/, /\buai\b/, /\brne\b/, /code (etablissement|etab)/];
const TEAM_KEYS = [/^equipe$/, /^equipe nom$/, /^(nom )?(de l )?equipe$/, /^team$/, /^secteur$/, /\bequipe\b/, /\bsecteur\b/, /\bteam\b/];
const ZONE_KEYS = [/^zone$/, /^zone de continuite$/, /\bzone\b/];
const SECTION_KEYS = [/^section$/, /\bsection\b/];

/** What the tool's own GeoJSON export says about the proposal, validated. */
interface Metadata {
  name: string | null;
  notes: string;
  settings: PlanSettings;
  teams: Team[];
  zones: { id: string; teamId: string; name: string; fixed: boolean }[];
}

const rowText = (r: PlanRow) => `${r.uai} → ${r.team}${r.zone ? ` / ${r.zone}` : ''}`;

/**
 * Keeps one row per UAI: exact repeats are accepted (and counted once in the plan), rows that
 * disagree are all rejected. Linear: each rejection names at most a few of the other lines.
 */
function resolveConflicts(rows: PlanRow[], rejected: Rejected[]): PlanRow[] {
  const byUai = new Map<string, PlanRow[]>();
  for (const row of rows) {
    const list = byUai.get(row.uai);
    if (list) list.push(row);
    else byUai.set(row.uai, [row]);
  }
  const conflicting = new Set<string>();
  for (const [uai, list] of byUai) {
    const first = list[0];
    if (!list.every((r) => r.team === first.team && r.zone === first.zone && r.section === first.section)) conflicting.add(uai);
  }
  const kept: PlanRow[] = [];
  for (const row of rows) {
    if (!conflicting.has(row.uai)) {
      kept.push(row);
      continue;
    }
    const list = byUai.get(row.uai)!;
    // A few of the other lines and how many more: naming all of them would be quadratic.
    const shown = list.slice(0, 4).filter((r) => r !== row).slice(0, 3).map((r) => r.where);
    const more = list.length - 1 - shown.length;
    rejected.push({ where: row.where, line: row.line, value: rowText(row), reason: `lignes en conflit pour ${row.uai} (aussi ${shown.join(', ')}${more > 0 ? ` et ${more.toLocaleString('fr-FR')} autre(s)` : ''}) : aucune n’est retenue`, suggestion: null });
  }
  return kept;
}

interface TeamTemplate {
  team: Team;
  zones: Map<string, { id: string; fixed: boolean }>;
}

function buildPlan(rows: PlanRow[], rejectedBefore: Rejected[], options: PlanImportOptions, meta: Metadata | null, file: { format: string; encoding: string | null; rowsRead: number; notes: string[] }): PlanImport {
  const rejected = [...rejectedBefore];
  const notes = [...file.notes];
  const candidates = resolveConflicts(rows, rejected);
  const settings: PlanSettings = meta?.settings ?? structuredClone(DEFAULT_SETTINGS);
  const name = cleanLabel(meta?.name ?? options.fileName.replace(/\.[^.]+$/, '')) || 'Plan importé';
  const plan = createPlan({ id: options.newId, name, regionCode: options.regionCode, now: options.now, origin: { kind: 'import', fileName: options.fileName }, settings });
  plan.notes = meta?.notes ?? '';
  const templates = new Map<string, TeamTemplate>();
  for (const team of meta?.teams ?? []) templates.set(team.id, { team: { ...team, sections: team.sections.map((s) => ({ ...s })) }, zones: new Map() });
  for (const zone of meta?.zones ?? []) templates.get(zone.teamId)?.zones.set(zone.name, { id: zone.id, fixed: zone.fixed });
  const templateByName = new Map([...templates.values()].map((t) => [t.team.name, t]));
  const createdTeams: string[] = [];
  // Without the tool's metadata, a team is known by its name in the file; with it, an unknown
  // team is a broken reference and the row is rejected rather than inventing a team.
  const teamOf = (label: string): TeamTemplate | null => {
    const existing = templates.get(label) ?? templateByName.get(label);
    if (existing || meta) return existing ?? null;
    const team: Team = { id: `t${templates.size + 1}`, name: cleanLabel(label), service: null, base: null, technicians: 1, color: teamColour(templates.size), sections: [], allowedDepartements: [] };
    while (templates.has(team.id)) team.id = `${team.id}b`;
    const created = { team, zones: new Map() };
    templates.set(team.id, created);
    templateByName.set(label, created);
    createdTeams.push(team.name);
    return created;
  };
  const accepted: PlanRow[] = [];
  const zoneMembers = new Map<string, { teamId: string; name: string; members: string[] }>();
  const done = new Set<string>();
  for (const row of candidates) {
    const reject = (reason: string) => rejected.push({ where: row.where, line: row.line, value: rowText(row), reason, suggestion: null });
    if (done.has(row.uai)) {
      // An exact repeat of an accepted row: nothing more to apply.
      accepted.push(row);
      continue;
    }
    const template = teamOf(row.team);
    if (!template) {
      reject(`équipe « ${showValue(row.team, 40)} » absente des métadonnées du fichier : le lycée n’est pas affecté`);
      continue;
    }
    let section: Section | undefined;
    if (row.section) {
      section = template.team.sections.find((s: Section) => s.name === row.section || s.id === row.section);
      if (!section && meta) {
        reject(`section « ${showValue(row.section, 40)} » inconnue pour l’équipe ${showValue(template.team.name, 40)}`);
        continue;
      }
      if (!section) {
        section = { id: `${template.team.id}-s${template.team.sections.length + 1}`, name: cleanLabel(row.section) };
        template.team.sections.push(section);
      }
    }
    done.add(row.uai);
    accepted.push(row);
    plan.assignment[row.uai] = template.team.id;
    if (section) plan.sections[row.uai] = section.id;
    if (row.zone) {
      const key = `${template.team.id}\u0000${row.zone}`;
      const entry = zoneMembers.get(key) ?? { teamId: template.team.id, name: cleanLabel(row.zone), members: [] };
      entry.members.push(row.uai);
      zoneMembers.set(key, entry);
    }
    if (row.locked) plan.locked.push(row.uai);
    if (row.pcs) plan.pcPark[row.uai] = row.pcs;
  }
  if (accepted.length === 0) {
    const first = rejected.slice(0, 5).map((r) => `${r.where} (${showValue(r.value, 30)}) : ${r.reason}`);
    return refuse(`Aucune ligne valide sur ${file.rowsRead.toLocaleString('fr-FR')} : rien à importer.`, ...first, ...notes.filter((n) => n.startsWith('Métadonnées')).slice(0, 3));
  }
  const repeats = accepted.length - done.size;
  if (repeats > 0) notes.push(`${repeats.toLocaleString('fr-FR')} ligne(s) répètent à l’identique une ligne précédente : comptées une fois.`);
  plan.teams = [...templates.values()].map((t) => t.team);
  const usedZoneIds = new Set<string>();
  plan.zones = [...zoneMembers.values()].map((z, index): Zone => {
    const known = templates.get(z.teamId)?.zones.get(z.name);
    let id = known?.id ?? `z${index + 1}`;
    while (usedZoneIds.has(id)) id = `${id}b`;
    usedZoneIds.add(id);
    return { id, teamId: z.teamId, name: z.name, members: z.members, fixed: known?.fixed ?? false };
  });
  if (createdTeams.length > 0) notes.push(`${formatCount(createdTeams.length, 'équipe créée', 'équipes créées')} d’après le fichier (${listSome(createdTeams.map((t) => showValue(t, 30)), 6)}) : indiquez leurs effectifs de techniciens et leurs bases.`);
  const problems = checkInvariants(plan);
  if (problems.length > 0) return refuse(...problems.slice(0, 10));
  return { ok: true, report: finishReport({ fileName: options.fileName, format: file.format, encoding: file.encoding, rowsRead: file.rowsRead, accepted, rejected, notes, plan, complete: meta !== null }) };
}

// ---- GeoJSON --------------------------------------------------------------------------------------

function propertyKey(properties: Record<string, unknown>, patterns: readonly RegExp[]): string | null {
  const keys = Object.keys(properties);
  for (const pattern of patterns) {
    const key = keys.find((k) => pattern.test(normalizeHeader(k)));
    if (key) return key;
  }
  return null;
}

/** The `maillage` metadata of the tool's own export, validated; invalid teams are noted and left out. */
function readMetadata(raw: Record<string, unknown>, options: PlanImportOptions, notes: string[]): Metadata | ImportRefusal {
  const version = versionProblem(raw.version, GEOJSON_VERSION, 'Métadonnées Maillage du GeoJSON');
  if (version) return refuse(version);
  const region = raw.region;
  if (!isObject(region) || !isString(region.code)) return refuse(`Métadonnées Maillage du GeoJSON incomplètes : la Région (region.code) est absente (trouvé ${jsonKind(isObject(region) ? region.code : region)}).`);
  if (region.code !== options.regionCode) {
    const label = isString(region.name) && region.name.trim() ? `${showValue(region.name, 40)} (code ${showValue(region.code, 8)})` : `de code ${showValue(region.code, 8)}`;
    return refuse(`Ce fichier concerne la Région ${label}, pas celle affichée (code ${options.regionCode}). Choisissez cette Région avant d’importer.`);
  }
  if (!Array.isArray(raw.teams)) return refuse(`Métadonnées Maillage du GeoJSON : la liste des équipes (teams) est absente ou mal formée (trouvé ${jsonKind(raw.teams)}).`);
  const log = new EntryLog();
  const teams: Team[] = [];
  const ids = new Set<string>();
  raw.teams.forEach((t, i) => {
    const team = readTeam(t, i, log, ids);
    if (team) {
      teams.push(team);
      ids.add(team.id);
    }
  });
  const settings = readSettings(raw.settings, log, 'métadonnées, réglages');
  for (const r of log.rejected.slice(0, 10)) notes.push(`Métadonnées : ${r.where} (${r.value}) : ${r.reason}.`);
  if (log.rejected.length > 10) notes.push(`Métadonnées : ${log.rejected.length - 10} autre(s) problème(s) non listé(s).`);
  const proposal = isObject(raw.proposal) ? raw.proposal : null;
  if (!proposal) notes.push('Métadonnées sans description de la proposition : elle est nommée d’après le fichier.');
  const zones: Metadata['zones'] = [];
  for (const z of Array.isArray(raw.zones) ? raw.zones : []) {
    if (isObject(z) && isString(z.id) && isString(z.teamId) && isString(z.name)) zones.push({ id: z.id.slice(0, 64), teamId: z.teamId, name: cleanLabel(z.name), fixed: z.fixed === true });
  }
  return { name: proposal && isString(proposal.name) ? proposal.name : null, notes: proposal && isString(proposal.notes) ? proposal.notes.slice(0, 20_000) : '', settings, teams, zones };
}

/** Objects of the tool's own export that describe the proposal but are not lycée rows. */
const DESCRIPTIVE = new Set(['equipe', 'zone', 'base']);

export function importPlanGeoJson(raw: string, options: PlanImportOptions, encoding = 'UTF-8'): PlanImport {
  const parsed = parseJsonStrict(raw, 'GeoJSON illisible');
  if (!parsed.ok) return parsed;
  const json = parsed.value;
  if (!isObject(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    return refuse(`Une FeatureCollection GeoJSON est attendue${isObject(json) && isString(json.type) ? ` (trouvé le type « ${showValue(json.type, 30)} »)` : ''}.`);
  }
  const notes: string[] = [];
  let meta: Metadata | null = null;
  if (isObject(json.maillage) && json.maillage.format === GEOJSON_FORMAT) {
    const read = readMetadata(json.maillage, options, notes);
    if ('ok' in read) return read;
    meta = read;
  }
  const rejected: Rejected[] = [];
  const rows: PlanRow[] = [];
  const descriptive = new Map<string, number>();
  let rowsRead = 0;
  const budget = new UaiSuggestionBudget();
  json.features.forEach((feature: unknown, index) => {
    const where = `objet ${index + 1}`;
    const properties = isObject(feature) && isObject(feature.properties) ? feature.properties : {};
    // The tool's own export also holds territories, zones and bases: only lycées are rows.
    if (meta && isString(properties.objet) && DESCRIPTIVE.has(properties.objet)) {
      descriptive.set(properties.objet, (descriptive.get(properties.objet) ?? 0) + 1);
      return;
    }
    rowsRead++;
    const reject = (value: unknown, reason: string, suggestion: string | null = null) => rejected.push({ where, line: null, value: showValue(value), reason, suggestion });
    if (!isObject(feature) || feature.type !== 'Feature') return reject(isObject(feature) ? feature.type : feature, `objet GeoJSON « Feature » attendu, trouvé ${jsonKind(isObject(feature) ? feature.type : feature)}`);
    const geometry = feature.geometry;
    if (!isObject(geometry)) return reject('', `sans géométrie (${jsonKind(geometry)}) : un point (le lycée) est attendu`);
    if (geometry.type !== 'Point') return reject(isString(geometry.type) ? geometry.type : '', `géométrie ${isString(geometry.type) ? `« ${showValue(geometry.type, 20)} »` : jsonKind(geometry.type)} : un point (le lycée) est attendu`);
    if (meta && properties.objet !== 'lycee') return reject(properties.objet, `objet ${isString(properties.objet) ? `« ${showValue(properties.objet, 20)} »` : `sans type (${jsonKind(properties.objet)})`} inconnu dans un export Maillage (lycee, equipe, zone ou base attendu)`);
    const uaiKey = propertyKey(properties, UAI_KEYS);
    if (!uaiKey) return reject('', 'pas de propriété UAI (uai, code_uai, rne…)');
    const rawUai = textOf(properties[uaiKey]);
    if (rawUai === null) return reject(properties[uaiKey], `propriété « ${showValue(uaiKey, 30)} » : un code UAI est attendu, trouvé ${jsonKind(properties[uaiKey])}`);
    const check = checkKnownUai(rawUai, options.known, budget);
    if (!check.ok) return reject(rawUai, check.reason, check.suggestion);
    const teamKey = meta ? 'equipe_id' : propertyKey(properties, TEAM_KEYS);
    const team = teamKey ? textOf(properties[teamKey]) : '';
    if (team === null) return reject(check.uai, `propriété « ${showValue(teamKey, 30)} » : un nom d’équipe est attendu, trouvé ${jsonKind(properties[teamKey!])}`);
    if (!team) return reject(check.uai, meta ? 'sans équipe dans cette proposition' : 'pas de propriété d’équipe (equipe, team, secteur)');
    const label = (key: string | null): string | null | undefined => {
      if (!key) return null;
      const value = textOf(properties[key]);
      return value === null ? undefined : value || null;
    };
    const zoneKey = meta ? 'zone' : propertyKey(properties, ZONE_KEYS);
    const sectionKey = meta ? 'section' : propertyKey(properties, SECTION_KEYS);
    const zone = label(zoneKey);
    const section = label(sectionKey);
    if (zone === undefined) return reject(check.uai, `propriété « ${showValue(zoneKey, 30)} » : un nom de zone est attendu, trouvé ${jsonKind(properties[zoneKey!])}`);
    if (section === undefined) return reject(check.uai, `propriété « ${showValue(sectionKey, 30)} » : un nom de section est attendu, trouvé ${jsonKind(properties[sectionKey!])}`);
    let pcs: PlanRow['pcs'] = null;
    if (meta && properties.pc_estime === false) {
      const problem = typeof properties.pc === 'number' ? pcCountProblem(properties.pc) : `nombre de PC attendu, trouvé ${jsonKind(properties.pc)}`;
      if (problem) notes.push(`${where} (${check.uai}) : ${problem} ; le parc de ce lycée sera estimé.`);
      else pcs = { count: properties.pc as number, source: cleanLabel(textOf(properties.source_pc) ?? '') || options.fileName };
    }
    rows.push({ where, line: null, uai: check.uai, team, zone, section, locked: properties.verrouille === true, pcs });
  });
  if (descriptive.size > 0) notes.unshift(`Export Maillage : ${[...descriptive].map(([k, n]) => `${n} objet(s) « ${k} »`).join(', ')} décrivent la proposition (métadonnées), seuls les lycées sont des lignes.`);
  notes.unshift(`GeoJSON lu en ${encoding}.`);
  if (rowsRead === 0) return refuse('Aucun point (lycée) dans ce GeoJSON.');
  const capped = notes.length > 30 ? [...notes.slice(0, 30), `… et ${notes.length - 30} autre(s) remarque(s).`] : notes;
  return buildPlan(rows, rejected, options, meta, { format: 'GeoJSON', encoding, rowsRead, notes: [...capped, ...budget.notes()] });
}

// ---- CSV / XLSX -----------------------------------------------------------------------------------

interface PlanColumns {
  uai: number;
  team: number;
  zone: number | null;
  section: number | null;
}

function planColumns(headers: readonly string[]): PlanColumns | { reason: string } {
  const uai = findColumn(headers, UAI_KEYS, 'UAI');
  if ('reason' in uai) return uai;
  const team = findColumn(headers, TEAM_KEYS, 'équipe');
  if ('reason' in team) return team;
  if (uai.index === team.index && headers.length === 1) return { reason: singleColumn(headers) };
  if (uai.index === team.index) return { reason: `La colonne « ${showValue(headers[uai.index], 40)} » ne peut pas être à la fois l’UAI et l’équipe.` };
  const zone = findColumn(headers, ZONE_KEYS, 'zone');
  const section = findColumn(headers, SECTION_KEYS, 'section');
  return { uai: uai.index, team: team.index, zone: 'index' in zone ? zone.index : null, section: 'index' in section ? section.index : null };
}

export function importPlanTable(file: TableFile, options: PlanImportOptions): PlanImport {
  const rejected: Rejected[] = [];
  const rejectRow = (row: TableRow, reason: string, value = row.cells.slice(0, 3).join(' ; '), suggestion: string | null = null) => rejected.push({ where: row.where, line: row.line, value, reason, suggestion });
  const usable = tablesWithColumns(file, planColumns, rejectRow);
  if (!Array.isArray(usable)) return usable;
  const rows: PlanRow[] = [];
  const budget = new UaiSuggestionBudget();
  for (const { table, columns } of usable) {
    for (const row of table.rows) {
      if (row.problem) {
        rejectRow(row, row.problem);
        continue;
      }
      const rawUai = row.cells[columns.uai] ?? '';
      const team = (row.cells[columns.team] ?? '').trim();
      const check = checkKnownUai(rawUai, options.known, budget);
      if (!check.ok) {
        rejectRow(row, check.reason, rawUai, check.suggestion);
        continue;
      }
      if (!team) {
        rejectRow(row, 'équipe manquante', check.uai);
        continue;
      }
      const cell = (index: number | null) => (index === null ? null : (row.cells[index] ?? '').trim() || null);
      rows.push({ where: row.where, line: row.line, uai: check.uai, team, zone: cell(columns.zone), section: cell(columns.section), locked: false, pcs: null });
    }
  }
  const rowsRead = file.tables.reduce((n, t) => n + t.rows.length, 0);
  return buildPlan(rows, rejected, options, null, { format: file.format, encoding: file.encoding, rowsRead, notes: [...file.notes, ...budget.notes()] });
}

export async function importPlanFile(bytes: Uint8Array, options: PlanImportOptions): Promise<PlanImport> {
  const sniffed = sniffFile(bytes, options.fileName, { xlsx: true, label: 'GeoJSON, CSV ou XLSX attendu' });
  if (!sniffed.ok) return sniffed;
  if (sniffed.kind === 'text' && /\.(geo)?json$/i.test(options.fileName)) {
    const decoded = decodeText(bytes);
    if (!decoded.ok) return decoded;
    return importPlanGeoJson(decoded.text, options, decoded.encoding);
  }
  const table = await readTable(bytes, options.fileName);
  if (!table.ok) return table;
  return importPlanTable(table.file, options);
}
