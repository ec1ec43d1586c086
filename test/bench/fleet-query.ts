/**
 * The fleet-query benchmark (issue 5): an embedded management cluster holding N clusters ×
 * (3 control-plane + 10 worker machines) with their infra machines, bootstrap configs, KCP,
 * MD, MS and infra cluster; the full-graph query through the executor yoga serves with
 * (graphql-jit), compared with JSON.stringify of the same result (the floor), the API-backed
 * DataLoader reader and the naive one-LIST-per-field reader.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import type { ExecutionResult } from 'graphql';
import { buildGateway, type Gateway } from '../../src/app.ts';
import type { GatewayContext } from '../../resolvers/context.ts';
import { ApiFleetReader, apiSourcesOf } from './api-reader.ts';
import type { AsyncFleetReader } from './async-fleet-reader.ts';
import { executeInRounds } from './rounds.ts';
import { startBenchCluster, type BenchCluster } from './bench-cluster.ts';
import { benchFleet, machinesPerCluster } from './bench-fleet.ts';
import { countGraph, fullGraphQuery, type FullGraphData, type GraphCounts } from './full-graph-query.ts';
import { kubeHttp } from './kube-http.ts';
import { loadFleet } from './load-fleet.ts';
import { NaiveFleetReader } from './naive-reader.ts';
import { percentile, round } from './stats.ts';

export interface FleetQueryOptions {
  clusters: number;
  /** Measured runs of the cache-backed query (after warm-up). */
  runs: number;
  warmup: number;
  dataloaderRuns: number;
  naiveRuns: number;
  /** The naive reader runs on at most this many clusters; its time is scaled to the fleet. */
  naiveMaxClusters: number;
  concurrency: number;
  /** Write a CPU profile of the measured cache-backed runs here. */
  cpuProfile?: string;
  log: (line: string) => void;
}

export const defaultFleetQueryOptions: FleetQueryOptions = {
  clusters: 1000,
  runs: 20,
  warmup: 3,
  dataloaderRuns: 3,
  naiveRuns: 3,
  naiveMaxClusters: 50,
  concurrency: 32,
  log: (line) => console.log(line),
};

/** The JSON line, in its key order, plus p50 / floor. */
export interface FleetQueryLine {
  scenario: 'fleet-query';
  clusters: number;
  machines: number;
  p50_ms: number;
  p99_ms: number;
  floor_ms: number;
  dataloader_p50_ms: number;
  naive_p50_ms: number;
  heap_bytes_per_object: number;
  sync_ms: number;
  api_requests_during_queries: number;
  p50_over_floor: number;
}

export interface FleetQueryReport {
  line: FleetQueryLine;
  objects: number;
  counts: GraphCounts;
  /** The DataLoader and naive readers returned exactly what the caches did. */
  readersAgree: { dataloader: boolean; naive: boolean };
  /** CPU time of this process per cache-backed run (p50): what the wall time would be on an idle machine. */
  cpuP50Ms: number;
  /** The requests the server saw during the cache-backed runs (should be none). */
  requestsDuringQueries: string[];
  dataloaderRequestsPerQuery: number;
  naiveRequestsPerQuery: number;
  naiveClusters: number;
  loadAverage: number[];
}

type Execute = (context: GatewayContext, first: number) => Promise<ExecutionResult>;

/** The query over a reader that answers with promises, in rounds (rounds.ts). */
function executeOver(reader: AsyncFleetReader, execute: Execute, first: number): Promise<ExecutionResult> {
  return executeInRounds(reader, (context) => execute(context, first));
}

/** The executor yoga itself runs (graphql-jit through envelop, plus the gateway's plugins). */
function yogaExecutor(gateway: Gateway): Execute {
  const { execute, schema } = gateway.yoga.getEnveloped({} as Parameters<Gateway['yoga']['getEnveloped']>[0]);
  return async (contextValue, first) =>
    (await execute({
      schema,
      document: fullGraphQuery,
      contextValue,
      variableValues: { first },
    })) as ExecutionResult;
}

function dataOf(result: ExecutionResult): FullGraphData {
  if (result.errors?.length) {
    const distinct = [...new Set(result.errors.map((e) => e.message))].slice(0, 5);
    throw new Error(`query failed with ${result.errors.length} errors: ${distinct.join('; ')}`);
  }
  return result.data as unknown as FullGraphData;
}

async function startProfiler() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(path: string) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(path, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  collect?.();
}

function cachedObjects(gateway: Gateway): number {
  let n = 0;
  for (const cache of gateway.fleet.caches) for (const [, store] of cache.allStores()) n += store.size;
  return n;
}

async function measureCacheQueries(
  gateway: Gateway,
  execute: Execute,
  cluster: BenchCluster,
  o: FleetQueryOptions,
) {
  for (let i = 0; i < o.warmup; i++) dataOf(await execute(gateway.context(), o.clusters));
  const before = await cluster.requestCount();
  const profiler = o.cpuProfile ? await startProfiler() : undefined;
  const times: number[] = [];
  const floors: number[] = [];
  let last: FullGraphData | undefined;
  const cpu: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    const cpuStart = process.cpuUsage();
    const [result, ms] = await timed(() => execute(gateway.context(), o.clusters));
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
    last = dataOf(result);
    const start = performance.now();
    JSON.stringify(result);
    floors.push(performance.now() - start);
    times.push(ms);
  }
  if (profiler && o.cpuProfile) await profiler.stop(o.cpuProfile);
  const requests = await cluster.requestsSince(before);
  return { times, cpu, floors, requests, data: last! };
}

/**
 * After sync the caches still open their watches; wait until the server has seen no new
 * request for a while, so the measured window holds only what the queries cause.
 */
async function settle(cluster: BenchCluster, quietMs: number, deadlineMs: number): Promise<void> {
  const deadline = performance.now() + deadlineMs;
  let count = await cluster.requestCount();
  let quietSince = performance.now();
  while (performance.now() - quietSince < quietMs && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await cluster.requestCount();
    if (now !== count) {
      count = now;
      quietSince = performance.now();
    }
  }
}

async function measureReader(
  cluster: BenchCluster,
  runs: number,
  run: () => Promise<ExecutionResult>,
): Promise<{ times: number[]; requestsPerQuery: number; data: FullGraphData }> {
  const times: number[] = [];
  const before = await cluster.requestCount();
  let data: FullGraphData | undefined;
  for (let i = 0; i < runs; i++) {
    const [result, ms] = await timed(run);
    data = dataOf(result);
    times.push(ms);
  }
  const requests = (await cluster.requestCount()) - before;
  return { times, requestsPerQuery: Math.round(requests / Math.max(1, runs)), data: data! };
}

export async function runFleetQuery(options: Partial<FleetQueryOptions> = {}): Promise<FleetQueryReport> {
  const o = { ...defaultFleetQueryOptions, ...options };
  const log = o.log;
  if (!(globalThis as { gc?: unknown }).gc) log('note: no --expose-gc, heap per object is approximate');
  const cluster = await startBenchCluster();
  const http = await kubeHttp(cluster.kubeconfigPath, o.concurrency);
  let gateway: Gateway | undefined;
  try {
    const objects = benchFleet({ clusters: o.clusters, namespace: 'fleet' });
    log(`loading ${objects.length} objects (${o.clusters} clusters) into ${cluster.url} …`);
    const load = await loadFleet(http, 'fleet', objects, o.concurrency);
    log(`loaded in ${(load.ms / 1000).toFixed(1)} s (${load.requests} requests)`);

    gateway = buildGateway({
      managementClusters: [{ name: 'bench', kubeconfigPath: cluster.kubeconfigPath }],
      jit: true,
    });
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const syncStart = performance.now();
    gateway.fleet.start();
    if (!(await gateway.fleet.whenSynced(600_000)))
      throw new Error('the gateway did not sync within 10 minutes');
    const syncMs = performance.now() - syncStart;
    gc();
    const cached = cachedObjects(gateway);
    const heapPerObject = (process.memoryUsage().heapUsed - heapBefore) / cached;
    log(
      `synced ${cached} objects in ${Math.round(syncMs)} ms; ${Math.round(heapPerObject)} heap bytes per object`,
    );
    if (cached !== objects.length) throw new Error(`caches hold ${cached} objects, loaded ${objects.length}`);

    await settle(cluster, 1000, 30_000);
    const execute = yogaExecutor(gateway);
    const cache = await measureCacheQueries(gateway, execute, cluster, o);
    const counts = countGraph(cache.data);
    log(`cache-backed: ${o.runs} runs, p50 ${percentile(cache.times, 50).toFixed(1)} ms`);

    const g = gateway;
    // A fresh reader per query, as a cacheless gateway would have per request.
    const dataloader = await measureReader(cluster, o.dataloaderRuns, () =>
      executeOver(new ApiFleetReader(apiSourcesOf(g.fleet)), execute, o.clusters),
    );
    log(`DataLoader: ${o.dataloaderRuns} runs, p50 ${percentile(dataloader.times, 50).toFixed(0)} ms`);

    const naiveClusters = Math.min(o.clusters, o.naiveMaxClusters);
    const naiveHttp = await kubeHttp(cluster.kubeconfigPath, 16);
    const naiveReader = await NaiveFleetReader.connect('bench', cluster.url, naiveHttp);
    const naive = await measureReader(cluster, o.naiveRuns, () =>
      executeOver(naiveReader, execute, naiveClusters),
    );
    naiveHttp.close();
    const naiveScale = o.clusters / naiveClusters;
    log(
      naiveScale === 1
        ? `naive: ${o.naiveRuns} runs, p50 ${percentile(naive.times, 50).toFixed(0)} ms`
        : `naive: ${o.naiveRuns} runs on the first ${naiveClusters} clusters, p50 ${percentile(naive.times, 50).toFixed(0)} ms, scaled ×${naiveScale.toFixed(1)} to the fleet`,
    );

    const p50 = percentile(cache.times, 50);
    const floor = percentile(cache.floors, 50);
    const line: FleetQueryLine = {
      scenario: 'fleet-query',
      clusters: counts.clusters,
      machines: counts.controlPlaneMachines + counts.workerMachines,
      p50_ms: round(p50),
      p99_ms: round(percentile(cache.times, 99)),
      floor_ms: round(floor),
      dataloader_p50_ms: round(percentile(dataloader.times, 50)),
      naive_p50_ms: round(percentile(naive.times, 50) * naiveScale),
      heap_bytes_per_object: Math.round(heapPerObject),
      sync_ms: Math.round(syncMs),
      api_requests_during_queries: cache.requests.length,
      p50_over_floor: round(p50 / floor, 2),
    };
    const expectedEdges = cache.data.clusters.edges.slice(0, naiveClusters);
    return {
      line,
      objects: cached,
      counts,
      readersAgree: {
        dataloader: isDeepStrictEqual(dataloader.data, cache.data),
        naive:
          naive.data.clusters.totalCount === cache.data.clusters.totalCount &&
          isDeepStrictEqual(naive.data.clusters.edges, expectedEdges),
      },
      cpuP50Ms: round(percentile(cache.cpu, 50)),
      requestsDuringQueries: cache.requests,
      dataloaderRequestsPerQuery: dataloader.requestsPerQuery,
      naiveRequestsPerQuery: naive.requestsPerQuery,
      naiveClusters,
      loadAverage: loadavg().map((l) => round(l, 2)),
    };
  } finally {
    http.close();
    await gateway?.fleet.stop();
    await cluster.stop();
  }
}

/** The human summary, then the JSON line last. */
export function printFleetQuery(report: FleetQueryReport, log: (line: string) => void): void {
  const l = report.line;
  const expectedMachines = l.clusters * machinesPerCluster;
  const check = (ok: boolean) => (ok ? 'ok  ' : 'MISS');
  log('');
  log(
    `fleet-query: ${l.clusters} clusters, ${l.machines} machines (${expectedMachines} expected), ${report.objects} objects cached`,
  );
  log(`  load average (1/5/15 min): ${report.loadAverage.join(' / ')} on this 2-core machine, shared`);
  log(
    `  ${check(l.p50_ms <= 150)} p50 ${l.p50_ms} ms (target ≤ 150), p99 ${l.p99_ms} ms ${l.p99_ms <= 400 ? '' : '(target ≤ 400: MISS)'}`,
  );
  log(
    `       CPU time of this process per run (p50) ${report.cpuP50Ms} ms: wall time on a shared machine includes waiting for a core`,
  );
  log(
    `       floor (JSON.stringify of the result) ${l.floor_ms} ms → p50/floor ${l.p50_over_floor}× (aim ≤ 3×)`,
  );
  log(
    `  ${check(l.naive_p50_ms >= 20 * l.p50_ms)} naive ${l.naive_p50_ms} ms = ${(l.naive_p50_ms / l.p50_ms).toFixed(0)}× the p50 (target ≥ 20×); ${report.naiveRequestsPerQuery} requests per query on ${report.naiveClusters} clusters${report.naiveClusters < l.clusters ? ' (time scaled to the fleet)' : ''}`,
  );
  log(`       DataLoader ${l.dataloader_p50_ms} ms, ${report.dataloaderRequestsPerQuery} requests per query`);
  log(
    `  ${check(l.heap_bytes_per_object <= 4096)} heap ${l.heap_bytes_per_object} bytes per cached object (target ≤ 4096)`,
  );
  log(
    `  ${check(l.api_requests_during_queries === 0)} ${l.api_requests_during_queries} API requests during the cache-backed queries (target 0)`,
  );
  log(
    `       sync ${l.sync_ms} ms; readers agree: DataLoader ${report.readersAgree.dataloader}, naive ${report.readersAgree.naive}`,
  );
  log(JSON.stringify(l));
}
