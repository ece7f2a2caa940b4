import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCommune, formatCount, plural } from '../../src/core/french';
import { formatDuration, formatNumber, formatPercent } from '../../src/ui/format';

const NBSP = '\u00a0';

describe('French formatted strings', () => {
  it('agrees nouns with their count (0 and 1 singular)', () => {
    expect(formatCount(0, 'lycée')).toBe(`0${NBSP}lycée`);
    expect(formatCount(1, 'lycée')).toBe(`1${NBSP}lycée`);
    expect(formatCount(2, 'lycée')).toBe(`2${NBSP}lycées`);
    expect(formatCount(1, 'lycée public', 'lycées publics')).toBe(`1${NBSP}lycée public`);
    expect(formatCount(12, 'parc PC estimé', 'parcs PC estimés')).toBe(`12${NBSP}parcs PC estimés`);
    expect(formatCount(1234, 'lycée')).toBe(`1\u202f234${NBSP}lycées`);
    expect(plural(1, 'affecté')).toBe('affecté');
    expect(plural(3, 'lycée change', 'lycées changent')).toBe('lycées changent');
  });

  it('spaces the commune and its INSEE code', () => {
    expect(formatCommune('Lens', '62498')).toBe('Lens (INSEE 62498)');
    expect(formatCommune('Lens', null)).toBe('Lens');
  });

  it('formats numbers, percentages and durations the French way', () => {
    expect(formatNumber(2.5, 1)).toBe('2,5');
    expect(formatPercent(0.123)).toBe('+12,3 %');
    expect(formatDuration(65 * 60)).toBe('1 h 05');
    expect(formatDuration(null)).toBe('—');
  });

  /**
   * Svelte 5 drops the whitespace that opens a block: `{name}{#if code} <span>` renders "Lens(INSEE…)".
   * Every template must write such a space as &nbsp; (kept) or outside the block.
   */
  it('no Svelte template glues text to a block that starts with a space', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.svelte')) files.push(path);
      }
    };
    walk('src/ui');
    const offenders: string[] = [];
    for (const file of files) {
      const markup = readFileSync(file, 'utf8').replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '');
      for (const match of markup.matchAll(/[^\s]\{#(?:if|each)[^}]*\}[ \t\r\n]+[^\s{<]|[^\s]\{#(?:if|each)[^}]*\}[ \t\r\n]+<(?:span|strong|em|a|code)\b/g)) offenders.push(`${file}: ${match[0].replace(/\s+/g, ' ')}`);
    }
    expect(offenders).toEqual([]);
  });
});
