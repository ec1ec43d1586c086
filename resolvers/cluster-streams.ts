import type { CacheChangeEvent } from '../src/capi/change-event.ts';
import type { ClusterView, MachineView, ObjectAddress } from '../src/capi/views.ts';
import {
  clusterKey,
  type ClusterChangeHub,
  type ClusterMessage,
} from '../src/subscriptions/cluster-change-hub.ts';
import { latestQueue } from '../src/subscriptions/latest-queue.ts';
import { streamOf, type Step } from '../src/subscriptions/stream.ts';
import { SubscriberTooFarBehindError } from '../src/subscriptions/too-far-behind.ts';
import { filteredClusters, fleetSummary, type ClusterFilter, type FleetSummary } from './clusters.ts';
import type { GatewayContext } from './context.ts';
import { InvalidInputError, ManagementClusterUnavailableError, NotFoundError } from './errors.ts';
import { decodeGlobalId } from './global-id.ts';

/** A value of a stream, or the error its field answers with (the stream goes on). */
export type Streamed<T> = { ok: true; value: T } | { ok: false; error: Error };

/** Values waiting per subscription before intermediate states are dropped. */
const bufferCapacity = 16;

function hubOf(ctx: GatewayContext): ClusterChangeHub {
  if (!ctx.changes) throw new Error('this gateway serves no subscriptions');
  return ctx.changes;
}

function clusterFromId(ctx: GatewayContext, id: string): ClusterView {
  const address = decodeGlobalId(id);
  if (!address || address.kind !== 'Cluster') throw new InvalidInputError('id', 'not the ID of a Cluster');
  const view = ctx.reader.get(address);
  if (view?.viewKind !== 'Cluster') throw new NotFoundError('Cluster', `no Cluster with ID '${id}'`);
  return view;
}

/**
 * What a hub message turns into, computed once per message for all its subscribers: they then
 * hold the same payload object, and src/subscriptions/shared-results.ts executes each distinct
 * selection of it once. Sound because a message reaches only the subscribers of one Cluster
 * (or of the fleet) and the views are read from the gateway's one reader.
 */
function perMessage<M extends object, T>(compute: (message: M) => T): (message: M) => T {
  const memo = new WeakMap<M, T>();
  return (message) => {
    if (memo.has(message)) return memo.get(message) as T;
    const value = compute(message);
    memo.set(message, value);
    return value;
  };
}

function unavailable(message: ClusterMessage): Error | null {
  if (message.kind !== 'availability' || message.unavailable === null) return null;
  return new ManagementClusterUnavailableError(message.managementCluster, message.unavailable);
}

/**
 * The Cluster now, then again after every coalesced change of its tree (whether a selected
 * field changed is decided on the executed result: src/subscriptions/changed-results-only.ts);
 * an unavailable management cluster is an error on the field, and the stream goes on.
 */
export function clusterUpdates(
  ctx: GatewayContext,
  id: string,
): AsyncIterableIterator<Streamed<ClusterView>> {
  const first = clusterFromId(ctx, id);
  const hub = hubOf(ctx);
  const queue = latestQueue<ClusterMessage>(bufferCapacity, () => off());
  const off = hub.subscribeCluster(clusterKey(first.address.managementCluster, first.address), (m) =>
    queue.push(m),
  );
  return streamOf(queue, [{ ok: true, value: first }], (message) => clusterStep(ctx, first.address, message));
}

function clusterNow(reader: GatewayContext['reader'], address: ObjectAddress): Step<Streamed<ClusterView>> {
  const now = reader.get(address);
  if (now?.viewKind !== 'Cluster') return 'end';
  return [{ ok: true, value: now }];
}

/** An unavailable management cluster, as its subscribers' error (one per message). */
const unavailableValue = perMessage((m: ClusterMessage): Streamed<never> | null => {
  const error = unavailable(m);
  return error ? { ok: false, error } : null;
});

/** A batch of one Cluster's tree: the Cluster after it, read once per batch (per reader). */
const changedSteps = new WeakMap<
  GatewayContext['reader'],
  (m: ClusterMessage) => Step<Streamed<ClusterView>>
>();

function clusterStep(
  ctx: GatewayContext,
  address: ObjectAddress,
  message: ClusterMessage,
): Step<Streamed<ClusterView>> {
  const error = unavailableValue(message);
  if (error) return [error];
  // A management cluster back: this Cluster's state now (the message is for all its Clusters).
  if (message.kind !== 'changes') return clusterNow(ctx.reader, address);
  let step = changedSteps.get(ctx.reader);
  if (!step) {
    const reader = ctx.reader;
    step = perMessage((m: ClusterMessage) => clusterNow(reader, m.kind === 'changes' ? m.cluster : address));
    changedSteps.set(reader, step);
  }
  return step(message);
}

export interface MachineEvent {
  type: CacheChangeEvent['type'];
  previous: MachineView | null;
  current: MachineView | null;
}

function machineEventOf(change: CacheChangeEvent): Streamed<MachineEvent> {
  return {
    ok: true,
    value: {
      type: change.type,
      previous: change.old?.viewKind === 'Machine' ? change.old : null,
      current: change.new?.viewKind === 'Machine' ? change.new : null,
    },
  };
}

/** Every coalesced change of the Cluster's Machines, with the view before and after. */
export function machineEvents(
  ctx: GatewayContext,
  clusterId: string,
): AsyncIterableIterator<Streamed<MachineEvent>> {
  const cluster = clusterFromId(ctx, clusterId);
  const hub = hubOf(ctx);
  // Events are not states: a client this far behind is told so instead of silently losing some.
  const queue = latestQueue<ClusterMessage>(1_000, () => off());
  const off = hub.subscribeCluster(clusterKey(cluster.address.managementCluster, cluster.address), (m) =>
    queue.push(m),
  );
  return streamOf(queue, [], (message): Step<Streamed<MachineEvent>> => {
    if (queue.dropped > 0) throw new SubscriberTooFarBehindError('machine events were lost');
    const error = unavailableValue(message);
    if (error) return [error];
    const events = machineEventsOf(message);
    // With authentication, only the Machines this caller may list (the batch is shared by all).
    const access = ctx.access;
    return access ? events.filter((e) => !e.ok || access.allows(machineAddressOf(e.value))) : events;
  });
}

function machineAddressOf(event: MachineEvent): ObjectAddress {
  return ((event.current ?? event.previous) as MachineView).address;
}

/** A batch's Machine changes, once per batch for all the Cluster's subscribers. */
const machineEventsOf = perMessage((m: ClusterMessage): Streamed<MachineEvent>[] =>
  m.kind === 'changes' ? m.changes.filter((c) => c.address.kind === 'Machine').map(machineEventOf) : [],
);

/** The fleet summary now, then after every coalesced change (sent only when it differs). */
export function fleetSummaryUpdates(
  ctx: GatewayContext,
  filter: ClusterFilter | null | undefined,
): AsyncIterableIterator<FleetSummary> {
  const hub = hubOf(ctx);
  const initial = fleetSummary(ctx, filter);
  const queue = latestQueue<ClusterMessage>(1, () => off());
  const off = hub.subscribeFleet((m) => queue.push(m));
  return streamOf(queue, [initial], () => [fleetSummary(ctx, filter)]);
}

export interface ClusterEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'RESYNC';
  cluster: ClusterView | null;
  cursor: string;
}

function keyOf(c: ClusterView): string {
  return clusterKey(c.address.managementCluster, c.address);
}

/**
 * The fleet's clusters matching `filter` as ADDED / MODIFIED / DELETED: first the current set
 * (or, given a `since` this gateway still holds, only what changed after it; else RESYNC and
 * the current set), then every coalesced change. A cluster entering or leaving the filter is
 * ADDED or DELETED for this subscriber.
 */
export function clusterEvents(
  ctx: GatewayContext,
  filter: ClusterFilter | null | undefined,
  since: string | null | undefined,
): AsyncIterableIterator<Streamed<ClusterEvent>> {
  const hub = hubOf(ctx);
  let seen = new Map<string, ClusterView>();
  const matching = (): Map<string, ClusterView> => {
    const result = filteredClusters(ctx, filter);
    const now = new Map(result.items.map((c) => [keyOf(c), c]));
    // A management cluster that cannot answer (gone, or relisting after it came back) keeps
    // its clusters as last seen: they were not deleted, and their return is no second ADDED.
    const away = new Set(result.unavailable.map((u) => u.managementCluster));
    for (const [key, c] of seen) if (!now.has(key) && away.has(c.address.managementCluster)) now.set(key, c);
    return now;
  };
  seen = matching();
  const initial: ClusterEvent[] = [];
  const missed = since ? hub.since(since) : null;
  const start = hub.cursor();
  if (since && missed) {
    const touched = new Map<string, number>();
    for (const m of missed) touched.set(clusterKey(m.managementCluster, m.cluster), m.seq);
    for (const [key, seq] of touched) {
      const now = seen.get(key);
      initial.push({ type: now ? 'MODIFIED' : 'DELETED', cluster: now ?? null, cursor: hub.cursor(seq) });
    }
  } else {
    if (since) initial.push({ type: 'RESYNC', cluster: null, cursor: start });
    for (const c of seen.values()) initial.push({ type: 'ADDED', cluster: c, cursor: start });
  }
  const queue = latestQueue<ClusterMessage>(10_000, () => off());
  const off = hub.subscribeFleet((m) => queue.push(m));
  const event = (value: ClusterEvent): Streamed<ClusterEvent> => ({ ok: true, value });
  return streamOf(queue, initial.map(event), (message): Step<Streamed<ClusterEvent>> => {
    if (queue.dropped > 0) throw new SubscriberTooFarBehindError('resubscribe with the last cursor');
    // A management cluster gone: an error on the path (the stream goes on; its clusters are
    // kept as last seen, and come back as MODIFIED or nothing, never a second ADDED).
    if (message.kind !== 'changes') {
      const elsewhere = filter?.managementCluster && filter.managementCluster !== message.managementCluster;
      return elsewhere ? [] : unavailableEvents(message);
    }
    const key = clusterKey(message.managementCluster, message.cluster);
    const now = matching();
    const before = seen.get(key);
    const after = now.get(key);
    seen = now;
    const cursor = hub.cursor(message.seq);
    if (after) return [event({ type: before ? 'MODIFIED' : 'ADDED', cluster: after, cursor })];
    if (before) return [event({ type: 'DELETED', cluster: before, cursor })];
    return [];
  });
}

/** The error every fleet subscriber answers with while a management cluster is away. */
const unavailableEvents = perMessage((m: ClusterMessage): Streamed<never>[] => {
  const error = unavailableValue(m);
  return error ? [error] : [];
});

export function assertCursor(since: string | null | undefined): void {
  if (since !== null && since !== undefined && !/^[a-z0-9]+\.\d+$/.test(since))
    throw new InvalidInputError('since', 'not a cursor of clusterEvents');
}
