/**
 * UAI (Unité Administrative Immatriculée, formerly RNE) codes: 7 characters then a check letter.
 * The letter is KEY_LETTERS[n mod 23] where n is the 7-character numeric part read as an integer.
 * The first three digits name the département (`059` Nord, `620`/`720` Corse, `971`… overseas).
 */

import { showValue } from './io/import-report.ts';

const KEY_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const DIGITS = '0123456789';

export type UaiProblem = 'empty' | 'length' | 'format' | 'key';

export interface UaiCheck {
  /** The code after trimming, removing inner spaces and upper-casing. */
  normalized: string;
  valid: boolean;
  problem: UaiProblem | null;
  /** Human-readable French reason when invalid. */
  reason: string | null;
  /** Valid codes one character away (look-alikes first), when the code is invalid. */
  suggestions: string[];
}

export function normalizeUai(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

export function uaiKeyLetter(numericPart: string): string {
  return KEY_LETTERS[Number(numericPart) % 23];
}

function problemOf(code: string): UaiProblem | null {
  if (code.length === 0) return 'empty';
  if (code.length !== 8) return 'length';
  if (!/^\d{7}[A-Z]$/.test(code)) return 'format';
  if (uaiKeyLetter(code.slice(0, 7)) !== code[7]) return 'key';
  return null;
}

export function isValidUai(raw: string): boolean {
  return problemOf(normalizeUai(raw)) === null;
}

/** Characters that are commonly typed or printed one for another. */
const LOOK_ALIKES: Record<string, string[]> = {
  '0': ['O', 'D', 'Q'],
  O: ['0'],
  D: ['0'],
  Q: ['0'],
  '1': ['I', 'L', '7'],
  I: ['1'],
  L: ['1'],
  '7': ['1'],
  '2': ['Z'],
  Z: ['2'],
  '5': ['S'],
  S: ['5'],
  '6': ['G'],
  G: ['6'],
  '8': ['B'],
  B: ['8'],
};

function isCandidate(code: string): boolean {
  return problemOf(code) === null;
}

/**
 * Valid codes reachable from `code` by changing, inserting or deleting one character.
 * Look-alike substitutions (5/S, 0/O, 1/I, 8/B…) are ranked first because they are the usual typos
 * of printed documents, e.g. `04921235` → `0492123S`.
 */
export function suggestUaiCorrections(raw: string, limit = 5): string[] {
  const code = normalizeUai(raw);
  const lookAlike = new Set<string>();
  const other = new Set<string>();
  const alphabet = DIGITS + KEY_LETTERS;
  for (let i = 0; i < code.length; i++) {
    for (const c of alphabet) {
      if (c === code[i]) continue;
      const candidate = code.slice(0, i) + c + code.slice(i + 1);
      if (!isCandidate(candidate)) continue;
      (LOOK_ALIKES[code[i]]?.includes(c) ? lookAlike : other).add(candidate);
    }
  }
  if (code.length === 7 && /^\d{7}$/.test(code)) other.add(code + uaiKeyLetter(code));
  if (code.length === 9) {
    for (let i = 0; i < code.length; i++) {
      const candidate = code.slice(0, i) + code.slice(i + 1);
      if (isCandidate(candidate)) other.add(candidate);
    }
  }
  // A misread key letter is the most frequent single error: keep the recomputed key close to the top.
  if (code.length === 8 && /^\d{7}/.test(code)) {
    const rekeyed = code.slice(0, 7) + uaiKeyLetter(code.slice(0, 7));
    if (rekeyed !== code && !lookAlike.has(rekeyed)) {
      other.delete(rekeyed);
      lookAlike.add(rekeyed);
    }
  }
  return [...lookAlike, ...other].filter((c) => c !== code).slice(0, limit);
}

const REASONS: Record<UaiProblem, string> = {
  empty: 'code UAI vide',
  length: 'un code UAI compte 8 caractères (7 chiffres et une lettre clé)',
  format: 'un code UAI est formé de 7 chiffres suivis d’une lettre clé',
  key: 'lettre clé incorrecte (faute de frappe probable)',
};

export function checkUai(raw: string): UaiCheck {
  const normalized = normalizeUai(raw);
  const problem = problemOf(normalized);
  if (problem === null) return { normalized, valid: true, problem: null, reason: null, suggestions: [] };
  const suggestions = problem === 'empty' || normalized.length > 9 || normalized.length < 7 ? [] : suggestUaiCorrections(normalized);
  return { normalized, valid: false, problem, reason: REASONS[problem], suggestions };
}

/**
 * Suggestions restricted to codes that exist in a known set (e.g. the Région's establishments):
 * an import then proposes only real lycées.
 */
export function suggestKnownUai(raw: string, known: ReadonlySet<string>, limit = 3): string[] {
  const length = normalizeUai(raw.slice(0, 64)).length;
  // One character away from 8: anything else is not a typo of a UAI, and costs time per character.
  if (length < 7 || length > 9) return [];
  return suggestUaiCorrections(raw, 100).filter((c) => known.has(c)).slice(0, limit);
}

/**
 * Caps the number of codes for which an import computes corrections (a few hundred candidates
 * each): a file of 100,000 wrong codes stays fast and the report says suggestions stopped.
 */
export class UaiSuggestionBudget {
  private used = 0;
  private skipped = 0;
  constructor(private readonly limit = 2000) {}

  suggest(raw: string, known: ReadonlySet<string>): string | null {
    if (this.used >= this.limit) {
      this.skipped++;
      return null;
    }
    this.used++;
    return suggestKnownUai(raw, known)[0] ?? null;
  }

  notes(): string[] {
    return this.skipped > 0 ? [`Corrections d’UAI proposées pour les ${this.limit.toLocaleString('fr-FR')} premiers codes invalides seulement (${this.skipped.toLocaleString('fr-FR')} autres sans suggestion).`] : [];
  }
}

export type KnownUaiCheck = { ok: true; uai: string } | { ok: false; reason: string; suggestion: string | null };

/** An imported code checked with its key letter and against the Région's lycées, with a French reason. */
export function checkKnownUai(raw: string, known: ReadonlySet<string>, budget?: UaiSuggestionBudget): KnownUaiCheck {
  if (raw.length > 64) return { ok: false, reason: `UAI « ${showValue(raw, 20)} » invalide : ${REASONS.length}`, suggestion: null };
  const normalized = normalizeUai(raw);
  // Not checkUai: its corrections are not restricted to the Région's lycées nor to a budget.
  const problem = problemOf(normalized);
  if (problem !== null) {
    const suggestion = problem === 'empty' ? null : budget ? budget.suggest(raw, known) : (suggestKnownUai(raw, known)[0] ?? null);
    return { ok: false, reason: `UAI « ${showValue(raw, 20)} » invalide : ${REASONS[problem]}${suggestion ? ` (vouliez-vous dire ${suggestion} ?)` : ''}`, suggestion };
  }
  if (!known.has(normalized)) return { ok: false, reason: `UAI ${normalized} inconnu dans cette Région`, suggestion: null };
  return { ok: true, uai: normalized };
}

/** The département code of a UAI: `0590001L` → `59`, `6200043C` → `2A`, `9710002A` → `971`. */
export function departementOfUai(uai: string): string {
  const head = uai.slice(0, 3);
  if (head === '620') return '2A';
  if (head === '720') return '2B';
  if (head.startsWith('9')) return head;
  return head.slice(1);
}
