import type { KubeObject } from '../admission.ts';
import { builtinColumns } from './builtin-columns.ts';
import type { BuiltinColumn } from './builtin-columns.ts';
import { humanDuration } from './human-duration.ts';
import { evaluateJsonPath } from './jsonpath.ts';
import { isRecord } from './schema-props.ts';
import type { Table } from './types.ts';

export interface TableOptions {
  includeObject: 'None' | 'Metadata' | 'Object';
  noHeaders?: boolean;
  /** For built-in kinds when the list is empty; defaults to the first object's kind. */
  kind?: string;
  /** The clock AGE cells are computed against (kube-apiserver renders `date` columns as ages). */
  now?: () => number;
}

type Column = Table['columnDefinitions'][number];

interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

const nameColumn: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

const ageColumn: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

function printerColumns(crd: KubeObject, version: string): PrinterColumn[] {
  const spec = isRecord(crd.spec) ? crd.spec : {};
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  const served = versions.find((v) => isRecord(v) && v.name === version) as
    Record<string, unknown> | undefined;
  const columns = served?.additionalPrinterColumns ?? spec.additionalPrinterColumns;
  return Array.isArray(columns) && columns.length > 0 ? (columns as PrinterColumn[]) : [ageColumn];
}

function cellFor(type: string, value: unknown, now: number): unknown {
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      const time = Date.parse(value);
      return Number.isNaN(time) ? '<invalid>' : humanDuration(now - Math.floor(time / 1000) * 1000);
    }
    default:
      return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  }
}

function rowObject(object: KubeObject, include: TableOptions['includeObject']): unknown {
  if (include === 'Object') return object;
  if (include === 'Metadata') {
    return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
  }
  return undefined;
}

function customResourceTable(
  crd: KubeObject,
  version: string,
  objects: KubeObject[],
  opts: TableOptions,
): Table {
  const columns = printerColumns(crd, version);
  const now = (opts.now ?? Date.now)();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {},
    columnDefinitions: opts.noHeaders
      ? []
      : [
          nameColumn,
          ...columns.map((c) => ({
            name: c.name,
            type: c.type,
            format: c.format ?? '',
            description: c.description ?? '',
            priority: c.priority ?? 0,
          })),
        ],
    rows: objects.map((object) => ({
      cells: [
        object.metadata.name ?? '',
        ...columns.map((c) => {
          const found = evaluateJsonPath(c.jsonPath, object);
          return found instanceof Error || found.length === 0 ? null : cellFor(c.type, found[0], now);
        }),
      ],
      object: rowObject(object, opts.includeObject),
    })),
  };
}

function builtinTable(objects: KubeObject[], opts: TableOptions): Table {
  const columns: BuiltinColumn[] = builtinColumns(opts.kind ?? objects[0]?.kind ?? '');
  const now = (opts.now ?? Date.now)();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {},
    columnDefinitions: opts.noHeaders ? [] : columns.map((c) => c.definition),
    rows: objects.map((object) => ({
      cells: columns.map((c) => c.cell(object, now)),
      object: rowObject(object, opts.includeObject),
    })),
  };
}

/** A meta.k8s.io/v1 Table for `kubectl get`: the CRD's printer columns, or the built-in kinds' columns. */
export function toTable(
  crd: KubeObject | undefined,
  version: string,
  objects: KubeObject[],
  opts: TableOptions,
): Table {
  return crd === undefined ? builtinTable(objects, opts) : customResourceTable(crd, version, objects, opts);
}
