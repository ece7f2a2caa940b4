/**
 * Organisation scenarios from the Régions' documents (geo/*.json) → a new plan. Validation returns
 * reasons; printed codes that fail the UAI check and the corrections we made are reported as such.
 */
import type { Establishment } from './model/establishment.ts';
import type { Plan } from './model/plan.ts';
import { addTeam, assign, createPlan, createZone, type OpResult } from './model/plan-ops.ts';
import { checkUai } from './uai.ts';

export interface ScenarioMember {
  uai: string;
  /** The code as printed in the document when it differs (e.g. a typo we corrected). */
  printedUai?: string | null;
  note?: string;
}

export interface ScenarioTeam {
  key: string;
  name: string;
  service?: string | null;
  technicians: number;
  departements?: string[];
  sections?: string[];
  base?: { uai: string; label: string };
}

export interface Scenario {
  id: string;
  regionCode: string;
  name: string;
  source: string;
  techniciansAssumed?: boolean;
  teams: ScenarioTeam[];
  zones: { team: string; name: string; members: ScenarioMember[] }[];
}

export interface ScenarioLoad {
  plan: Plan;
  /** Notes for the user: corrected codes, identified sites, assumptions. */
  notes: string[];
  /** Public lycées of the Région the scenario leaves without a team. */
  unassigned: Establishment[];
}

export function validateScenario(json: unknown): { ok: true; scenario: Scenario } | { ok: false; reasons: string[] } {
  const reasons: string[] = [];
  const s = json as Partial<Scenario>;
  if (typeof s !== 'object' || s === null) return { ok: false, reasons: ['Le scénario doit être un objet JSON.'] };
  for (const key of ['id', 'regionCode', 'name', 'source'] as const) if (typeof s[key] !== 'string' || s[key] === '') reasons.push(`Champ « ${key} » manquant.`);
  if (!Array.isArray(s.teams) || s.teams.length === 0) reasons.push('Aucune équipe.');
  if (!Array.isArray(s.zones)) reasons.push('Champ « zones » manquant (liste, éventuellement vide).');
  if (reasons.length > 0) return { ok: false, reasons };
  const keys = new Set<string>();
  for (const team of s.teams!) {
    if (!team.key || !team.name) reasons.push('Une équipe sans clé ou sans nom.');
    if (keys.has(team.key)) reasons.push(`Clé d’équipe en double : ${team.key}.`);
    keys.add(team.key);
    if (!Number.isInteger(team.technicians) || team.technicians < 0) reasons.push(`${team.name} : nombre de techniciens invalide.`);
    if (team.base && !checkUai(team.base.uai).valid) reasons.push(`${team.name} : UAI de la base invalide (${team.base.uai}).`);
  }
  for (const zone of s.zones!) {
    if (!keys.has(zone.team)) reasons.push(`${zone.name} : équipe inconnue « ${zone.team} ».`);
    for (const m of zone.members) {
      const check = checkUai(m.uai);
      if (!check.valid) reasons.push(`${zone.name} : UAI ${m.uai} invalide (${check.reason}).`);
    }
  }
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, scenario: s as Scenario };
}

function unwrap(result: OpResult, reasons: string[]): Plan | null {
  if (result.ok) return result.plan;
  reasons.push(...result.reasons);
  return null;
}

export function loadScenario(
  scenario: Scenario,
  establishments: readonly Establishment[],
  options: { planId: string; now: string },
): { ok: true; load: ScenarioLoad } | { ok: false; reasons: string[] } {
  const byUai = new Map(establishments.map((e) => [e.uai, e]));
  const reasons: string[] = [];
  const notes: string[] = [scenario.source];
  let plan: Plan | null = createPlan({ id: options.planId, name: scenario.name, regionCode: scenario.regionCode, now: options.now, origin: { kind: 'scenario', scenarioId: scenario.id } });
  const teamIds = new Map<string, string>();
  for (const team of scenario.teams) {
    const baseLycee = team.base ? byUai.get(team.base.uai) : undefined;
    if (team.base && !baseLycee) reasons.push(`${team.name} : le lycée de base ${team.base.uai} est absent des données de la Région.`);
    const id = `t${teamIds.size + 1}`;
    teamIds.set(team.key, id);
    plan = plan && unwrap(
      addTeam(
        plan,
        {
          name: team.name,
          service: team.service ?? null,
          technicians: team.technicians,
          allowedDepartements: team.departements ?? [],
          sections: (team.sections ?? []).map((name, i) => ({ id: `${id}-s${i + 1}`, name })),
          base: baseLycee && team.base ? { lat: baseLycee.lat, lon: baseLycee.lon, label: team.base.label, uai: baseLycee.uai } : null,
        },
        id,
      ),
      reasons,
    );
  }
  for (const zone of scenario.zones) {
    const teamId = teamIds.get(zone.team)!;
    const members = zone.members.map((m) => m.uai);
    const missing = members.filter((uai) => !byUai.has(uai));
    if (missing.length > 0) reasons.push(`${zone.name} (${zone.team}) : UAI absents des données : ${missing.join(', ')}.`);
    for (const m of zone.members) if (m.note) notes.push(`${m.uai} : ${m.note}`);
    plan = plan && unwrap(assign(plan, members, teamId), reasons);
    const teamName = scenario.teams.find((t) => t.key === zone.team)?.name ?? zone.team;
    plan = plan && unwrap(createZone(plan, members, { name: `${teamName} — ${zone.name}` }), reasons);
  }
  if (scenario.techniciansAssumed) notes.push('Effectifs de techniciens supposés : à vérifier et corriger.');
  if (!plan || reasons.length > 0) return { ok: false, reasons };
  const assigned = plan.assignment;
  const unassigned = establishments.filter((e) => e.sector === 'public' && assigned[e.uai] === undefined);
  return { ok: true, load: { plan, notes, unassigned } };
}
