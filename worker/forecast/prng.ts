/**
 * A small seeded PRNG (mulberry32) with standard normal draws (Box–Muller), so simulated intervals are
 * reproducible for the same input.
 *
 * @example
 * const rng = createPrng(42); rng.uniform(); // => 0.6011037519201636 (always, for seed 42)
 */
export interface Prng {
  uniform(): number;
  normal(): number;
}

export function createPrng(seed: number): Prng {
  let a = seed >>> 0;
  let spare: number | null = null;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = uniform();
    while (u <= 1e-300) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { uniform, normal };
}
