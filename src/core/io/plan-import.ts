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
import { checkKnownUai } from '../uai.ts';
import { formatCount } from '../french.ts';
import { GEOJSON_FORMAT, type GeoJsonMetadata } from './geojson-export.ts';
import { findColumn, normalizeHeader, readTable, type Table } from './table-read.ts';
import type { Rejection } from './proposal-file.ts';

export interface PlanRow {
  where: string;
  uai: string;
  team: string;
  zone: string | null;
  section: string | null;
  locked: boolean;
  pcs: { count: number; source: string } | null;
}

export interface PlanImportReport {
  plan: Plan;
  rejected: Rejection[];
  notes: string[];
  /** The tool's own GeoJSON: teams come with technicians, bases, colours and sections. */
  complete: boolean;
}

export type PlanImport = { ok: true; report: PlanImportReport } | { ok: false; reasons: string[] };

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

/** Keeps one row per UAI: exact repeats are dropped silently, rows that disagree are all rejected. */
function resolveConflicts(rows: PlanRow[], rejected: Rejection[]): PlanRow[] {
  const byUai = new Map<string, PlanRow[]>();
  for (const row of rows) byUai.set(row.uai, [...(byUai.get(row.uai) ?? []), row]);
  const kept: PlanRow[] = [];
  for (const [uai, list] of byUai) {
    const first = list[0];
    const agree = list.every((r) => r.team === first.team && r.zone === first.zone && r.section === first.section);
    if (agree) kept.push(first);
    else for (const r of list) rejected.push({ where: r.where, value: `${uai} → ${r.team}${r.zone ? ` / ${r.zone}` : ''}`, reason: `lignes en conflit pour ${uai} (${list.map((x) => x.where).join(', ')}) : aucune n’est retenue` });
  }
  return kept;
}

interface TeamTemplate {
  team: Team;
  zones: Map<string, { id: string; fixed: boolean }>;
}

function buildPlan(rows: PlanRow[], rejectedBefore: Rejection[], options: PlanImportOptions, meta: GeoJsonMetadata | null, notes: string[]): PlanImport {
  const rejected = [...rejectedBefore];
  const kept = resolveConflicts(rows, rejected);
  if (kept.length === 0) return { ok: false, reasons: ['Aucune ligne valide : rien à importer.', ...rejected.slice(0, 20).map((r) => `${r.where} ${r.value} : ${r.reason}`)] };
  const settings: PlanSettings = meta?.settings ?? DEFAULT_SETTINGS;
  const name = meta?.proposal.name ?? options.fileName.replace(/\.[^.]+$/, '');
  const plan = createPlan({ id: options.newId, name, regionCode: options.regionCode, now: options.now, origin: { kind: 'import', fileName: options.fileName }, settings });
  plan.notes = meta?.proposal.notes ?? '';
  const templates = new Map<string, TeamTemplate>();
  for (const team of meta?.teams ?? []) {
    templates.set(team.id, { team: { ...team, sections: team.sections.map((s) => ({ ...s })) }, zones: new Map() });
  }
  for (const zone of meta?.zones ?? []) templates.get(zone.teamId)?.zones.set(zone.name, { id: zone.id, fixed: zone.fixed });
  // Without the tool's metadata, a team is known by its name in the file.
  const templateByName = new Map([...templates.values()].map((t) => [t.team.name, t]));
  const teamOf = (label: string): TeamTemplate => {
    const existing = templates.get(label) ?? templateByName.get(label);
    if (existing) return existing;
    const team: Team = { id: `t${templates.size + 1}`, name: label, service: null, base: null, technicians: 1, color: teamColour(templates.size), sections: [], allowedDepartements: [] };
    const created = { team, zones: new Map() };
    while (templates.has(team.id)) team.id = `${team.id}b`;
    templates.set(team.id, created);
    templateByName.set(label, created);
    return created;
  };
  const zoneMembers = new Map<string, { teamId: string; name: string; members: string[] }>();
  const createdTeams: string[] = [];
  for (const row of kept) {
    const before = templates.size;
    const template = teamOf(row.team);
    if (templates.size > before) createdTeams.push(row.team);
    plan.assignment[row.uai] = template.team.id;
    if (row.section) {
      let section = template.team.sections.find((s: Section) => s.name === row.section || s.id === row.section);
      if (!section) {
        section = { id: `${template.team.id}-s${template.team.sections.length + 1}`, name: row.section };
        template.team.sections.push(section);
      }
      plan.sections[row.uai] = section.id;
    }
    if (row.zone) {
      const key = `${template.team.id}\u0000${row.zone}`;
      const entry = zoneMembers.get(key) ?? { teamId: template.team.id, name: row.zone, members: [] };
      entry.members.push(row.uai);
      zoneMembers.set(key, entry);
    }
    if (row.locked) plan.locked.push(row.uai);
    if (row.pcs) plan.pcPark[row.uai] = row.pcs;
  }
  plan.teams = [...templates.values()].map((t) => t.team);
  const usedZoneIds = new Set<string>();
  plan.zones = [...zoneMembers.values()].map((z, index): Zone => {
    const known = templates.get(z.teamId)?.zones.get(z.name);
    let id = known?.id ?? `z${index + 1}`;
    while (usedZoneIds.has(id)) id = `${id}b`;
    usedZoneIds.add(id);
    return { id, teamId: z.teamId, name: z.name, members: z.members, fixed: known?.fixed ?? false };
  });
  if (createdTeams.length > 0 && meta === null) notes.push(`${formatCount(createdTeams.length, 'équipe créée', 'équipes créées')} d’après le fichier (${createdTeams.join(', ')}) : indiquez leurs effectifs de techniciens et leurs bases.`);
  const problems = checkInvariants(plan);
  if (problems.length > 0) return { ok: false, reasons: problems };
  return { ok: true, report: { plan, rejected, notes, complete: meta !== null } };
}

// ---- GeoJSON --------------------------------------------------------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function propertyKey(properties: Record<string, unknown>, patterns: readonly RegExp[]): string | null {
  const keys = Object.keys(properties);
  for (const pattern of patterns) {
    const key = keys.find((k) => pattern.test(normalizeHeader(k)));
    if (key) return key;
  }
  return null;
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value).trim());

export function importPlanGeoJson(raw: string, options: PlanImportOptions): PlanImport {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { ok: false, reasons: [`Ce fichier n’est pas du JSON valide : ${(error as Error).message}`] };
  }
  if (!isObject(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) return { ok: false, reasons: ['Une FeatureCollection GeoJSON est attendue.'] };
  const meta = isObject(json.maillage) && json.maillage.format === GEOJSON_FORMAT ? (json.maillage as unknown as GeoJsonMetadata) : null;
  if (meta && meta.region.code !== options.regionCode) return { ok: false, reasons: [`Ce fichier concerne la Région ${meta.region.name}, pas celle affichée.`] };
  const notes: string[] = [];
  const rejected: Rejection[] = [];
  const rows: PlanRow[] = [];
  let points = 0;
  json.features.forEach((feature, index) => {
    if (!isObject(feature) || !isObject(feature.geometry) || feature.geometry.type !== 'Point') return;
    const properties = isObject(feature.properties) ? feature.properties : {};
    // The tool's own export also holds bases (points): only lycées are rows.
    if (meta && properties.objet !== 'lycee') return;
    points++;
    const where = `objet ${index + 1}`;
    const uaiKey = propertyKey(properties, UAI_KEYS);
    const teamKey = meta ? 'equipe_id' : propertyKey(properties, TEAM_KEYS);
    const rawUai = uaiKey ? text(properties[uaiKey]) : '';
    const team = teamKey ? text(properties[teamKey]) : '';
    const check = checkKnownUai(rawUai, options.known);
    if (!check.ok) return rejected.push({ where, value: rawUai, reason: check.reason });
    if (!team) return rejected.push({ where, value: check.uai, reason: meta ? 'sans équipe dans cette proposition' : 'pas de propriété d’équipe (equipe, team, secteur)' });
    const zoneKey = meta ? 'zone' : propertyKey(properties, ZONE_KEYS);
    const sectionKey = meta ? 'section' : propertyKey(properties, SECTION_KEYS);
    const pcs = meta && properties.pc_estime === false && typeof properties.pc === 'number' ? { count: properties.pc, source: text(properties.source_pc) || options.fileName } : null;
    rows.push({ where, uai: check.uai, team, zone: zoneKey ? text(properties[zoneKey]) || null : null, section: sectionKey ? text(properties[sectionKey]) || null : null, locked: properties.verrouille === true, pcs });
  });
  if (points === 0) return { ok: false, reasons: ['Aucun point (lycée) dans ce GeoJSON.'] };
  return buildPlan(rows, rejected, options, meta, notes);
}

// ---- CSV / XLSX -----------------------------------------------------------------------------------

export function importPlanTable(table: Table, options: PlanImportOptions): PlanImport {
  const uaiColumn = findColumn(table.headers, UAI_KEYS, 'UAI');
  if ('reason' in uaiColumn) return { ok: false, reasons: [uaiColumn.reason] };
  const teamColumn = findColumn(table.headers, TEAM_KEYS, 'équipe');
  if ('reason' in teamColumn) return { ok: false, reasons: [teamColumn.reason] };
  const zoneColumn = findColumn(table.headers, ZONE_KEYS, 'zone');
  const sectionColumn = findColumn(table.headers, SECTION_KEYS, 'section');
  const rejected: Rejection[] = [];
  const rows: PlanRow[] = [];
  for (const row of table.rows) {
    const where = `ligne ${row.line}`;
    const rawUai = row.cells[uaiColumn.index] ?? '';
    const team = (row.cells[teamColumn.index] ?? '').trim();
    const check = checkKnownUai(rawUai, options.known);
    if (!check.ok) {
      rejected.push({ where, value: rawUai, reason: check.reason });
      continue;
    }
    if (!team) {
      rejected.push({ where, value: check.uai, reason: 'équipe manquante' });
      continue;
    }
    const cell = (column: { index: number } | { reason: string }) => ('index' in column ? (row.cells[column.index] ?? '').trim() || null : null);
    rows.push({ where, uai: check.uai, team, zone: cell(zoneColumn), section: cell(sectionColumn), locked: false, pcs: null });
  }
  return buildPlan(rows, rejected, options, null, [...table.notes]);
}

export async function importPlanFile(bytes: Uint8Array, options: PlanImportOptions): Promise<PlanImport> {
  if (/\.(geo)?json$/i.test(options.fileName)) return importPlanGeoJson(new TextDecoder().decode(bytes), options);
  const table = await readTable(bytes, options.fileName);
  if (!table.ok) return { ok: false, reasons: [table.reason] };
  return importPlanTable(table.table, options);
}
