/**
 * Compact differences between two versions of a plain JSON record (a plan), used to keep the undo
 * history in IndexedDB without storing every whole state. Plan operations share every unchanged part
 * by reference, so comparing references finds the changes in time proportional to the keys, and
 * large maps (UAI → team) are diffed entry by entry: an edit of three lycées stores three entries.
 */

type Json = unknown;
type Dict = Record<string, Json>;

export interface EntryPatch {
  set: Dict;
  unset: string[];
}

/** Per top-level key: the new value whole, or (for maps) only the entries that changed. */
export interface RecordPatch {
  replace: Dict;
  remove: string[];
  entries: Record<string, EntryPatch>;
}

function isDict(value: Json): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function diffEntries(from: Dict, to: Dict): EntryPatch {
  const set: Dict = {};
  const unset: string[] = [];
  for (const key of Object.keys(to)) if (!Object.hasOwn(from, key) || from[key] !== to[key]) set[key] = to[key];
  for (const key of Object.keys(from)) if (!Object.hasOwn(to, key)) unset.push(key);
  return { set, unset };
}

/** A patch that turns `from` into `to` (reference equality: unchanged parts must be shared). */
export function diffRecords<T extends object>(from: T, to: T): RecordPatch {
  const a = from as Dict;
  const b = to as Dict;
  const patch: RecordPatch = { replace: {}, remove: [], entries: {} };
  for (const key of Object.keys(b)) {
    if (Object.hasOwn(a, key) && a[key] === b[key]) continue;
    const before = a[key];
    const after = b[key];
    if (isDict(before) && isDict(after)) {
      const entries = diffEntries(before, after);
      // A map rewritten wholesale (a scenario, a solver run) is cheaper stored whole.
      if (Object.keys(entries.set).length + entries.unset.length < Object.keys(after).length / 2) {
        patch.entries[key] = entries;
        continue;
      }
    }
    patch.replace[key] = after;
  }
  for (const key of Object.keys(a)) if (!Object.hasOwn(b, key)) patch.remove.push(key);
  return patch;
}

/** `from` with the patch applied; untouched parts stay shared with `from`. */
export function applyRecordPatch<T extends object>(from: T, patch: RecordPatch): T {
  const next: Dict = { ...(from as Dict) };
  for (const key of patch.remove) delete next[key];
  Object.assign(next, patch.replace);
  for (const [key, { set, unset }] of Object.entries(patch.entries)) {
    const entries: Dict = { ...(isDict(next[key]) ? (next[key] as Dict) : {}), ...set };
    for (const k of unset) delete entries[k];
    next[key] = entries;
  }
  return next as T;
}
