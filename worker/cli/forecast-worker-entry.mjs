// Loads the TypeScript worker through tsx, so the CLI runs from source with both `npx tsx` and `node --import tsx`.
import { register } from 'tsx/esm/api';

register();
await import('./forecast-worker.ts');
