// Loaded with --import into a server under test: hangs the ingest lake at one step, writes a marker file, and
// waits there to be killed. LAKE_PAUSE=seal hangs before a batch's commit (its spooled files are being made
// durable), LAKE_PAUSE=publish after it (the first rename out of the spool). LAKE_PAUSE_KIND=reference hangs a
// reference change instead of an ingest batch.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const step = process.env.LAKE_PAUSE;
const marker = process.env.LAKE_PAUSE_MARKER;
const forever = () => new Promise(() => {});
const kinds = process.env.LAKE_PAUSE_KIND === 'reference' ? ['reference'] : ['units', 'webhooks'];
const inSpool = (p) =>
  kinds.some((k) => String(p).includes(`/_spool/${k}-`)) && String(p).endsWith('.parquet');

const { rename, open } = fs.promises;
if (step === 'publish')
  fs.promises.rename = async (from, to) => {
    if (!inSpool(from)) return rename(from, to);
    fs.writeFileSync(marker, String(from));
    return forever();
  };
if (step === 'seal')
  fs.promises.open = async (path, ...rest) => {
    if (!inSpool(path)) return open(path, ...rest);
    fs.writeFileSync(marker, String(path));
    return forever();
  };
syncBuiltinESMExports();
