/** Seeded pseudo-random numbers (mulberry32): same seed, same sequence, in Node and in browsers. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** Fisher–Yates with a seeded source: the same order in every engine. */
export function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}

/** An index drawn with probability proportional to its weight (`total`: their sum). */
export function weightedIndex(random: () => number, weights: ArrayLike<number>, total: number): number {
  let draw = random() * total;
  for (let i = 0; i < weights.length; i++) {
    draw -= weights[i];
    if (draw <= 0) return i;
  }
  return weights.length - 1;
}
