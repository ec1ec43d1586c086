/** The object store's write-ahead log: replay, torn records, compaction while running. */
import { appendFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apiserver/admission.ts';
import { ObjectStore } from '../../apiserver/store.ts';

const key = 'configmaps';

function configMap(store: ObjectStore, name: string, value: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: String(store.nextResourceVersion()),
    },
    data: { value, padding: 'x'.repeat(1000) },
  };
}

describe('object store persistence', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('compacts the log while running and replays to the same state', async () => {
    const path = join(dir, 'store.wal');
    const store = await ObjectStore.open(path, 100, 64 * 1024);
    for (let i = 0; i < 20; i++) await store.write(key, configMap(store, `cm-${i}`, 'initial'));
    // Hundreds of updates to the same few objects: the log must not keep them all.
    for (let round = 0; round < 50; round++) {
      const writes: Array<Promise<void>> = [];
      for (let i = 0; i < 20; i++)
        writes.push(store.write(key, configMap(store, `cm-${i}`, `round-${round}`)));
      await Promise.all(writes);
    }
    await store.delete(key, { ...configMap(store, 'cm-0', 'gone') });
    const rv = store.resourceVersion;
    await store.close();
    expect((await stat(path)).size).toBeLessThan(20 * 1200 * 8);

    await appendFile(path, '{"v":1,"k":"configmaps","o":{"torn');
    const reopened = await ObjectStore.open(path, 100);
    expect(reopened.resourceVersion).toBe(rv);
    expect(reopened.list(key).map((s) => s.obj.metadata.name)).toHaveLength(19);
    expect(reopened.get(key, 'default', 'cm-0')).toBeUndefined();
    expect(reopened.get(key, 'default', 'cm-7')?.obj['data']).toMatchObject({ value: 'round-49' });
    await reopened.close();
  });
});
