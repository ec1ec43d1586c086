import type { KubeObject } from '../admission.ts';
import { humanDuration } from './human-duration.ts';
import { isRecord } from './schema-props.ts';
import type { Table } from './types.ts';

/** A column of a built-in kind's table, as kube-apiserver's printers define it. */
export interface BuiltinColumn {
  definition: Table['columnDefinitions'][number];
  cell(object: KubeObject, now: number): unknown;
}

const column = (
  name: string,
  type: string,
  cell: BuiltinColumn['cell'],
  format = '',
  priority = 0,
): BuiltinColumn => ({ definition: { name, type, format, description: '', priority }, cell });

const age = (timestamp: unknown, now: number): string => {
  const time = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  return Number.isNaN(time) ? '<unknown>' : humanDuration(now - time);
};

const name = column('Name', 'string', (o) => o.metadata.name ?? '', 'name');
const ageColumn = column('Age', 'string', (o, now) => age(o.metadata.creationTimestamp, now));
const count = (value: unknown): number => (isRecord(value) ? Object.keys(value).length : 0);
const field = (o: KubeObject, ...path: string[]): unknown =>
  path.reduce<unknown>((v, key) => (isRecord(v) ? v[key] : undefined), o);

function involvedObject(o: KubeObject): string {
  const kind = String(field(o, 'involvedObject', 'kind') ?? '').toLowerCase();
  const objectName = String(field(o, 'involvedObject', 'name') ?? '');
  return kind ? `${kind}/${objectName}` : objectName;
}

function eventSource(o: KubeObject): string {
  const component = field(o, 'source', 'component') ?? o.reportingComponent ?? '';
  const host = field(o, 'source', 'host');
  return host ? `${String(component)}, ${String(host)}` : String(component);
}

const columnsByKind: Record<string, BuiltinColumn[]> = {
  Namespace: [name, column('Status', 'string', (o) => field(o, 'status', 'phase') ?? 'Active'), ageColumn],
  Secret: [
    name,
    column('Type', 'string', (o) => o.type ?? 'Opaque'),
    column('Data', 'string', (o) => count(o.data) + count(o.stringData)),
    ageColumn,
  ],
  ConfigMap: [name, column('Data', 'string', (o) => count(o.data) + count(o.binaryData)), ageColumn],
  Lease: [name, column('Holder', 'string', (o) => field(o, 'spec', 'holderIdentity') ?? ''), ageColumn],
  Event: [
    column('Last Seen', 'string', (o, now) =>
      age(o.lastTimestamp ?? o.eventTime ?? o.firstTimestamp ?? o.metadata.creationTimestamp, now),
    ),
    column('Type', 'string', (o) => o.type ?? ''),
    column('Reason', 'string', (o) => o.reason ?? ''),
    column('Object', 'string', involvedObject),
    column('Subobject', 'string', (o) => field(o, 'involvedObject', 'fieldPath') ?? '', '', 1),
    column('Source', 'string', eventSource, '', 1),
    column('Message', 'string', (o) => String(o.message ?? '').trim()),
    column(
      'First Seen',
      'string',
      (o, now) => age(o.firstTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp, now),
      '',
      1,
    ),
    column('Count', 'string', (o) => o.count ?? 1, '', 1),
    { ...name, definition: { ...name.definition, priority: 1 } },
  ],
  CustomResourceDefinition: [name, column('Created At', 'date', (o) => o.metadata.creationTimestamp ?? '')],
};

/** The columns of a built-in kind's table; NAME and AGE for anything else. */
export function builtinColumns(kind: string): BuiltinColumn[] {
  return columnsByKind[kind] ?? [name, ageColumn];
}
