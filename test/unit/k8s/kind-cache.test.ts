import { describe, expect, it } from 'vitest';
import type { CrdInfo } from '../../../src/k8s/crd-registry.ts';
import { KindCache, type KindChange } from '../../../src/k8s/kind-cache.ts';
import type { KubeObject } from '../../../src/k8s/kube-object.ts';

const crd: CrdInfo = {
  group: 'example.com',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
  servedVersions: ['v1'],
  contract: null,
  version: 'v1',
};

function widget(name: string, resourceVersion: string, size = 'small'): KubeObject {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion },
    spec: { size },
  };
}

interface View {
  name: string;
  size: string;
}

function cacheWithLog() {
  const log: Array<KindChange<View>> = [];
  const cache = new KindCache<View>({
    transform: (o) => ({ name: o.metadata.name, size: (o['spec'] as { size: string }).size }),
    indexers: {},
    onChange: (change) => log.push(change),
  });
  cache.crd = crd;
  const summary = () =>
    log.map((c) => `${c.type} ${c.key} ${c.resourceVersion} ${c.old?.size ?? '-'}→${c.new?.size ?? '-'}`);
  return { cache, log, summary };
}

describe('a kind cache announces each change once', () => {
  it('watch events: ADDED, MODIFIED with old and new views, DELETED with the last view', () => {
    const { cache, summary } = cacheWithLog();
    cache.upsert(widget('a', '1'));
    cache.upsert(widget('a', '2', 'large'));
    cache.remove(widget('a', '3', 'large'));
    expect(summary()).toEqual([
      'ADDED ns/a 1 -→small',
      'MODIFIED ns/a 2 small→large',
      'DELETED ns/a 3 large→-',
    ]);
    expect(cache.store.size).toBe(0);
  });

  it('a relist announces only the difference: new objects, moved resourceVersions, objects gone', () => {
    const { cache, log, summary } = cacheWithLog();
    cache.reset([widget('a', '1'), widget('b', '2'), widget('c', '3')]);
    expect(summary()).toEqual(['ADDED ns/a 1 -→small', 'ADDED ns/b 2 -→small', 'ADDED ns/c 3 -→small']);
    log.length = 0;
    cache.reset([widget('a', '1'), widget('b', '7', 'large'), widget('d', '8')]);
    expect(summary().sort()).toEqual([
      'ADDED ns/d 8 -→small',
      'DELETED ns/c 3 small→-',
      'MODIFIED ns/b 7 small→large',
    ]);
    expect([...cache.store.keys()].sort()).toEqual(['ns/a', 'ns/b', 'ns/d']);
    log.length = 0;
    cache.reset([widget('a', '1'), widget('b', '7', 'large'), widget('d', '8')]);
    expect(log).toEqual([]);
  });

  it('a watch event repeating what is cached announces nothing', () => {
    const { cache, log } = cacheWithLog();
    cache.reset([widget('a', '1')]);
    log.length = 0;
    cache.upsert(widget('a', '1'));
    cache.remove(widget('gone', '5'));
    expect(log).toEqual([]);
  });

  it('a listener sees the store already holding the change', () => {
    const seen: number[] = [];
    const cache: KindCache<View> = new KindCache<View>({
      transform: (o) => ({ name: o.metadata.name, size: 'small' }),
      indexers: {},
      onChange: () => seen.push(cache.store.size),
    });
    cache.crd = crd;
    cache.upsert(widget('a', '1'));
    cache.reset([]);
    expect(seen).toEqual([1, 0]);
  });
});
