import { describe, expect, it } from 'vitest';
import { estimateProvider } from '../../../src/core/routing/providers';
import { estimatedSeconds, estimateTrip } from '../../../src/core/routing/estimate';

const lille = { lat: 50.6292, lon: 3.0573 };
const amiens = { lat: 49.8941, lon: 2.2958 };
const arras = { lat: 50.2910, lon: 2.7775 };

describe('drive-time estimate', () => {
  it('has a zero diagonal and is symmetric', async () => {
    const pts = [lille, amiens, arras];
    const m = await estimateProvider.matrix(pts, pts);
    for (let i = 0; i < 3; i++) {
      expect(m.durations[i * 3 + i]).toBe(0);
      for (let j = 0; j < 3; j++) expect(m.durations[i * 3 + j]).toBeCloseTo(m.durations[j * 3 + i], 3);
    }
    expect(m.provider.label).toContain('estimation');
  });

  it('grows with distance', () => {
    let previous = -1;
    for (let metres = 0; metres <= 300_000; metres += 2_500) {
      const s = estimatedSeconds(metres);
      expect(s).toBeGreaterThan(previous);
      previous = s;
    }
  });

  it('gives plausible times for known pairs', () => {
    const lilleAmiens = estimateTrip(lille, amiens).seconds / 60;
    expect(lilleAmiens).toBeGreaterThan(75);
    expect(lilleAmiens).toBeLessThan(110);
    const lilleArras = estimateTrip(lille, arras).seconds / 60;
    expect(lilleArras).toBeGreaterThan(35);
    expect(lilleArras).toBeLessThan(60);
  });
});
