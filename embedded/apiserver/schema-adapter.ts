// The one place the API server imports the CRD schema machinery from.
export {
  compileCrd,
  openApiV3Paths,
  openApiV3Document,
  toTable,
  builtinCrdsFor,
  builtinSchemaAnnotation,
} from './schema/index.ts';
