/** One carriage-return progress line for long CLI work: a bar of the running phase, its percent and the clock. */

/** Where each phase of an ingest (or a rebuild) starts and ends on the bar: reading a batch is most of the time. */
const PHASES: Record<string, readonly [number, number]> = {
  reading: [0, 90],
  settling: [90, 99],
  // The rebuild: reference tables, then the lake's batches by count.
  reference: [0, 1],
  replaying: [1, 99],
};

export function progressLine(phase: string, phasePercent: number, elapsedMs: number): string {
  // Inside a phase, the phase's own progress (bytes read, or DuckDB's progress of the running statement) moves
  // the bar on; an unknown progress (-1) holds it at the phase's start.
  const [lo, hi] = PHASES[phase] ?? [0, 0];
  const within = phasePercent >= 0 ? Math.min(phasePercent, 100) / 100 : 0;
  const pct = phase === 'done' ? 100 : Math.min(99, Math.round(lo + within * (hi - lo)));
  const width = 30;
  const filled = Math.round((pct / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)} % ${phase.padEnd(10)} ${(elapsedMs / 1000).toFixed(1)} s `;
}
