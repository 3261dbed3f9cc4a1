import type { Catalogue } from '../messages.js';

export default {} satisfies Catalogue;
