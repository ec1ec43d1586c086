import { describe, expect, it, vi } from 'vitest';
import type { CacheChangeEvent, CacheChangeListener } from '../../../src/capi/change-event.ts';
import type { ManagementClusterCache } from '../../../src/capi/management-cluster-cache.ts';
import type { CapiView } from '../../../src/capi/views.ts';
import {
  ClusterChangeHub,
  clusterKey,
  type ClusterMessage,
} from '../../../src/subscriptions/cluster-change-hub.ts';

/** Just what the hub reads of a management cluster cache: its change events and sync state. */
function fakeCache(name: string) {
  const listeners = new Set<CacheChangeListener>();
  const syncListeners = new Set<() => void>();
  let reachable = true;
  const cache = {
    name,
    subscribe: (l: CacheChangeListener) => (listeners.add(l), () => listeners.delete(l)),
    connection: {
      onChange: (l: () => void) => (syncListeners.add(l), () => syncListeners.delete(l)),
      syncState: () => ({
        reachable,
        synced: reachable,
        lastSyncTime: null,
        error: reachable ? null : { message: 'down' },
      }),
    },
  };
  return {
    cache: cache as unknown as ManagementClusterCache,
    emit: (e: CacheChangeEvent) => listeners.forEach((l) => l(e)),
    setReachable: (r: boolean) => {
      reachable = r;
      syncListeners.forEach((l) => l());
    },
    listeners: () => listeners.size + syncListeners.size,
  };
}

const cluster = {
  managementCluster: 'mc',
  group: 'cluster.x-k8s.io',
  kind: 'Cluster',
  namespace: 'ns',
  name: 'c1',
};
const machine = (name: string) => ({ ...cluster, kind: 'Machine', name });
const view = (tag: string) => ({ tag }) as unknown as CapiView;

function change(
  type: CacheChangeEvent['type'],
  name: string,
  old: string | null,
  now: string | null,
  c = cluster,
): CacheChangeEvent {
  return {
    type,
    managementCluster: 'mc',
    address: machine(name),
    old: old ? view(old) : null,
    new: now ? view(now) : null,
    resourceVersion: '1',
    cluster: c,
  };
}

describe('the subscriptions pub/sub', () => {
  it('coalesces per cluster: one batch per window, latest state per object, no ADDED twice', () => {
    vi.useFakeTimers();
    try {
      const mc = fakeCache('mc');
      const hub = new ClusterChangeHub([mc.cache], { coalesceMs: 100 });
      hub.start();
      const got: ClusterMessage[] = [];
      const other: ClusterMessage[] = [];
      hub.subscribeCluster(clusterKey('mc', cluster), (m) => got.push(m));
      hub.subscribeCluster(clusterKey('mc', { namespace: 'ns', name: 'c2' }), (m) => other.push(m));
      mc.emit(change('ADDED', 'm1', null, 'a'));
      mc.emit(change('MODIFIED', 'm1', 'a', 'b'));
      mc.emit(change('MODIFIED', 'm2', 'x', 'y'));
      mc.emit(change('DELETED', 'm2', 'y', null));
      mc.emit(change('ADDED', 'm2', null, 'z')); // a relist's re-add: a MODIFIED from x
      mc.emit(change('ADDED', 'm3', null, 'p'));
      mc.emit(change('DELETED', 'm3', 'p', null)); // came and went: nothing
      expect(got).toEqual([]);
      vi.advanceTimersByTime(100);
      expect(got).toHaveLength(1);
      const batch = got[0]!;
      if (batch.kind !== 'changes') throw new Error('expected changes');
      expect(
        batch.changes.map((c) => [
          c.type,
          c.address.name,
          (c.old as { tag?: string } | null)?.tag ?? null,
          (c.new as { tag?: string } | null)?.tag ?? null,
        ]),
      ).toEqual([
        ['ADDED', 'm1', null, 'b'],
        ['MODIFIED', 'm2', 'x', 'z'],
      ]);
      expect(other).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends a quiet cluster’s change on the next tick, then at most one batch per window per cluster', () => {
    vi.useFakeTimers();
    try {
      const mc = fakeCache('mc');
      const hub = new ClusterChangeHub([mc.cache], { coalesceMs: 100, now: () => Date.now() });
      hub.start();
      const got: Array<[number, string[]]> = [];
      const other: Array<[number, string[]]> = [];
      const t0 = Date.now();
      const record = (into: Array<[number, string[]]>) => (m: ClusterMessage) => {
        if (m.kind === 'changes')
          into.push([Date.now() - t0, m.changes.map((c) => (c.new as { tag?: string } | null)?.tag ?? '')]);
      };
      hub.subscribeCluster(clusterKey('mc', cluster), record(got));
      const c2 = { ...cluster, name: 'c2' };
      hub.subscribeCluster(clusterKey('mc', c2), record(other));
      mc.emit(change('MODIFIED', 'm1', 'a', 'b'));
      expect(got).toEqual([]); // the same tick's changes still fold into it
      vi.advanceTimersByTime(1);
      expect(got).toEqual([[0, ['b']]]);
      // Within the window: held, folded, sent one window after the first batch.
      vi.advanceTimersByTime(9);
      mc.emit(change('MODIFIED', 'm1', 'b', 'c'));
      mc.emit(change('MODIFIED', 'm2', 'x', 'y'));
      // Another cluster is not held by this one's window.
      mc.emit(change('MODIFIED', 'm9', 'p', 'q', c2));
      vi.advanceTimersByTime(1);
      expect(other).toEqual([[10, ['q']]]);
      vi.advanceTimersByTime(85);
      expect(got).toHaveLength(1);
      vi.advanceTimersByTime(10);
      expect(got).toEqual([
        [0, ['b']],
        [100, ['c', 'y']],
      ]);
      // Quiet for a window again: the next change goes out at once.
      vi.advanceTimersByTime(300);
      mc.emit(change('MODIFIED', 'm1', 'c', 'd'));
      vi.advanceTimersByTime(1);
      expect(got.at(-1)).toEqual([406, ['d']]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('tells a cluster’s subscribers when its management cluster goes away and comes back', () => {
    const mc = fakeCache('mc');
    const hub = new ClusterChangeHub([mc.cache], { coalesceMs: 0 });
    hub.start();
    const got: ClusterMessage[] = [];
    hub.subscribeCluster(clusterKey('mc', cluster), (m) => got.push(m));
    mc.setReachable(false);
    mc.setReachable(false);
    mc.setReachable(true);
    expect(got).toEqual([
      { kind: 'availability', managementCluster: 'mc', unavailable: 'down' },
      { kind: 'availability', managementCluster: 'mc', unavailable: null },
    ]);
  });

  it('resumes from a cursor it holds; an unknown or too old one is null (resync)', () => {
    const mc = fakeCache('mc');
    const hub = new ClusterChangeHub([mc.cache], { coalesceMs: 0, historySize: 2 });
    hub.start();
    const start = hub.cursor();
    for (const n of ['m1', 'm2', 'm3']) {
      mc.emit(change('ADDED', n, null, 'a'));
      hub.flush();
    }
    expect(hub.since(start)).toBeNull();
    expect(hub.since(hub.cursor(1))?.map((m) => m.seq)).toEqual([2, 3]);
    expect(hub.since('other.1')).toBeNull();
  });

  it('unsubscribing leaves nothing behind; stop() leaves the caches without listeners', () => {
    const mc = fakeCache('mc');
    const hub = new ClusterChangeHub([mc.cache]);
    hub.start();
    const offs = [hub.subscribeCluster('mc/ns/c1', () => undefined), hub.subscribeFleet(() => undefined)];
    const same = () => undefined;
    offs.push(hub.subscribeCluster('mc/ns/c1', same), hub.subscribeCluster('mc/ns/c1', same));
    expect(hub.listenerCount).toBe(4);
    offs.forEach((off) => off());
    offs.forEach((off) => off());
    expect(hub.listenerCount).toBe(0);
    hub.stop();
    expect(mc.listeners()).toBe(0);
  });
});
