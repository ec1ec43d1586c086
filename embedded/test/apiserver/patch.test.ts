/** Strategic merge patch directives kubectl sends for built-in kinds. */
import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch } from '../../apiserver/patch.ts';

const live = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'cm',
    labels: { a: '1', b: '2' },
    finalizers: ['x', 'y'],
    ownerReferences: [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'o1', uid: 'u1' },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'o2', uid: 'u2' },
    ],
  },
  data: { k1: 'v1', k2: 'v2' },
};

describe('strategic merge patch', () => {
  it('merges maps and deletes keys set to null', () => {
    expect(
      applyStrategicMergePatch(live, { data: { k2: null, k3: 'v3' }, metadata: { labels: { c: '3' } } }),
    ).toMatchObject({
      data: { k1: 'v1', k3: 'v3' },
      metadata: { labels: { a: '1', b: '2', c: '3' } },
    });
  });

  it('replaces or deletes a map with $patch, and keeps only $retainKeys', () => {
    expect(applyStrategicMergePatch(live, { data: { $patch: 'replace', only: 'this' } })).toMatchObject({
      data: { only: 'this' },
    });
    expect(applyStrategicMergePatch(live, { data: { $patch: 'delete' } })).not.toHaveProperty('data');
    expect(applyStrategicMergePatch(live, { data: { $retainKeys: ['k1'], k1: 'new' } })).toMatchObject({
      data: { k1: 'new' },
    });
  });

  it('merges finalizers as a set, ownerReferences by uid, and honours $deleteFromPrimitiveList', () => {
    const patched = applyStrategicMergePatch(live, {
      metadata: {
        finalizers: ['z'],
        ownerReferences: [
          { uid: 'u2', name: 'renamed' },
          { uid: 'u1', $patch: 'delete' },
        ],
        '$setElementOrder/finalizers': ['x', 'y', 'z'],
      },
    }) as typeof live;
    expect(patched.metadata.finalizers).toEqual(['x', 'y', 'z']);
    expect(patched.metadata.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'renamed', uid: 'u2' },
    ]);
    const removed = applyStrategicMergePatch(live, {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] },
    }) as typeof live;
    expect(removed.metadata.finalizers).toEqual(['y']);
    expect(live.metadata.finalizers).toEqual(['x', 'y']);
  });
});
