/**
 * The GraphQL documents the gateway ships: what its own clients send. `--trusted-documents`
 * alone allows exactly these — the CLI's (client/documents) and the web dashboard's
 * (web/documents) — so both keep working in trusted-documents mode. Resolved next to this module:
 * the repository's folders under tsx, dist/client/documents and dist/web/documents in the
 * compiled build (scripts/build.mjs copies them there).
 */
import { fileURLToPath } from 'node:url';

export const clientDocuments = fileURLToPath(new URL('../../client/documents', import.meta.url));
export const dashboardDocuments = fileURLToPath(new URL('../../web/documents', import.meta.url));

/** Each folder one application's set (its fragments resolve within it). */
export const bundledDocuments: readonly string[] = [clientDocuments, dashboardDocuments];
