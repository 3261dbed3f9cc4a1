import { PGlite } from '@electric-sql/pglite';
const lite = await PGlite.create('/tmp/pgl-two');
await lite.query('create table if not exists t (v int)');
await lite.query('insert into t values ($1)', [process.pid]);
console.log(process.argv[2], 'opened', (await lite.query('select count(*) from t')).rows);
await new Promise((r) => setTimeout(r, Number(process.argv[3])));
await lite.query('insert into t values ($1)', [process.pid]);
console.log(process.argv[2], 'count', (await lite.query('select count(*) from t')).rows);
if (process.argv[4] !== 'noclose') await lite.close();
