import { describe, expect, it } from 'vitest';
import { frenchDate, frenchDuration, frenchNumber, frenchPercent, frenchTypography, plural } from '../../../src/core/document/french';

const N = '\u202F';
const NB = '\u00A0';

describe('French numbers', () => {
  it('groups thousands with narrow no-break spaces and uses a decimal comma', () => {
    expect(frenchNumber(66000)).toBe(`66${N}000`);
    expect(frenchNumber(1234567.891, 1)).toBe(`1${N}234${N}567,9`);
    expect(frenchNumber(999)).toBe('999');
    expect(frenchNumber(0.375, 2)).toBe('0,38');
    expect(frenchNumber(-1500)).toBe(`−1${N}500`);
    expect(frenchNumber(-0.01)).toBe('0');
    expect(frenchNumber(null)).toBe('—');
    expect(frenchNumber(Number.NaN)).toBe('—');
  });

  it('formats signed percentages, durations, plurals and dates', () => {
    expect(frenchPercent(0.123)).toBe(`+12,3${NB}%`);
    expect(frenchPercent(-0.05)).toBe(`−5${NB}%`);
    expect(frenchPercent(0)).toBe(`0${NB}%`);
    expect(frenchDuration(2520)).toBe(`42${NB}min`);
    expect(frenchDuration(6000)).toBe(`1${NB}h${NB}40`);
    expect(frenchDuration(null)).toBe('—');
    expect(plural(1, 'lycée')).toBe(`1${NB}lycée`);
    expect(plural(0, 'lycée')).toBe(`0${NB}lycée`);
    expect(plural(1234, 'lycée')).toBe(`1${N}234${NB}lycées`);
    expect(plural(2, 'technicien')).toBe(`2${NB}techniciens`);
    expect(frenchDate('2026-11-25T10:00:00Z')).toBe(`25${NB}novembre 2026`);
    expect(frenchDate('2026-03-01T10:00:00Z')).toBe(`1er${NB}mars 2026`);
  });
});

describe('frenchTypography', () => {
  it('puts a narrow no-break space before high punctuation and inside guillemets', () => {
    expect(frenchTypography('Temps de trajet : estimation ; PC estimés ? oui !')).toBe(`Temps de trajet${N}: estimation${N}; PC estimés${N}? oui${N}!`);
    expect(frenchTypography('Source: OSRM')).toBe(`Source${N}: OSRM`);
    expect(frenchTypography('« dossier d’organisation »')).toBe(`«${N}dossier d’organisation${N}»`);
    expect(frenchTypography('Vraiment ?!')).toBe(`Vraiment${N}?!`);
  });

  it('leaves times and addresses alone and is idempotent', () => {
    expect(frenchTypography('à 12:30, voir https://data.geopf.fr/wmts?LAYER=x')).toBe('à 12:30, voir https://data.geopf.fr/wmts?LAYER=x');
    const once = frenchTypography('Zones : 3 ; « Nord 1 » !');
    expect(frenchTypography(once)).toBe(once);
  });
});
