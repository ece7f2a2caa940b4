/**
 * Territory rules: a team or a section defined by lists of départements, arrondissements, EPCI,
 * communes (and, as the most specific rule, explicit UAI). Each public lycée goes to the team of the
 * most specific rule it matches (commune > EPCI > arrondissement > département); its section is the
 * most specific matching section rule of that team.
 */
import type { Establishment } from '../model/establishment.ts';
import { BLOCK_LABELS, blockCode, type BlockKind } from './blocks.ts';

export type RuleLevel = 'uai' | BlockKind;

/** Most specific first. */
export const RULE_LEVELS: readonly RuleLevel[] = ['uai', 'commune', 'epci', 'arrondissement', 'departement'];

/** A code, optionally followed by a space and a free comment (« 591 Avesnes-sur-Helpe »), or an object. */
export type RuleEntry = string | { code: string; nom?: string };

/** How a scenario file writes rules (plural keys, as in the COG). */
export interface TerritoryRules {
  departements?: RuleEntry[];
  arrondissements?: RuleEntry[];
  epci?: RuleEntry[];
  communes?: RuleEntry[];
  lycees?: RuleEntry[];
}

const FIELD_LEVELS: Record<keyof TerritoryRules, RuleLevel> = {
  departements: 'departement',
  arrondissements: 'arrondissement',
  epci: 'epci',
  communes: 'commune',
  lycees: 'uai',
};

export const RULE_LEVEL_LABELS: Record<RuleLevel, string> = { ...BLOCK_LABELS, uai: 'Lycée' };

export interface RuleTarget {
  team: string;
  section: string | null;
}

export interface Rule {
  level: RuleLevel;
  code: string;
  /** The comment or name written next to the code, for messages. */
  label: string;
  target: RuleTarget;
}

function parseEntry(entry: RuleEntry): { code: string; label: string } | null {
  if (typeof entry === 'string') {
    const text = entry.trim();
    const space = text.search(/\s/);
    const code = space < 0 ? text : text.slice(0, space);
    return code === '' ? null : { code, label: space < 0 ? '' : text.slice(space).trim() };
  }
  if (entry && typeof entry === 'object' && typeof entry.code === 'string' && entry.code.trim() !== '') return { code: entry.code.trim(), label: entry.nom ?? '' };
  return null;
}

/** Rules of one team or section; malformed entries become reasons. */
export function compileRules(rules: unknown, target: RuleTarget, where: string): { rules: Rule[]; reasons: string[] } {
  const out: Rule[] = [];
  const reasons: string[] = [];
  if (rules === undefined) return { rules: out, reasons };
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) return { rules: out, reasons: [`${where} : « territoire » doit être un objet (départements, arrondissements, epci, communes, lycees).`] };
  for (const [field, entries] of Object.entries(rules)) {
    const level = FIELD_LEVELS[field as keyof TerritoryRules];
    if (!level) {
      reasons.push(`${where} : clé de territoire inconnue « ${field} » (attendu : ${Object.keys(FIELD_LEVELS).join(', ')}).`);
      continue;
    }
    if (!Array.isArray(entries)) {
      reasons.push(`${where} : « ${field} » doit être une liste.`);
      continue;
    }
    for (const entry of entries as RuleEntry[]) {
      const parsed = parseEntry(entry);
      if (parsed) out.push({ level, code: parsed.code, label: parsed.label, target });
      else reasons.push(`${where} : entrée invalide dans « ${field} » (${JSON.stringify(entry)}).`);
    }
  }
  return { rules: out, reasons };
}

export function describeRule(rule: Rule): string {
  return `${RULE_LEVEL_LABELS[rule.level]} ${rule.code}${rule.label ? ` (${rule.label})` : ''}`;
}

const ruleKey = (level: RuleLevel, code: string) => `${level}:${code}`;

/** Reasons when one code is claimed by two teams, or by two sections of a team, at the same level. */
export function ruleConflicts(rules: readonly Rule[]): string[] {
  const seen = new Map<string, Rule[]>();
  for (const rule of rules) {
    const key = ruleKey(rule.level, rule.code);
    seen.set(key, [...(seen.get(key) ?? []), rule]);
  }
  const reasons: string[] = [];
  for (const group of seen.values()) {
    const teams = new Set(group.map((r) => r.target.team));
    const sections = new Set(group.filter((r) => r.target.section !== null).map((r) => r.target.section));
    if (teams.size > 1) reasons.push(`${describeRule(group[0])} : revendiqué par plusieurs équipes (${[...teams].join(', ')}).`);
    else if (sections.size > 1) reasons.push(`${describeRule(group[0])} : revendiqué par plusieurs sections (${[...sections].join(', ')}).`);
    else if (group.length > 1 && group.every((r) => r.target.section === group[0].target.section)) reasons.push(`${describeRule(group[0])} : écrit deux fois.`);
  }
  return reasons;
}

export interface Resolution {
  /** UAI → team and section (section null when no section rule of the team matches). */
  targets: Map<string, RuleTarget & { level: RuleLevel }>;
  /** Rules that no public lycée of the Région matches (unknown code, wrong Région, or no lycée there). */
  unmatchedRules: Rule[];
  /** Public lycées no rule matches. */
  unmatchedLycees: Establishment[];
}

function codeAt(e: Establishment, level: RuleLevel): string | null {
  return level === 'uai' ? e.uai : blockCode(e, level);
}

/** Applies the rules to the public lycées (private ones are not the Région's to serve). */
export function resolveRules(rules: readonly Rule[], establishments: readonly Establishment[]): Resolution {
  const index = new Map<string, Rule[]>();
  for (const rule of rules) {
    const key = ruleKey(rule.level, rule.code);
    index.set(key, [...(index.get(key) ?? []), rule]);
  }
  const used = new Set<Rule>();
  const targets: Resolution['targets'] = new Map();
  const unmatchedLycees: Establishment[] = [];
  for (const e of establishments) {
    if (e.sector !== 'public') continue;
    const matches: Rule[] = [];
    for (const level of RULE_LEVELS) {
      const code = codeAt(e, level);
      if (code !== null) matches.push(...(index.get(ruleKey(level, code)) ?? []));
    }
    if (matches.length === 0) {
      unmatchedLycees.push(e);
      continue;
    }
    for (const rule of matches) used.add(rule);
    const team = matches[0].target.team;
    const section = matches.find((r) => r.target.team === team && r.target.section !== null)?.target.section ?? null;
    targets.set(e.uai, { team, section, level: matches[0].level });
  }
  return { targets, unmatchedRules: rules.filter((r) => !used.has(r)), unmatchedLycees };
}
