/**
 * `npm run gen:units -- --units 5000000 --out .bench/units-5m.csv [--seed n] [--from YYYY-MM-DD] [--to …]`:
 * writes a deterministic CSV of billing-unit records for the demo WABAs.
 */
import { parseArgs } from 'node:util';
import { writeUnitsCsv } from './write-units-csv.js';

const { values } = parseArgs({
  options: {
    units: { type: 'string', default: '200000' },
    out: { type: 'string', default: '.bench/units.csv' },
    seed: { type: 'string', default: '20260101' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
});
const units = Number(values.units);
if (!Number.isInteger(units) || units <= 0) {
  process.stderr.write('--units must be a positive whole number\n');
  process.exit(2);
}
const t0 = performance.now();
const rows = await writeUnitsCsv(
  values.out,
  {
    units,
    seed: Number(values.seed),
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
  },
  (n) =>
    process.stderr.write(
      `\r  ${((100 * n) / units).toFixed(1).padStart(5)} %  ${n.toLocaleString('en')} rows`,
    ),
);
process.stderr.write(
  `\nwrote ${rows.toLocaleString('en')} rows to ${values.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
);
