import { describe, expect, it } from 'vitest';
import { capiFakeKinds, FakeTransport } from '../../gateway/support/fake-transport.ts';

const clusters = { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'clusters', namespaced: true };

describe('the fake transport (kept for faults the embedded server cannot produce)', () => {
  it('honours label selectors like the real server, and answers 400 to a bad one', async () => {
    const transport = new FakeTransport(capiFakeKinds);
    for (const [name, env] of [
      ['a', 'prod'],
      ['b', 'dev'],
      ['c', undefined],
    ] as const)
      transport.put({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name, namespace: 'ns', uid: name, labels: env ? { env } : {} },
      });
    const names = async (labelSelector: string) =>
      (await transport.list(clusters, { labelSelector })).items.map((o) => o.metadata.name).sort();
    expect(await names('env=prod')).toEqual(['a']);
    expect(await names('env in (prod,dev)')).toEqual(['a', 'b']);
    expect(await names('!env')).toEqual(['c']);
    expect(await names('')).toEqual(['a', 'b', 'c']);
    await expect(transport.list(clusters, { labelSelector: 'a b c' })).rejects.toMatchObject({
      statusCode: 400,
    });
  });
});
