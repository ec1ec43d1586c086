import { CelScalar, celFunc, celMethod, isCelList, listType } from '@bufbuild/cel';
import type { CelFunc, CelList, CelValue } from '@bufbuild/cel';

/**
 * The parts of Kubernetes' CEL libraries (k8s.io/apiserver/pkg/cel/library) that are simple
 * over plain values: list helpers, sets and isURL. Everything else is listed in KNOWN_DIFFERENCES.md.
 */
const LIST = listType(CelScalar.DYN);
const { DYN, BOOL, INT, STRING } = CelScalar;

type Scalar = bigint | number | string | boolean;

function scalars(list: CelList): Scalar[] {
  return [...list].filter((v): v is Scalar => ['bigint', 'number', 'string', 'boolean'].includes(typeof v));
}

function same(a: CelValue, b: CelValue): boolean {
  if (typeof a === 'bigint' && typeof b === 'number') return Number(a) === b;
  if (typeof a === 'number' && typeof b === 'bigint') return a === Number(b);
  if (isCelList(a) && isCelList(b)) return a.size === b.size && [...a].every((v, i) => same(v, b.get(i)!));
  return a === b;
}

function compare(a: Scalar, b: Scalar): number {
  if (typeof a === 'string' || typeof b === 'string')
    return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  return x < y ? -1 : x > y ? 1 : 0;
}

function extreme(list: CelList, sign: 1 | -1): CelValue {
  const values = scalars(list);
  if (values.length === 0) throw new Error('min/max of an empty list');
  return values.reduce((best, v) => (compare(v, best) * sign > 0 ? v : best));
}

function isUrl(s: string): boolean {
  try {
    const url = new URL(s);
    return url.protocol.length > 1;
  } catch {
    return s.startsWith('/');
  }
}

export const kubernetesCelLibrary: CelFunc[] = [
  celMethod('isSorted', LIST, [], BOOL, function (this: CelList) {
    const values = scalars(this);
    return values.every((v, i) => i === 0 || compare(values[i - 1]!, v) <= 0);
  }),
  celMethod('sum', LIST, [], DYN, function (this: CelList) {
    const values = scalars(this);
    if (values.every((v) => typeof v === 'bigint')) return (values as bigint[]).reduce((a, b) => a + b, 0n);
    return values.reduce<number>((a, b) => a + Number(b), 0);
  }),
  celMethod('min', LIST, [], DYN, function (this: CelList) {
    return extreme(this, -1);
  }),
  celMethod('max', LIST, [], DYN, function (this: CelList) {
    return extreme(this, 1);
  }),
  celMethod('indexOf', LIST, [DYN], INT, function (this: CelList, value: CelValue) {
    return BigInt([...this].findIndex((v) => same(v, value)));
  }),
  celMethod('lastIndexOf', LIST, [DYN], INT, function (this: CelList, value: CelValue) {
    return BigInt([...this].findLastIndex((v) => same(v, value)));
  }),
  celFunc('sets.contains', [LIST, LIST], BOOL, (a: CelList, b: CelList) =>
    [...b].every((x) => [...a].some((y) => same(x, y))),
  ),
  celFunc(
    'sets.equivalent',
    [LIST, LIST],
    BOOL,
    (a: CelList, b: CelList) =>
      [...b].every((x) => [...a].some((y) => same(x, y))) &&
      [...a].every((x) => [...b].some((y) => same(x, y))),
  ),
  celFunc('sets.intersects', [LIST, LIST], BOOL, (a: CelList, b: CelList) =>
    [...b].some((x) => [...a].some((y) => same(x, y))),
  ),
  celFunc('isURL', [STRING], BOOL, (s: string) => isUrl(s)),
];
