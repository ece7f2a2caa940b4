import { describe, expect, it } from 'vitest';
import { TEAM_PALETTE } from '../../../src/core/model/plan-ops';

/** CIE L*a*b* (D65) of a #rrggbb colour. */
function lab(hex: string): [number, number, number] {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const f = (v: number) => (v > 0.008856 ? Math.cbrt(v) : 7.787 * v + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

describe('team palette', () => {
  it('tells 15 teams apart, with no black, grey or white team', () => {
    expect(new Set(TEAM_PALETTE.map((c) => c.toLowerCase())).size).toBeGreaterThanOrEqual(15);
    const colours = TEAM_PALETTE.map(lab);
    for (const [l, a, b] of colours) {
      expect(Math.hypot(a, b)).toBeGreaterThanOrEqual(25);
      expect(l).toBeGreaterThan(15);
    }
    for (let i = 0; i < colours.length; i++) for (let j = i + 1; j < colours.length; j++) {
      const [p, q] = [colours[i], colours[j]];
      expect(Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]), `${TEAM_PALETTE[i]} ${TEAM_PALETTE[j]}`).toBeGreaterThanOrEqual(25);
    }
  });
});
