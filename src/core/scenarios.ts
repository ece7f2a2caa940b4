/**
 * Organisation scenarios from the Régions' documents (geo/*.json) → a new plan. Validation returns
 * reasons; printed codes that fail the UAI check and the corrections we made are reported as such.
 */
import type { Establishment } from './model/establishment.ts';
import type { Plan } from './model/plan.ts';
import { addTeam, assign, assignSection, createPlan, createZone, type OpResult } from './model/plan-ops.ts';
import { checkUai } from './uai.ts';
import { compileRules, describeRule, resolveRules, ruleConflicts, type Rule, type TerritoryRules } from './territory/rules.ts';

export interface ScenarioMember {
  uai: string;
  /** The code as printed in the document when it differs (e.g. a typo we corrected). */
  printedUai?: string | null;
  note?: string;
}

/** A section by name, optionally with the territory it covers inside its team. */
export type ScenarioSection = string | { name: string; territory?: TerritoryRules };

export interface ScenarioTeam {
  key: string;
  name: string;
  service?: string | null;
  technicians: number;
  departements?: string[];
  sections?: ScenarioSection[];
  base?: { uai: string; label: string };
  /** The team's territory: its public lycées are assigned when the scenario is loaded. */
  territory?: TerritoryRules;
}

export interface Scenario {
  id: string;
  regionCode: string;
  name: string;
  source: string;
  techniciansAssumed?: boolean;
  /** The assignment is our reconstruction, not published: the name is labelled as such everywhere. */
  reconstruction?: boolean;
  teams: ScenarioTeam[];
  zones: { team: string; name: string; members: ScenarioMember[] }[];
}

export interface ScenarioLoad {
  plan: Plan;
  /** Notes for the user: corrected codes, identified sites, assumptions. */
  notes: string[];
  /** Public lycées of the Région the scenario leaves without a team. */
  unassigned: Establishment[];
  /** Territory rules that matched no public lycée of the Région (described for the user). */
  unmatchedRules: string[];
}

export const RECONSTRUCTION_LABEL = 'reconstitution (hypothèse)';

/** The scenario's name as shown to users: a reconstructed assignment says so. */
export function scenarioDisplayName(scenario: Pick<Scenario, 'name' | 'reconstruction'>): string {
  return scenario.reconstruction ? `${scenario.name} — ${RECONSTRUCTION_LABEL}` : scenario.name;
}

const sectionName = (section: ScenarioSection): string => (typeof section === 'string' ? section : section?.name);

/** Every territory rule of the scenario, sections' rules pointing at their team and section name. */
function scenarioRules(scenario: Scenario): { rules: Rule[]; reasons: string[] } {
  const rules: Rule[] = [];
  const reasons: string[] = [];
  const add = (compiled: { rules: Rule[]; reasons: string[] }) => {
    rules.push(...compiled.rules);
    reasons.push(...compiled.reasons);
  };
  for (const team of scenario.teams) {
    add(compileRules(team.territory, { team: team.key, section: null }, team.name));
    for (const section of team.sections ?? []) {
      if (typeof section === 'object' && section !== null) add(compileRules(section.territory, { team: team.key, section: section.name }, `${team.name} — ${section.name}`));
    }
  }
  reasons.push(...ruleConflicts(rules));
  return { rules, reasons };
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
    const names = (team.sections ?? []).map(sectionName);
    if (names.some((n) => typeof n !== 'string' || n.trim() === '')) reasons.push(`${team.name} : une section sans nom.`);
    else if (new Set(names).size !== names.length) reasons.push(`${team.name} : deux sections portent le même nom.`);
  }
  if (reasons.length > 0) return { ok: false, reasons };
  const { rules, reasons: ruleReasons } = scenarioRules(s as Scenario);
  reasons.push(...ruleReasons);
  for (const rule of rules) {
    if (rule.level !== 'uai') continue;
    const check = checkUai(rule.code);
    if (!check.valid) reasons.push(`${describeRule(rule)} : UAI invalide (${check.reason}).`);
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
  let plan: Plan | null = createPlan({ id: options.planId, name: scenarioDisplayName(scenario), regionCode: scenario.regionCode, now: options.now, origin: { kind: 'scenario', scenarioId: scenario.id } });
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
          sections: (team.sections ?? []).map((section, i) => ({ id: `${id}-s${i + 1}`, name: sectionName(section) })),
          base: baseLycee && team.base ? { lat: baseLycee.lat, lon: baseLycee.lon, label: team.base.label, uai: baseLycee.uai } : null,
        },
        id,
      ),
      reasons,
    );
  }
  // Territory rules first: the zones' explicit UAI lists below override them.
  const { rules } = scenarioRules(scenario);
  const resolution = resolveRules(rules, establishments);
  const byTarget = new Map<string, { teamKey: string; section: string | null; uais: string[] }>();
  for (const [uai, target] of resolution.targets) {
    const key = `${target.team}\u0000${target.section ?? ''}`;
    const group = byTarget.get(key) ?? { teamKey: target.team, section: target.section, uais: [] };
    group.uais.push(uai);
    byTarget.set(key, group);
  }
  for (const { teamKey, section, uais } of byTarget.values()) {
    const teamId = teamIds.get(teamKey)!;
    plan = plan && unwrap(assign(plan, uais, teamId), reasons);
    const sectionId = section === null ? undefined : plan?.teams.find((t) => t.id === teamId)?.sections.find((s) => s.name === section)?.id;
    if (sectionId) plan = plan && unwrap(assignSection(plan, uais, sectionId), reasons);
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
  const unmatchedRules = resolution.unmatchedRules.map((r) => `${describeRule(r)} → ${scenario.teams.find((t) => t.key === r.target.team)?.name ?? r.target.team}${r.target.section ? ` — ${r.target.section}` : ''}`);
  return { ok: true, load: { plan, notes, unassigned, unmatchedRules } };
}
