/**
 * An imported plan meets the open proposal. A table (CSV, XLSX, GIS layer) names teams but carries
 * neither technicians, bases, colours nor sections: teams that match an open team by name take them
 * from it (`adoptTeams`). The user may then keep the import as a new proposal or apply it to the
 * open one in a single step (`applyImport`): the file's assignment, sections and zones replace the
 * open ones, its teams are matched by name, the rest of the proposal stays.
 */
import type { Plan, Section, Team, Zone } from '../model/plan.ts';
import { checkInvariants, freshId, TEAM_PALETTE, type OpResult } from '../model/plan-ops.ts';

/** Team names compare without case, accents or surrounding spaces. */
export function teamKey(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

export interface Adoption {
  plan: Plan;
  /** Names of the imported teams found in the reference. */
  matched: string[];
}

/** A colour of the palette that none of `used` takes (the palette again when all are used). */
function freeColour(used: Set<string>, index: number): string {
  const free = TEAM_PALETTE.filter((c) => !used.has(c.toLowerCase()));
  return free.length > 0 ? free[0] : TEAM_PALETTE[index % TEAM_PALETTE.length];
}

/**
 * `imported` with its teams completed from `reference` when their names match: same id, technicians,
 * base, colour, service, allowed départements and sections (the file's sections map by name, new
 * ones are added). Unmatched teams get ids and colours the reference does not use.
 */
export function adoptTeams(imported: Plan, reference: Plan): Adoption {
  const byKey = new Map(reference.teams.map((t) => [teamKey(t.name), t]));
  const matched: string[] = [];
  const teamIds = new Map<string, string>();
  const sectionIds = new Map<string, string>();
  const usedIds = new Set(reference.teams.map((t) => t.id));
  const usedColours = new Set(reference.teams.map((t) => t.color.toLowerCase()));
  const teams: Team[] = imported.teams.map((team, index) => {
    const known = byKey.get(teamKey(team.name));
    if (known) {
      byKey.delete(teamKey(team.name));
      matched.push(team.name);
      teamIds.set(team.id, known.id);
      const sections: Section[] = known.sections.map((s) => ({ ...s }));
      for (const section of team.sections) {
        let target = sections.find((s) => teamKey(s.name) === teamKey(section.name));
        if (!target) {
          target = { id: freshId(`${known.id}-s`, sections.map((s) => s.id)), name: section.name };
          sections.push(target);
        }
        sectionIds.set(section.id, target.id);
      }
      return { ...known, sections, allowedDepartements: [...known.allowedDepartements] };
    }
    const id = usedIds.has(team.id) ? freshId('t', [...usedIds, ...imported.teams.map((t) => t.id)]) : team.id;
    usedIds.add(id);
    teamIds.set(team.id, id);
    const color = usedColours.has(team.color.toLowerCase()) ? freeColour(usedColours, index) : team.color;
    usedColours.add(color.toLowerCase());
    const sections = team.sections.map((s) => ({ id: s.id.startsWith(`${team.id}-`) ? `${id}-${s.id.slice(team.id.length + 1)}` : s.id, name: s.name }));
    team.sections.forEach((s, i) => sectionIds.set(s.id, sections[i].id));
    return { ...team, id, color, sections };
  });
  const mapTeam = (id: string) => teamIds.get(id) ?? id;
  const plan: Plan = {
    ...imported,
    teams,
    assignment: Object.fromEntries(Object.entries(imported.assignment).map(([uai, id]) => [uai, mapTeam(id)])),
    sections: Object.fromEntries(Object.entries(imported.sections).map(([uai, id]) => [uai, sectionIds.get(id) ?? id])),
    zones: imported.zones.map((z) => ({ ...z, teamId: mapTeam(z.teamId), members: [...z.members] })),
  };
  return { plan, matched };
}

/**
 * The open proposal with the import applied: the file's assignment, sections and zones (teams matched
 * by name; the file's new teams added), the open proposal's other teams kept (they may end up empty),
 * its locks kept for lycées that still have a team, imported PC counts added.
 */
export function applyImport(open: Plan, imported: Plan): OpResult {
  const { plan: adopted } = adoptTeams(imported, open);
  const teams = [...open.teams.map((t) => adopted.teams.find((a) => a.id === t.id) ?? t), ...adopted.teams.filter((a) => !open.teams.some((t) => t.id === a.id))];
  const openZone = new Map(open.zones.map((z) => [`${z.teamId}\u0000${teamKey(z.name)}`, z]));
  const usedZoneIds = new Set<string>();
  const zones: Zone[] = adopted.zones.map((z) => {
    const same = openZone.get(`${z.teamId}\u0000${teamKey(z.name)}`);
    let id = same?.id ?? z.id;
    if (usedZoneIds.has(id) || (!same && open.zones.some((o) => o.id === id))) id = freshId('z', [...usedZoneIds, ...open.zones.map((o) => o.id), ...adopted.zones.map((a) => a.id)]);
    usedZoneIds.add(id);
    return { ...z, id };
  });
  const plan: Plan = {
    ...open,
    teams,
    assignment: { ...adopted.assignment },
    sections: { ...adopted.sections },
    zones,
    locked: open.locked.filter((uai) => adopted.assignment[uai] !== undefined),
    pcPark: { ...open.pcPark, ...adopted.pcPark },
  };
  const problems = checkInvariants(plan);
  return problems.length > 0 ? { ok: false, reasons: problems } : { ok: true, plan };
}
