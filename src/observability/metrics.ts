/**
 * The gateway's Prometheus metrics (prom-client), in a registry of its own per gateway so two
 * gateways in one process (tests) never share counters. Operation names come from clients: only
 * the first `maxOperationNames` distinct ones get a label of their own, the rest count as
 * "other", so no client can grow the registry without bound.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Fleet } from '../capi/fleet.ts';
import type { LimitName } from '../limits/limit-error.ts';

export type Outcome = 'ok' | 'error' | 'rejected' | 'invalid';
export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';

export const maxOperationNames = 200;

export interface MetricsSources {
  fleet: Fleet;
  activeSubscriptions: () => number;
  activeConnections: () => number;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly names = new Set<string>();
  private readonly requests: Counter<'operation' | 'type' | 'outcome'>;
  private readonly latency: Histogram<'operation' | 'type'>;
  private readonly rejected: Counter<'limit'>;

  constructor(sources: MetricsSources, options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: 'capi_gateway_' });
    this.requests = new Counter({
      name: 'capi_gateway_graphql_requests_total',
      help: 'GraphQL operations by operation name, type and outcome (ok, error, rejected by a limit, invalid)',
      labelNames: ['operation', 'type', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'capi_gateway_graphql_request_duration_seconds',
      help: 'Time from receiving a query or mutation to its result',
      labelNames: ['operation', 'type'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.rejected = new Counter({
      name: 'capi_gateway_rejected_requests_total',
      help: 'Requests refused by a request limit, by limit',
      labelNames: ['limit'],
      registers,
    });
    new Gauge({
      name: 'capi_gateway_active_subscriptions',
      help: 'Subscriptions open now (WebSocket and SSE)',
      registers,
      collect() {
        this.set(sources.activeSubscriptions());
      },
    });
    new Gauge({
      name: 'capi_gateway_active_connections',
      help: 'graphql-ws WebSocket connections open now',
      registers,
      collect() {
        this.set(sources.activeConnections());
      },
    });
    this.fleetGauges(sources.fleet, registers);
  }

  private fleetGauges(fleet: Fleet, registers: Registry[]): void {
    new Gauge({
      name: 'capi_gateway_cache_objects',
      help: 'Objects in the informer caches, per management cluster and kind (group/kind)',
      labelNames: ['management_cluster', 'kind'],
      registers,
      collect() {
        this.reset();
        for (const cache of fleet.caches)
          for (const [kind, store] of cache.allStores())
            this.set({ management_cluster: cache.name, kind }, store.size);
      },
    });
    const stateGauge = (
      name: string,
      help: string,
      pick: (s: { synced: boolean; reachable: boolean }) => boolean,
    ) =>
      new Gauge({
        name,
        help,
        labelNames: ['management_cluster'],
        registers,
        collect() {
          this.reset();
          for (const status of fleet.reader.managementClusters())
            this.set({ management_cluster: status.name }, pick(status) ? 1 : 0);
        },
      });
    stateGauge(
      'capi_gateway_management_cluster_synced',
      '1 when every cache of the management cluster has synced',
      (s) => s.synced,
    );
    stateGauge(
      'capi_gateway_management_cluster_reachable',
      '1 when the management cluster answers',
      (s) => s.reachable,
    );
  }

  /** The label for a client's operation name (bounded, see above). */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.names.has(name)) return name;
    if (this.names.size >= maxOperationNames) return 'other';
    this.names.add(name);
    return name;
  }

  observe(
    operation: string | null | undefined,
    type: OperationType,
    outcome: Outcome,
    seconds?: number,
  ): void {
    const label = this.operationLabel(operation);
    this.requests.inc({ operation: label, type, outcome });
    if (seconds !== undefined) this.latency.observe({ operation: label, type }, seconds);
  }

  rejectedBy(limits: readonly LimitName[]): void {
    for (const limit of new Set(limits)) this.rejected.inc({ limit });
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
