/**
 * Undo/redo over whole plan states. Operations share every unchanged part of the plan, so keeping
 * full states costs little and undo can never drift from what was shown.
 */
import { applyRecordPatch, diffRecords, type RecordPatch } from './patch';

export interface History<T> {
  past: readonly T[];
  present: T;
  future: readonly T[];
}

export const HISTORY_LIMIT = 200;

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

export function record<T>(history: History<T>, next: T): History<T> {
  if (next === history.present) return history;
  return { past: [...history.past, history.present].slice(-HISTORY_LIMIT), present: next, future: [] };
}

export function undo<T>(history: History<T>): History<T> {
  if (history.past.length === 0) return history;
  return { past: history.past.slice(0, -1), present: history.past[history.past.length - 1], future: [history.present, ...history.future] };
}

export function redo<T>(history: History<T>): History<T> {
  if (history.future.length === 0) return history;
  return { past: [...history.past, history.present], present: history.future[0], future: history.future.slice(1) };
}

export const canUndo = <T>(history: History<T>): boolean => history.past.length > 0;
export const canRedo = <T>(history: History<T>): boolean => history.future.length > 0;

/** How many steps each way are kept in IndexedDB with a proposal (the in-memory limit is larger). */
export const STORED_HISTORY_LIMIT = 100;

/**
 * An undo history as stored: patches walking away from the present, nearest step first, so the
 * present (stored on its own) plus the patches rebuild every state.
 */
export interface PackedHistory {
  past: RecordPatch[];
  future: RecordPatch[];
}

const patchCache = new WeakMap<object, WeakMap<object, RecordPatch>>();

function cachedDiff<T extends object>(from: T, to: T): RecordPatch {
  let row = patchCache.get(from);
  if (!row) patchCache.set(from, (row = new WeakMap()));
  let patch = row.get(to);
  if (!patch) row.set(to, (patch = diffRecords(from, to)));
  return patch;
}

function walk<T extends object>(start: T, states: readonly T[]): RecordPatch[] {
  const patches: RecordPatch[] = [];
  let current = start;
  for (const state of states) {
    patches.push(cachedDiff(current, state));
    current = state;
  }
  return patches;
}

export function packHistory<T extends object>(history: History<T>, limit = STORED_HISTORY_LIMIT): PackedHistory {
  return {
    past: walk(history.present, [...history.past].reverse().slice(0, limit)),
    future: walk(history.present, history.future.slice(0, limit)),
  };
}

export function unpackHistory<T extends object>(present: T, packed: PackedHistory): History<T> {
  const rebuild = (patches: readonly RecordPatch[]): T[] => {
    const states: T[] = [];
    let current = present;
    for (const patch of patches) states.push((current = applyRecordPatch(current, patch)));
    return states;
  };
  return { past: rebuild(packed.past).reverse(), present, future: rebuild(packed.future) };
}
