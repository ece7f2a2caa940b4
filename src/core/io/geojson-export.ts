/**
 * GeoJSON export of a proposal (RFC 7946: WGS84 longitude/latitude, right-hand rule), for QGIS and
 * the organisation documents. One FeatureCollection, each feature tagged by `objet`:
 * - `equipe`: the team's territory (see territories.ts) with its metrics as properties;
 * - `zone`: continuity-zone outlines (hull of the members, padded);
 * - `base`: team bases;
 * - `lycee`: every lycée in scope and every assigned one (UAI, name, kind, team, section, zone, PCs
 *   with an "estimated" flag, students, drive time to base with its source).
 * The plan's metadata (name, date, Région, drive-time source, tolerances, solver report, team and
 * zone definitions) is the foreign member `maillage`, which also lets the tool read its file back.
 * QGIS splits a mixed collection into one layer per geometry type and ignores foreign members.
 */
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { CommuneAdjacency, Establishment } from '../model/establishment.ts';
import { KIND_LABELS } from '../model/establishment.ts';
import type { Plan, PlanSettings, Team } from '../model/plan.ts';
import type { MetricsState } from '../metrics/index.ts';
import { lyceeRows, minutes } from './lycee-rows.ts';
import { teamAreas, type AreaPoint } from './territories.ts';
import { zoneShape } from './zone-shape.ts';

export const GEOJSON_FORMAT = 'maillage-geojson';
export const GEOJSON_VERSION = 1;

export interface GeoJsonMetadata {
  format: typeof GEOJSON_FORMAT;
  version: number;
  exportedAt: string;
  region: { code: string; name: string };
  proposal: { id: string; name: string; notes: string; createdAt: string; updatedAt: string; origin: Plan['origin'] };
  driveTimes: { source: string; estimated: boolean };
  settings: PlanSettings;
  territories: { method: 'communes' | 'voronoi'; description: string; warnings: string[] };
  teams: Team[];
  zones: { id: string; teamId: string; name: string; fixed: boolean }[];
}

export type PlanGeoJson = FeatureCollection & { name: string; maillage: GeoJsonMetadata };

export interface GeoJsonExportInput {
  plan: Plan;
  metrics: MetricsState;
  establishments: readonly Establishment[];
  region: { code: string; name: string; boundary: FeatureCollection<Polygon | MultiPolygon>; communes: FeatureCollection<Polygon | MultiPolygon> | null; adjacency?: CommuneAdjacency | null };
  driveTimes: { label: string; estimated: boolean };
  now: string;
  /** Share of the territory computation done (the long part of the export). */
  onProgress?: (fraction: number) => void;
}

const round = (value: number | null, digits = 3) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);

const TERRITORY_METHODS = {
  communes: 'chaque commune rejoint l’équipe de ses lycées (découpée selon les cellules de Voronoï des lycées quand elle en a de plusieurs équipes) ; une commune sans lycée rejoint l’équipe qui l’atteint le plus tôt de commune voisine en commune voisine (distance entre centres) ; fusion par équipe. morceaux : parties d’un seul tenant (une île reliée à sa côte compte avec elle) ; enclaves : morceaux secondaires entourés par une seule autre équipe',
  voronoi: 'cellules de Voronoï des lycées affectés, fusionnées par équipe et découpées au contour de la Région (pas de couche communale pour cette Région)',
};

export function planToGeoJson(input: GeoJsonExportInput): PlanGeoJson {
  const { plan, metrics, region } = input;
  const byUai = new Map(input.establishments.map((e) => [e.uai, e]));
  const teamById = new Map(plan.teams.map((t) => [t.id, t]));
  const features: Feature[] = [];

  const areaPoints: AreaPoint[] = Object.entries(plan.assignment).flatMap(([uai, teamId]) => {
    const e = byUai.get(uai);
    return e ? [{ uai, lat: e.lat, lon: e.lon, teamId, communeCode: e.communeCode }] : [];
  });
  const territories = teamAreas(areaPoints, region.boundary, region.communes, region.adjacency ?? null, input.onProgress);
  const zoneMetrics = new Map(metrics.metrics.zones.map((z) => [z.zoneId, z]));
  for (const team of metrics.metrics.teams) {
    const area = territories.areas.get(team.teamId);
    if (!area) continue;
    const definition = teamById.get(team.teamId)!;
    const shape = territories.figures.get(team.teamId);
    features.push({
      type: 'Feature',
      geometry: area.geometry,
      properties: {
        objet: 'equipe',
        equipe_id: team.teamId,
        equipe: team.name,
        service: definition.service,
        couleur: team.color,
        techniciens: team.technicians,
        lycees: team.lycees,
        pc: team.pcs,
        pc_estimes: team.pcsEstimated,
        eleves: team.students,
        lycees_par_technicien: round(team.lyceesPerTechnician, 2),
        pc_par_technicien: round(team.pcsPerTechnician, 1),
        ecart_lycees: round(team.deviation.lycees),
        ecart_pc: round(team.deviation.pcs),
        trajet_moyen_min: minutes(team.driveMeanSeconds),
        trajet_max_min: minutes(team.driveMaxSeconds),
        base: definition.base?.label ?? null,
        zones: plan.zones.filter((z) => z.teamId === team.teamId).length,
        zones_hors_bornes: metrics.metrics.zones.filter((z) => z.teamId === team.teamId && z.outOfRange).length,
        surface_km2: round(shape?.areaKm2 ?? null, 1),
        morceaux: shape?.pieces ?? null,
        enclaves: shape?.enclaves ?? null,
      },
    });
  }

  for (const zone of plan.zones) {
    const members = zone.members.map((uai) => byUai.get(uai)).filter((e): e is Establishment => !!e);
    const shape = zoneShape(members);
    if (!shape) continue;
    const zm = zoneMetrics.get(zone.id);
    features.push({
      type: 'Feature',
      geometry: shape,
      properties: {
        objet: 'zone',
        zone_id: zone.id,
        zone: zone.name,
        equipe_id: zone.teamId,
        equipe: teamById.get(zone.teamId)?.name ?? null,
        lycees: zone.members.length,
        membres: zone.members.join(' '),
        figee: zone.fixed,
        trajet_max_min: minutes(zm?.maxPairSeconds),
        hors_bornes: zm?.outOfRange ?? false,
      },
    });
  }

  for (const team of plan.teams) {
    if (!team.base) continue;
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [team.base.lon, team.base.lat] }, properties: { objet: 'base', equipe_id: team.id, equipe: team.name, libelle: team.base.label, uai: team.base.uai ?? null } } satisfies Feature<Point>);
  }

  for (const row of lyceeRows(plan, metrics, input.establishments)) {
    const e = row.establishment;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [e.lon, e.lat] },
      properties: {
        objet: 'lycee',
        uai: e.uai,
        nom: e.name,
        type: KIND_LABELS[e.kind],
        secteur: e.sector === 'public' ? 'public' : 'privé',
        commune: e.commune,
        departement: e.departement,
        equipe_id: row.teamId,
        equipe: row.team,
        section: row.section,
        zone: row.zone,
        verrouille: row.locked,
        pc: row.pcs,
        pc_estime: row.pcsEstimated,
        source_pc: row.pcsSource,
        eleves: e.students ?? null,
        trajet_base_min: row.driveMinutes,
        source_trajet: input.driveTimes.label,
      },
    });
  }

  const maillage: GeoJsonMetadata = {
    format: GEOJSON_FORMAT,
    version: GEOJSON_VERSION,
    exportedAt: input.now,
    region: { code: region.code, name: region.name },
    proposal: { id: plan.id, name: plan.name, notes: plan.notes, createdAt: plan.createdAt, updatedAt: plan.updatedAt, origin: plan.origin },
    driveTimes: { source: input.driveTimes.label, estimated: input.driveTimes.estimated },
    settings: plan.settings,
    territories: { method: territories.method, description: TERRITORY_METHODS[territories.method], warnings: territories.warnings },
    teams: plan.teams,
    zones: plan.zones.map((z) => ({ id: z.id, teamId: z.teamId, name: z.name, fixed: z.fixed })),
  };
  return { type: 'FeatureCollection', name: plan.name, features, maillage };
}
