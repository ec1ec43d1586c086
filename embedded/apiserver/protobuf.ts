/**
 * Just enough of Kubernetes' protobuf encoding to read what kubectl's typed clients send
 * (`kubectl create namespace|configmap|secret|role|rolebinding|clusterrole|clusterrolebinding`,
 * `kubectl auth can-i`, protobuf DeleteOptions): the `k8s\0` envelope (runtime.Unknown) and the
 * fields of ObjectMeta, Namespace, ConfigMap, Secret, DeleteOptions, the RBAC kinds and the
 * authorization.k8s.io reviews.
 * Responses are always JSON, which those clients accept.
 */
import { badRequest, unsupportedMediaType } from './errors.ts';

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';

interface Field {
  number: number;
  wireType: number;
  value: bigint | Buffer;
}

function readVarint(buf: Buffer, pos: { at: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos.at >= buf.length) throw new Error('truncated varint');
    const byte = buf[pos.at++]!;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return result;
    shift += 7n;
    if (shift > 70n) throw new Error('varint too long');
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  const pos = { at: 0 };
  while (pos.at < buf.length) {
    const key = Number(readVarint(buf, pos));
    const number = key >>> 3;
    const wireType = key & 7;
    if (wireType === 0) out.push({ number, wireType, value: readVarint(buf, pos) });
    else if (wireType === 2) {
      const length = Number(readVarint(buf, pos));
      if (pos.at + length > buf.length) throw new Error('truncated field');
      out.push({ number, wireType, value: buf.subarray(pos.at, pos.at + length) });
      pos.at += length;
    } else if (wireType === 1) pos.at += 8;
    else if (wireType === 5) pos.at += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
  return out;
}

const str = (f: Field) => (f.value as Buffer).toString('utf8');
const bytes = (f: Field) => f.value as Buffer;
const bool = (f: Field) => (f.value as bigint) !== 0n;
const num = (f: Field) => Number(f.value as bigint);

function mapEntry(buf: Buffer, value: (f: Field) => string): [string, string] {
  let key = '';
  let val = '';
  for (const f of fields(buf)) {
    if (f.number === 1) key = str(f);
    if (f.number === 2) val = value(f);
  }
  return [key, val];
}

function time(buf: Buffer): string {
  let seconds = 0;
  for (const f of fields(buf)) if (f.number === 1) seconds = num(f);
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function ownerReference(buf: Buffer): Record<string, unknown> {
  const ref: Record<string, unknown> = {};
  for (const f of fields(buf)) {
    if (f.number === 1) ref['kind'] = str(f);
    if (f.number === 3) ref['name'] = str(f);
    if (f.number === 4) ref['uid'] = str(f);
    if (f.number === 5) ref['apiVersion'] = str(f);
    if (f.number === 6) ref['controller'] = bool(f);
    if (f.number === 7) ref['blockOwnerDeletion'] = bool(f);
  }
  return ref;
}

function objectMeta(buf: Buffer): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  const finalizers: string[] = [];
  const owners: unknown[] = [];
  const names: Record<number, string> = {
    1: 'name',
    2: 'generateName',
    3: 'namespace',
    5: 'uid',
    6: 'resourceVersion',
  };
  for (const f of fields(buf)) {
    const name = names[f.number];
    // proto2 clients send empty strings for unset fields; JSON omits them.
    if (name) {
      if (str(f) !== '') meta[name] = str(f);
    } else if (f.number === 7) {
      if (num(f) !== 0) meta['generation'] = num(f);
    } else if (f.number === 8) meta['creationTimestamp'] = time(bytes(f));
    else if (f.number === 11) Object.assign(labels, Object.fromEntries([mapEntry(bytes(f), str)]));
    else if (f.number === 12) Object.assign(annotations, Object.fromEntries([mapEntry(bytes(f), str)]));
    else if (f.number === 13) owners.push(ownerReference(bytes(f)));
    else if (f.number === 14) finalizers.push(str(f));
  }
  if (Object.keys(labels).length) meta['labels'] = labels;
  if (Object.keys(annotations).length) meta['annotations'] = annotations;
  if (finalizers.length) meta['finalizers'] = finalizers;
  if (owners.length) meta['ownerReferences'] = owners;
  return meta;
}

/** A message of string fields (repeated ones as lists), by field number → JSON name. */
function strings(
  buf: Buffer,
  names: Record<number, string>,
  repeated: Set<number> = new Set(),
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields(buf)) {
    const name = names[f.number];
    if (!name || f.wireType !== 2) continue;
    if (repeated.has(f.number)) out[name] = [...((out[name] as string[]) ?? []), str(f)];
    else out[name] = str(f);
  }
  return out;
}

const policyRule = (buf: Buffer) =>
  strings(
    buf,
    { 1: 'verbs', 2: 'apiGroups', 3: 'resources', 4: 'resourceNames', 5: 'nonResourceURLs' },
    new Set([1, 2, 3, 4, 5]),
  );

function labelSelector(buf: Buffer): Record<string, unknown> {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: unknown[] = [];
  for (const f of fields(buf)) {
    if (f.number === 1) Object.assign(matchLabels, Object.fromEntries([mapEntry(bytes(f), str)]));
    if (f.number === 2)
      matchExpressions.push(strings(bytes(f), { 1: 'key', 2: 'operator', 3: 'values' }, new Set([3])));
  }
  return {
    ...(Object.keys(matchLabels).length ? { matchLabels } : {}),
    ...(matchExpressions.length ? { matchExpressions } : {}),
  };
}

function reviewSpec(buf: Buffer): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  for (const f of fields(buf)) {
    if (f.number === 1)
      spec['resourceAttributes'] = strings(bytes(f), {
        1: 'namespace',
        2: 'verb',
        3: 'group',
        4: 'version',
        5: 'resource',
        6: 'subresource',
        7: 'name',
      });
    if (f.number === 2) spec['nonResourceAttributes'] = strings(bytes(f), { 1: 'path', 2: 'verb' });
    if (f.number === 3) spec['user'] = str(f);
    if (f.number === 4) spec['groups'] = [...((spec['groups'] as string[]) ?? []), str(f)];
    if (f.number === 6) spec['uid'] = str(f);
  }
  return spec;
}

/** The RBAC kinds and the access reviews (field 1 is ObjectMeta, handled by the caller). */
function rbacField(kind: string, f: Field, obj: Record<string, unknown>): void {
  const push = (name: string, value: unknown) => (obj[name] = [...((obj[name] as unknown[]) ?? []), value]);
  if (kind === 'Role' || kind === 'ClusterRole') {
    if (f.number === 2) push('rules', policyRule(bytes(f)));
    if (f.number === 3 && kind === 'ClusterRole') {
      const selectors = fields(bytes(f))
        .filter((s) => s.number === 1)
        .map((s) => labelSelector(bytes(s)));
      obj['aggregationRule'] = { clusterRoleSelectors: selectors };
    }
  } else if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
    if (f.number === 2)
      push('subjects', dropEmpty(strings(bytes(f), { 1: 'kind', 2: 'apiGroup', 3: 'name', 4: 'namespace' })));
    if (f.number === 3) obj['roleRef'] = strings(bytes(f), { 1: 'apiGroup', 2: 'kind', 3: 'name' });
  } else if (f.number === 2 && kind !== 'SelfSubjectReview') {
    obj['spec'] =
      kind === 'SelfSubjectRulesReview' ? strings(bytes(f), { 1: 'namespace' }) : reviewSpec(bytes(f));
  }
}

/** proto2 clients send empty strings for unset optional fields; JSON omits them. */
function dropEmpty(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== ''));
}

const rbacAndReviewKinds = new Set([
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'SubjectAccessReview',
  'LocalSubjectAccessReview',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
  'SelfSubjectReview',
]);

function typed(kind: string, raw: Buffer): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  const data: Record<string, string> = {};
  const second: Record<string, string> = {};
  for (const f of fields(raw)) {
    if (kind === 'DeleteOptions') {
      if (f.number === 1) obj['gracePeriodSeconds'] = num(f);
      if (f.number === 2) {
        const pre: Record<string, string> = {};
        for (const p of fields(bytes(f))) pre[p.number === 1 ? 'uid' : 'resourceVersion'] = str(p);
        obj['preconditions'] = pre;
      }
      if (f.number === 3) obj['orphanDependents'] = bool(f);
      if (f.number === 4) obj['propagationPolicy'] = str(f);
      if (f.number === 5) obj['dryRun'] = [...((obj['dryRun'] as string[]) ?? []), str(f)];
      continue;
    }
    if (f.number === 1) {
      obj['metadata'] = objectMeta(bytes(f));
      continue;
    }
    if (rbacAndReviewKinds.has(kind)) {
      rbacField(kind, f, obj);
      continue;
    }
    if (kind === 'Namespace' && f.number === 2) {
      obj['spec'] = {
        finalizers: fields(bytes(f))
          .filter((s) => s.number === 1)
          .map(str),
      };
    } else if (kind === 'ConfigMap') {
      if (f.number === 2) Object.assign(data, Object.fromEntries([mapEntry(bytes(f), str)]));
      if (f.number === 3)
        Object.assign(second, Object.fromEntries([mapEntry(bytes(f), (v) => bytes(v).toString('base64'))]));
      if (f.number === 4) obj['immutable'] = bool(f);
    } else if (kind === 'Secret') {
      if (f.number === 2)
        Object.assign(data, Object.fromEntries([mapEntry(bytes(f), (v) => bytes(v).toString('base64'))]));
      if (f.number === 3) obj['type'] = str(f);
      if (f.number === 4) Object.assign(second, Object.fromEntries([mapEntry(bytes(f), str)]));
      if (f.number === 5) obj['immutable'] = bool(f);
    }
  }
  if (Object.keys(data).length) obj['data'] = data;
  if (Object.keys(second).length) obj[kind === 'Secret' ? 'stringData' : 'binaryData'] = second;
  return obj;
}

const supportedKinds = new Set(['Namespace', 'ConfigMap', 'Secret', 'DeleteOptions', ...rbacAndReviewKinds]);

/** Decodes a protobuf request body into the JSON shape of the same object. */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\0') {
    throw badRequest('provided protobuf body does not start with the k8s envelope');
  }
  try {
    let apiVersion = '';
    let kind = '';
    let raw: Buffer = Buffer.alloc(0);
    for (const f of fields(body.subarray(4))) {
      if (f.number === 1) {
        for (const t of fields(bytes(f))) {
          if (t.number === 1) apiVersion = str(t);
          if (t.number === 2) kind = str(t);
        }
      }
      if (f.number === 2) raw = bytes(f);
    }
    if (!supportedKinds.has(kind)) throw unsupportedMediaType(protobufMediaType);
    return { apiVersion, kind, ...typed(kind, raw) };
  } catch (error) {
    if (error instanceof Error && 'code' in error) throw error;
    throw badRequest(`unable to decode protobuf body: ${(error as Error).message}`);
  }
}
