/**
 * The content of the « dossier d'organisation » and of the map picture, as plain data: computed on
 * the main thread from the proposal and its metrics (which need the drive-time source), then posted
 * to the document worker, which draws the maps and the PDF pages from it.
 */
import type { Establishment } from '../model/establishment.ts';
import type { Plan } from '../model/plan.ts';
import { driveTimeToBase, pcCount, type MetricsState } from '../metrics/index.ts';
import type { PlanDiff } from '../compare/plan-diff.ts';
import { frenchDate } from './french.ts';
import type { MapLycee, MapTeam, MapZone } from './render.ts';
import type { ScenePoint } from './scene.ts';

export interface DossierTeam extends MapTeam {
  service: string | null;
  sections: string[];
  pcs: number;
  pcsEstimated: number;
  students: number;
  lyceesPerTechnician: number | null;
  pcsPerTechnician: number | null;
  deviationLycees: number | null;
  deviationPcs: number | null;
  withinTolerance: { lycees: boolean; pcs: boolean };
  driveMeanSeconds: number | null;
  driveMaxSeconds: number | null;
}

export interface DossierLycee {
  uai: string;
  name: string;
  commune: string;
  pcs: number;
  pcsEstimated: boolean;
  driveSeconds: number | null;
}

export interface DossierZone {
  name: string;
  members: string[];
  maxPairSeconds: number | null;
  outOfRange: boolean;
}

export interface DossierComparison {
  nameA: string;
  nameB: string;
  /** Whether the dossier's proposal is A (its map is drawn first). */
  thisIsA: boolean;
  /** Lycées that change team: UAI, name, team in A → team in B. */
  moved: { uai: string; name: string; commune: string; from: string; to: string }[];
  /** Per team matched by name: [A, B] values. */
  rows: { team: string; lycees: [number | null, number | null]; pcs: [number | null, number | null]; technicians: [number | null, number | null]; pcsPerTechnician: [number | null, number | null]; driveMeanSeconds: [number | null, number | null] }[];
  inScope: number;
  /** The other proposal's map data, drawn beside this one. */
  other: { teams: MapTeam[]; lycees: MapLycee[]; points: ScenePoint[] };
}

export interface DossierContent {
  title: string;
  subtitle: string;
  regionName: string;
  /** ISO date-time of the export. */
  now: string;
  sources: string;
  teams: DossierTeam[];
  lycees: Record<string, DossierLycee[]>;
  zones: Record<string, DossierZone[]>;
  totals: { lycees: number; inScope: number; unassigned: number; pcs: number; pcsEstimated: number; students: number; technicians: number; zones: number; zonesOutOfRange: number; meanLycees: number | null; meanPcs: number | null };
  unassigned: { uai: string; name: string; commune: string }[];
  /** Parameters and hypotheses, one paragraph each. */
  hypotheses: string[];
  comparison: DossierComparison | null;
}

export interface MapInput {
  teams: MapTeam[];
  lycees: MapLycee[];
  zones: MapZone[];
  /** Lycées for the commune territory (assigned ones with their commune code). */
  points: ScenePoint[];
}

export const SOURCES =
  'Maillage · Établissements : annuaire de l’éducation, IPS, effectifs (MENJ-DEPP) · Limites : IGN Admin Express, INSEE COG · Licence Ouverte / Etalab 2.0';

/** Lycées drawn and located: the public ones (the Région's) and every assigned one. */
function inScope(plan: Plan, establishments: readonly Establishment[]): Establishment[] {
  return establishments.filter((e) => e.sector === 'public' || plan.assignment[e.uai] !== undefined);
}

export function mapInput(plan: Plan, establishments: readonly Establishment[], metrics: MetricsState): MapInput {
  const byUai = new Map(establishments.map((e) => [e.uai, e]));
  const teamMetrics = new Map(metrics.metrics.teams.map((t) => [t.teamId, t]));
  const scope = inScope(plan, establishments);
  return {
    teams: plan.teams.map((t) => ({ id: t.id, name: t.name, colour: t.color, lycees: teamMetrics.get(t.id)?.lycees ?? 0, technicians: t.technicians, base: t.base ? { lat: t.base.lat, lon: t.base.lon, label: t.base.label } : null })),
    lycees: scope.map((e) => ({ lat: e.lat, lon: e.lon, teamId: plan.assignment[e.uai] ?? null, students: e.students })),
    zones: plan.zones.map((z) => ({ teamId: z.teamId, points: z.members.flatMap((uai) => { const e = byUai.get(uai); return e ? [{ lat: e.lat, lon: e.lon }] : []; }) })),
    points: scope.filter((e) => plan.assignment[e.uai] !== undefined).map((e) => ({ uai: e.uai, lat: e.lat, lon: e.lon, teamId: plan.assignment[e.uai], communeCode: e.communeCode })),
  };
}

export interface DossierInput {
  plan: Plan;
  metrics: MetricsState;
  establishments: readonly Establishment[];
  regionName: string;
  title: string;
  subtitle: string;
  driveTimes: { label: string; estimated: boolean };
  now: string;
  /** How the territories are drawn: from the commune layer, or Voronoi cells without one. */
  territories: 'communes' | 'voronoi';
  /** The other proposal of the Compare view; `aIsOther`: it is A (shown first), this one B. */
  comparison: { other: Plan; otherMetrics: MetricsState; diff: PlanDiff; aIsOther: boolean } | null;
}

export function dossierContent(input: DossierInput): DossierContent {
  const { plan, metrics } = input;
  const m = metrics.metrics;
  const byUai = new Map(input.establishments.map((e) => [e.uai, e]));
  const teams: DossierTeam[] = m.teams.map((t) => {
    const team = plan.teams.find((x) => x.id === t.teamId)!;
    return {
      id: t.teamId,
      name: t.name,
      colour: t.color,
      lycees: t.lycees,
      technicians: t.technicians,
      base: team.base ? { lat: team.base.lat, lon: team.base.lon, label: team.base.label } : null,
      service: team.service,
      sections: team.sections.map((s) => s.name),
      pcs: t.pcs,
      pcsEstimated: t.pcsEstimated,
      students: t.students,
      lyceesPerTechnician: t.lyceesPerTechnician,
      pcsPerTechnician: t.pcsPerTechnician,
      deviationLycees: t.deviation.lycees,
      deviationPcs: t.deviation.pcs,
      withinTolerance: t.withinTolerance,
      driveMeanSeconds: t.driveMeanSeconds,
      driveMaxSeconds: t.driveMaxSeconds,
    };
  });
  const lycees: Record<string, DossierLycee[]> = {};
  for (const [uai, teamId] of Object.entries(plan.assignment)) {
    const e = byUai.get(uai);
    const pcs = pcCount(plan, e, uai);
    (lycees[teamId] ??= []).push({ uai, name: e?.name ?? uai, commune: e?.commune ?? '', pcs: pcs.count, pcsEstimated: pcs.estimated, driveSeconds: driveTimeToBase(metrics, uai) });
  }
  for (const list of Object.values(lycees)) list.sort((a, b) => a.commune.localeCompare(b.commune, 'fr') || a.name.localeCompare(b.name, 'fr'));
  const zoneMetrics = new Map(m.zones.map((z) => [z.zoneId, z]));
  const zones: Record<string, DossierZone[]> = {};
  for (const zone of plan.zones) {
    const zm = zoneMetrics.get(zone.id);
    (zones[zone.teamId] ??= []).push({ name: zone.name, members: zone.members.map((uai) => (byUai.get(uai) ? `${uai} (${byUai.get(uai)!.commune})` : uai)), maxPairSeconds: zm?.maxPairSeconds ?? null, outOfRange: zm?.outOfRange ?? false });
  }
  const sum = (f: (t: DossierTeam) => number) => teams.reduce((s, t) => s + f(t), 0);
  const pcsEstimated = sum((t) => t.pcsEstimated);
  const origin = plan.origin;
  const hypotheses = [
    `Proposition « ${plan.name} » (${origin.kind === 'scenario' ? `organisation publiée « ${origin.scenarioId} », reconstruite : les documents publiés ne disent pas quel lycée relève de quelle équipe, les affectations sont celles de la proposition` : origin.kind === 'solver' ? 'produite par le solveur de Maillage' : origin.kind === 'import' ? `importée du fichier ${origin.fileName}` : 'saisie dans Maillage'}), modifiée le ${frenchDate(plan.updatedAt)}, document du ${frenchDate(input.now)}.`,
    pcsEstimated > 0
      ? `Parc informatique : ${pcsEstimated} lycées sans parc importé sont estimés à élèves × ${String(plan.settings.pcPerStudent).replace('.', ',')} PC (hypothèse, marquée * dans les tableaux).`
      : 'Parc informatique : nombres de PC importés pour tous les lycées.',
    input.driveTimes.estimated
      ? `Temps de trajet : ${input.driveTimes.label}. Ce sont des estimations, pas des itinéraires routiers.`
      : `Temps de trajet : ${input.driveTimes.label}. Itinéraires routiers calculés par le serveur OSRM ; la version de ses données routières (data_version du serveur : la date de l’extrait OpenStreetMap quand le serveur a été construit par npm run osrm:setup) figure dans ce libellé.`,
    `Tolérances : ±${Math.round(plan.settings.tolerances.establishments * 100)} % pour les lycées par technicien, ±${Math.round(plan.settings.tolerances.pcs * 100)} % pour les PC par technicien, autour de la part de chaque équipe (proportionnelle à ses techniciens).`,
    input.territories === 'communes'
      ? 'Territoires : une commune qui a des lycées d’une seule équipe lui appartient ; une commune qui a des lycées de plusieurs équipes est partagée entre elles (dessinée à la couleur de l’équipe qui y a le plus de lycées) ; une commune sans lycée va à l’équipe qui l’atteint le plus tôt de commune voisine en commune voisine (distance entre centres de communes, en partant des lycées). « Morceaux » : nombre de parties d’un seul tenant du territoire d’une équipe (une île reliée à sa côte compte avec elle).'
      : 'Territoires : cellules de Voronoï des lycées (la zone plus proche d’un lycée que de tout autre), fusionnées par équipe et découpées au contour de la Région, faute de couche communale pour cette Région. « Morceaux » : nombre de parties séparées du polygone de l’équipe.',
    `Zones de continuité : groupes de 3 à 5 lycées d’une même équipe ; « trajet max » est le plus long trajet entre deux membres.`,
    'Sources et licences : annuaire de l’éducation, indices de position sociale et effectifs (MENJ-DEPP) ; contours administratifs IGN Admin Express et code officiel géographique INSEE — Licence Ouverte / Etalab 2.0. Document produit par Maillage.',
  ];
  let comparison: DossierComparison | null = null;
  if (input.comparison) {
    const { other, otherMetrics, diff } = input.comparison;
    const a = input.comparison.aIsOther ? { plan: other, metrics: otherMetrics } : { plan, metrics };
    const b = input.comparison.aIsOther ? { plan, metrics } : { plan: other, metrics: otherMetrics };
    const names = [...new Set([...a.metrics.metrics.teams.map((t) => t.name), ...b.metrics.metrics.teams.map((t) => t.name)])];
    const pick = <T,>(state: MetricsState, name: string, f: (t: MetricsState['metrics']['teams'][number]) => T) => {
      const t = state.metrics.teams.find((x) => x.name === name);
      return t ? f(t) : null;
    };
    const pair = <T,>(name: string, f: (t: MetricsState['metrics']['teams'][number]) => T): [T | null, T | null] => [pick(a.metrics, name, f), pick(b.metrics, name, f)];
    const otherInput = mapInput(other, input.establishments, otherMetrics);
    comparison = {
      nameA: a.plan.name,
      nameB: b.plan.name,
      thisIsA: !input.comparison.aIsOther,
      moved: diff.moved.map((mv) => ({ uai: mv.uai, name: mv.name, commune: mv.commune, from: mv.from ?? 'non affecté', to: mv.to ?? 'non affecté' })),
      rows: names.map((name) => ({ team: name, lycees: pair(name, (t) => t.lycees), pcs: pair(name, (t) => t.pcs), technicians: pair(name, (t) => t.technicians), pcsPerTechnician: pair(name, (t) => t.pcsPerTechnician), driveMeanSeconds: pair(name, (t) => t.driveMeanSeconds) })),
      inScope: m.global.inScope,
      other: { teams: otherInput.teams, lycees: otherInput.lycees, points: otherInput.points },
    };
  }
  return {
    title: input.title,
    subtitle: input.subtitle,
    regionName: input.regionName,
    now: input.now,
    sources: `${SOURCES} · Temps de trajet : ${input.driveTimes.label}`,
    teams,
    lycees,
    zones,
    totals: { lycees: m.global.assigned, inScope: m.global.inScope, unassigned: m.global.unassigned, pcs: sum((t) => t.pcs), pcsEstimated, students: sum((t) => t.students), technicians: m.global.technicians, zones: plan.zones.length, zonesOutOfRange: m.global.zonesOutOfRange, meanLycees: m.global.meanPerTechnician.lycees, meanPcs: m.global.meanPerTechnician.pcs },
    unassigned: m.global.unassignedUais.map((uai) => ({ uai, name: byUai.get(uai)?.name ?? uai, commune: byUai.get(uai)?.commune ?? '' })),
    hypotheses,
    comparison,
  };
}
