/** One carriage-return progress line for long CLI work: a bar of the running phase, its percent and the clock. */
const PHASES = ['reading', 'validating', 'merging', 'deriving', 'done'];

export function progressLine(phase: string, statementPercent: number, elapsedMs: number): string {
  // Each phase is a quarter of the bar; inside it, DuckDB's progress of the running statement moves it on.
  const i = Math.max(0, PHASES.indexOf(phase));
  const within = statementPercent >= 0 ? Math.min(statementPercent, 100) / 100 : 0;
  const pct = phase === 'done' ? 100 : Math.min(99, Math.round(((i + within) / 4) * 100));
  const width = 30;
  const filled = Math.round((pct / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)} % ${phase.padEnd(10)} ${(elapsedMs / 1000).toFixed(1)} s `;
}
