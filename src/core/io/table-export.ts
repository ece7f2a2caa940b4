/**
 * Spreadsheet exports of a proposal: one XLSX workbook (teams with totals, establishments, zones,
 * lycées moved against another proposal, information) and a CSV of the establishments with their
 * team and zone — the same columns the plan import reads, so the CSV comes back as the same plan.
 */
import type { Worksheet } from 'exceljs';
import { loadExcel } from './excel.ts';
import Papa from 'papaparse';
import type { Establishment } from '../model/establishment.ts';
import { KIND_LABELS } from '../model/establishment.ts';
import type { Plan } from '../model/plan.ts';
import type { MetricsState } from '../metrics/index.ts';
import { lyceeRows, minutes } from './lycee-rows.ts';
import { FORMULA_START } from './table-read.ts';
import type { PlanDiff } from '../compare/plan-diff.ts';

export interface TableExportInput {
  plan: Plan;
  metrics: MetricsState;
  establishments: readonly Establishment[];
  regionName: string;
  driveTimes: { label: string; estimated: boolean };
  now: string;
  /** Moved lycées against another proposal, with its name. */
  comparison: { name: string; diff: PlanDiff } | null;
  /** Team territories (area, pieces, enclaves) when the Région has communes. */
  territory?: ReadonlyMap<string, { areaKm2: number; pieces: number; enclaves: number | null }> | null;
}

export const SHEETS = { teams: 'Équipes', establishments: 'Établissements', zones: 'Zones', moved: 'Mouvements', info: 'Informations' };

function establishmentRows(input: TableExportInput) {
  return lyceeRows(input.plan, input.metrics, input.establishments).map((row) => {
    const e = row.establishment;
    return { uai: e.uai, name: e.name, kind: KIND_LABELS[e.kind], sector: e.sector === 'public' ? 'public' : 'privé', commune: e.commune, departement: e.departement, team: row.team ?? '', section: row.section ?? '', zone: row.zone ?? '', locked: row.locked, pcs: row.pcs, pcsEstimated: row.pcsEstimated, students: e.students ?? null, driveMinutes: row.driveMinutes };
  });
}

/**
 * Text a spreadsheet would run as a formula (« =cmd|' /C calc'!A0 », « @SUM(…) ») gets the usual
 * leading apostrophe; numbers written as text (« -3,5 ») stay numbers. The imports remove the
 * apostrophe again, so an exported file reads back unchanged.
 */
export function neutraliseFormula<T>(value: T): T | string {
  if (typeof value !== 'string' || !FORMULA_START.test(value)) return value;
  if (/^[+-]?\d+([.,]\d+)?$/.test(value)) return value;
  return `'${value}`;
}

function neutraliseRow<T extends Record<string, unknown>>(row: T): T {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, neutraliseFormula(v)])) as T;
}

export function establishmentsCsv(input: TableExportInput): string {
  const rows = establishmentRows(input).map((r) => neutraliseRow({ UAI: r.uai, Nom: r.name, Commune: r.commune, Département: r.departement, Équipe: r.team, Section: r.section, Zone: r.zone, PC: r.pcs, 'PC estimé': r.pcsEstimated ? 'oui' : 'non', Élèves: r.students ?? '', 'Trajet base (min)': r.driveMinutes === null ? '' : String(r.driveMinutes).replace('.', ',') }));
  // French Excel opens a semicolon-separated UTF-8 file with a BOM without an import dialog.
  return `\uFEFF${Papa.unparse(rows, { delimiter: ';', newline: '\r\n' })}\r\n`;
}

function header(sheet: Worksheet, columns: { header: string; key: string; width: number }[]): void {
  sheet.columns = columns;
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

function territoryCells(t: { areaKm2: number; pieces: number; enclaves: number | null } | undefined): Record<string, number | null> {
  return t ? { area: Math.round(t.areaKm2), pieces: t.pieces, enclaves: t.enclaves } : {};
}

export async function workbook(input: TableExportInput): Promise<Uint8Array> {
  const { plan, metrics } = input;
  const book = new (await loadExcel()).Workbook();
  book.creator = 'Maillage';
  book.created = new Date(input.now);

  const teams = book.addWorksheet(SHEETS.teams);
  header(teams, [
    { header: 'Équipe', key: 'name', width: 26 },
    { header: 'Service', key: 'service', width: 18 },
    { header: 'Techniciens', key: 'technicians', width: 12 },
    { header: 'Lycées', key: 'lycees', width: 9 },
    { header: 'PC', key: 'pcs', width: 9 },
    { header: 'dont PC estimés', key: 'pcsEstimated', width: 14 },
    { header: 'Élèves', key: 'students', width: 10 },
    { header: 'Lycées / technicien', key: 'lpt', width: 12 },
    { header: 'PC / technicien', key: 'ppt', width: 12 },
    { header: 'Écart lycées', key: 'dl', width: 11 },
    { header: 'Écart PC', key: 'dp', width: 11 },
    { header: 'Trajet moyen (min)', key: 'mean', width: 12 },
    { header: 'Trajet max (min)', key: 'max', width: 12 },
    { header: 'Base', key: 'base', width: 30 },
    { header: 'Zones', key: 'zones', width: 8 },
    { header: 'Zones hors bornes', key: 'out', width: 12 },
    ...(input.territory ? [{ header: 'Surface (km²)', key: 'area', width: 12 }, { header: 'Morceaux', key: 'pieces', width: 10 }, { header: 'Enclaves', key: 'enclaves', width: 10 }] : []),
  ]);
  for (const t of metrics.metrics.teams) {
    const team = plan.teams.find((x) => x.id === t.teamId)!;
    teams.addRow({
      name: t.name,
      service: team.service ?? '',
      technicians: t.technicians,
      lycees: t.lycees,
      pcs: t.pcs,
      pcsEstimated: t.pcsEstimated,
      students: t.students,
      lpt: t.lyceesPerTechnician,
      ppt: t.pcsPerTechnician,
      dl: t.deviation.lycees,
      dp: t.deviation.pcs,
      mean: minutes(t.driveMeanSeconds),
      max: minutes(t.driveMaxSeconds),
      base: team.base?.label ?? '',
      zones: plan.zones.filter((z) => z.teamId === t.teamId).length,
      out: metrics.metrics.zones.filter((z) => z.teamId === t.teamId && z.outOfRange).length,
      ...territoryCells(input.territory?.get(t.teamId)),
    });
  }
  const sum = (pick: (t: (typeof metrics.metrics.teams)[number]) => number) => metrics.metrics.teams.reduce((total, t) => total + pick(t), 0);
  const total = teams.addRow({ name: 'Total', technicians: sum((t) => t.technicians), lycees: sum((t) => t.lycees), pcs: sum((t) => t.pcs), pcsEstimated: sum((t) => t.pcsEstimated), students: sum((t) => t.students), zones: plan.zones.length, out: metrics.metrics.global.zonesOutOfRange });
  total.font = { bold: true };
  for (const key of ['dl', 'dp']) teams.getColumn(key).numFmt = '+0.0%;-0.0%;0.0%';
  for (const key of ['lpt', 'ppt']) teams.getColumn(key).numFmt = '0.0';

  const establishments = book.addWorksheet(SHEETS.establishments);
  header(establishments, [
    { header: 'UAI', key: 'uai', width: 10 },
    { header: 'Nom', key: 'name', width: 50 },
    { header: 'Type', key: 'kind', width: 14 },
    { header: 'Secteur', key: 'sector', width: 8 },
    { header: 'Commune', key: 'commune', width: 22 },
    { header: 'Département', key: 'departement', width: 11 },
    { header: 'Équipe', key: 'team', width: 22 },
    { header: 'Section', key: 'section', width: 20 },
    { header: 'Zone', key: 'zone', width: 22 },
    { header: 'Verrouillé', key: 'locked', width: 10 },
    { header: 'PC', key: 'pcs', width: 7 },
    { header: 'PC estimé', key: 'pcsEstimated', width: 10 },
    { header: 'Élèves', key: 'students', width: 8 },
    { header: 'Trajet base (min)', key: 'driveMinutes', width: 12 },
  ]);
  for (const row of establishmentRows(input)) establishments.addRow({ ...row, locked: row.locked ? 'oui' : '', pcsEstimated: row.pcsEstimated ? 'oui' : 'non' });
  establishments.autoFilter = { from: 'A1', to: 'N1' };

  const zones = book.addWorksheet(SHEETS.zones);
  header(zones, [
    { header: 'Zone', key: 'name', width: 26 },
    { header: 'Équipe', key: 'team', width: 22 },
    { header: 'Lycées', key: 'size', width: 8 },
    { header: 'Membres (UAI)', key: 'members', width: 60 },
    { header: 'Figée', key: 'fixed', width: 7 },
    { header: 'Trajet max entre membres (min)', key: 'max', width: 16 },
    { header: 'Hors bornes', key: 'out', width: 11 },
  ]);
  const zoneMetrics = new Map(metrics.metrics.zones.map((z) => [z.zoneId, z]));
  for (const zone of plan.zones) {
    const zm = zoneMetrics.get(zone.id);
    zones.addRow({ name: zone.name, team: plan.teams.find((t) => t.id === zone.teamId)?.name ?? '', size: zone.members.length, members: zone.members.join(' '), fixed: zone.fixed ? 'oui' : '', max: minutes(zm?.maxPairSeconds), out: zm?.outOfRange ? 'oui' : '' });
  }

  const moved = book.addWorksheet(SHEETS.moved);
  if (input.comparison) {
    header(moved, [
      { header: 'UAI', key: 'uai', width: 10 },
      { header: 'Nom', key: 'name', width: 50 },
      { header: 'Commune', key: 'commune', width: 22 },
      { header: `Équipe dans « ${input.comparison.name} »`, key: 'from', width: 28 },
      { header: `Équipe dans « ${plan.name} »`, key: 'to', width: 28 },
    ]);
    for (const m of input.comparison.diff.moved) moved.addRow({ uai: m.uai, name: m.name, commune: m.commune, from: m.from ?? '(non affecté)', to: m.to ?? '(non affecté)' });
  } else {
    moved.addRow(['Aucune proposition de comparaison choisie : exportez depuis la vue Comparer pour lister les lycées déplacés.']);
  }

  const info = book.addWorksheet(SHEETS.info);
  info.columns = [{ width: 30 }, { width: 90 }];
  const report = plan.origin.kind === 'solver' ? (plan.origin.report as { method?: string; status?: string; gap?: number | null; violations?: unknown[] }) : null;
  const lines: [string, string | number][] = [
    ['Proposition', plan.name],
    ['Région', input.regionName],
    ['Exportée le', input.now.slice(0, 10)],
    ['Temps de trajet', `${input.driveTimes.label}${input.driveTimes.estimated ? ' (estimation)' : ''}`],
    ['Tolérances', `lycées ±${plan.settings.tolerances.establishments * 100} %, PC ±${plan.settings.tolerances.pcs * 100} %${plan.settings.tolerances.students !== null ? `, élèves ±${plan.settings.tolerances.students * 100} %` : ''}`],
    ['PC estimés', `élèves × ${plan.settings.pcPerStudent} là où aucun inventaire n’a été importé (${metrics.metrics.global.pcsEstimated} lycée(s))`],
    ['Lycées non affectés', metrics.metrics.global.unassigned],
  ];
  if (report) lines.push(['Solveur', `${report.method ?? ''}, ${report.status ?? ''}${report.gap !== null && report.gap !== undefined ? `, écart à la borne ${(report.gap * 100).toFixed(2)} %` : ''}, ${report.violations?.length ?? 0} écart(s) aux tolérances`]);
  if (input.comparison) lines.push(['Comparée à', `${input.comparison.name} : ${input.comparison.diff.moved.length} lycée(s) déplacé(s) sur ${input.comparison.diff.compared} (${(input.comparison.diff.share * 100).toFixed(1)} %)`]);
  if (plan.notes) lines.push(['Notes', plan.notes]);
  for (const line of lines) info.addRow(line).getCell(1).font = { bold: true };

  for (const sheet of book.worksheets) {
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === 'string') cell.value = neutraliseFormula(cell.value);
      }),
    );
  }
  return new Uint8Array(await book.xlsx.writeBuffer());
}
