/** Where the shared CAPI reference data lives (beside the checkout), and whether it is there. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const capiDir = fileURLToPath(new URL('../../../../shared/capi/', import.meta.url));
export const crdsDir = `${capiDir}crds`;
export const templatesDir = `${capiDir}templates`;
export const hasCapi = existsSync(crdsDir) && existsSync(templatesDir);
if (!hasCapi) console.warn(`skipping CAPI-data tests: ${capiDir} is absent`);
