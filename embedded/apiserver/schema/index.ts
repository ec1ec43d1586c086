/**
 * The CRD schema machinery of the embedded API server: pure functions over CRD objects.
 * The request handling (embedded/apiserver/) compiles a CRD once when it is stored and calls
 * `check` on every write; discovery, OpenAPI and tables are built from the stored CRDs.
 */
export { compileCrd, skippedCelRules } from './compile-crd.ts';
export type { SkippedRule } from './compile-crd.ts';
export { openApiV3Paths, openApiV3Document } from './openapi-v3.ts';
export { toTable } from './to-table.ts';
export { builtinCrds, builtinCrdsFor, builtinSchemaAnnotation } from './builtin-crds.ts';
export type * from './types.ts';
