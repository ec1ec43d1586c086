/**
 * The fleet-scale benchmark (issue 15): M embedded management clusters (default 10), each
 * bulk-seeded in its own process with N clusters (default 1,000) × 44 objects, and one gateway
 * over all of them in this process. Measures sync from cold, heap, the maintained fleet summary,
 * an indexed filtered page, one cluster's tree, one management cluster's full graph, and the
 * gateway's CPU while 1 % of the machines change every second (no event lost).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parse, print, type DocumentNode, type ExecutionResult } from 'graphql';
import { buildGateway, type Gateway } from '../../src/app.ts';
import { CAPI_GROUP } from '../../src/capi/kinds.ts';
import { fullGraphQuery } from './full-graph-query.ts';
import { whenQuiet } from './quiet-processes.ts';
import { scaleVersions } from './scale-fleet.ts';
import { percentile, round } from './stats.ts';

export interface FleetScaleOptions {
  managementClusters: number;
  /** Workload clusters per management cluster. */
  clusters: number;
  clustersPerNamespace: number;
  runs: number;
  /** Runs of the one-management-cluster full graph (each is ~100 ms of CPU at 1,000 clusters). */
  graphRuns: number;
  churnSeconds: number;
  /** Fraction of the machines changed per second. */
  churnRate: number;
  /** Keep the embedded clusters' WAL on disk (default: in memory; seeding takes the same path). */
  persistent: boolean;
  log: (line: string) => void;
}

export const defaultFleetScaleOptions: FleetScaleOptions = {
  managementClusters: 10,
  clusters: 1000,
  clustersPerNamespace: 100,
  runs: 20,
  graphRuns: 5,
  churnSeconds: 60,
  churnRate: 0.01,
  persistent: false,
  log: (line) => console.log(line),
};

/** The JSON line, in its key order. */
export interface FleetScaleLine {
  scenario: 'fleet-scale';
  management_clusters: number;
  clusters: number;
  machines: number;
  objects: number;
  sync_ms: number;
  heap_bytes: number;
  heap_bytes_per_object: number;
  fleet_summary_p50_ms: number;
  filtered_page_p50_ms: number;
  cluster_tree_p50_ms: number;
  one_mc_full_graph_p50_ms: number;
  churn_cpu_percent: number;
}

export interface FleetScaleReport {
  line: FleetScaleLine;
  seedMs: number;
  churn: { writes: number; failed: number; events: number; lost: number; seconds: number };
  filteredTotal: number;
  loadAverage: number[];
}

interface Child {
  name: string;
  process: ChildProcess;
  url: string;
  kubeconfigPath: string;
  objects: number;
  seedMs: number;
}

interface Message {
  type: string;
  [key: string]: unknown;
}

function next(child: ChildProcess, type: string, timeoutMs: number): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no '${type}' within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: Message) => m.type === type && done(undefined, m);
    const onExit = (code: number | null) => done(new Error(`management cluster process exited (${code})`));
    const done = (err?: Error, m?: Message) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(m!);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function startChild(name: string, o: FleetScaleOptions): Promise<Child> {
  const child = fork(
    fileURLToPath(new URL('./scale-cluster-process.ts', import.meta.url)),
    [name, String(o.clusters), String(o.clustersPerNamespace), String(o.persistent)],
    {
      execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const ready = await next(child, 'ready', 3_600_000);
  return {
    name,
    process: child,
    url: ready['url'] as string,
    kubeconfigPath: ready['kubeconfigPath'] as string,
    objects: ready['objects'] as number,
    seedMs: ready['seedMs'] as number,
  };
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
  child.process.send({ type: 'stop' });
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  collect?.();
}

/** The selection of one cluster in the full-graph query, for the one-cluster tree. */
function nodeSelection(): { body: string; fragments: string } {
  const text = print(fullGraphQuery);
  const start = text.indexOf('node {') + 'node '.length;
  let depth = 0;
  let end = start;
  for (; end < text.length; end++) {
    if (text[end] === '{') depth++;
    if (text[end] === '}' && --depth === 0) break;
  }
  const fragmentsAt = text.indexOf('fragment ');
  return { body: text.slice(start, end + 1), fragments: text.slice(fragmentsAt) };
}

const { body, fragments } = nodeSelection();
const treeQuery = parse(`query Tree($mc: String!, $ns: String!, $name: String!) {
  cluster(managementCluster: $mc, namespace: $ns, name: $name) { ... on Cluster ${body} }
} ${fragments}`);
const oneMcGraphQuery = parse(
  print(fullGraphQuery)
    .replace('($first: Int!)', '($first: Int!, $mc: String!)')
    .replace('clusters(first: $first)', 'clusters(first: $first, filter: {managementCluster: $mc})'),
);
const summaryQuery = parse(`{ fleetSummary { clusters byPhase { key count } byKubernetesVersion { key count }
  byInfrastructureKind { key count } byManagementCluster { key count } } }`);
const filteredQuery = parse(`query Filtered($version: String!) {
  clusters(first: 50, filter: { phase: Provisioned, kubernetesVersion: $version, labelSelector: "region=eu" }) {
    totalCount edges { cursor node { id name namespace phase kubernetesVersion labels { key value } } }
  }
}`);

type Execute = (document: DocumentNode, variables: Record<string, unknown>) => Promise<ExecutionResult>;

function executorOf(gateway: Gateway): Execute {
  const { execute, schema } = gateway.yoga.getEnveloped({} as Parameters<Gateway['yoga']['getEnveloped']>[0]);
  return async (document, variableValues) => {
    const result = (await execute({
      schema,
      document,
      contextValue: gateway.context(),
      variableValues,
    })) as ExecutionResult;
    if (result.errors?.length) throw new Error(`query failed: ${result.errors[0]!.message}`);
    return result;
  };
}

async function p50Of(runs: number, run: (i: number) => Promise<unknown>): Promise<number> {
  await run(-1);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run(i);
    times.push(performance.now() - start);
  }
  return round(percentile(times, 50));
}

export async function runFleetScale(options: Partial<FleetScaleOptions> = {}): Promise<FleetScaleReport> {
  const o = { ...defaultFleetScaleOptions, ...options };
  const log = o.log;
  const names = Array.from({ length: o.managementClusters }, (_, i) => `edge-${String(i).padStart(2, '0')}`);
  log(
    `seeding ${o.managementClusters} management clusters × ${o.clusters} clusters (in their own processes) …`,
  );
  const seedStart = performance.now();
  const children: Child[] = [];
  let gateway: Gateway | undefined;
  try {
    // Two at a time: seeding is CPU-bound, and ten at once only share the same two cores.
    for (let i = 0; i < names.length; i += 2) {
      children.push(...(await Promise.all(names.slice(i, i + 2).map((n) => startChild(n, o)))));
      log(`  ${children.length} seeded (${Math.round((performance.now() - seedStart) / 1000)} s)`);
    }
    const seedMs = performance.now() - seedStart;
    const objects = children.reduce((n, c) => n + c.objects, 0);

    gateway = buildGateway({
      managementClusters: children.map((c) => ({ name: c.name, kubeconfigPath: c.kubeconfigPath })),
      jit: true,
    });
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const syncStart = performance.now();
    gateway.fleet.start();
    if (!(await gateway.fleet.whenSynced(1_800_000)))
      throw new Error('the gateway did not sync within 30 minutes');
    const syncMs = performance.now() - syncStart;
    gc();
    const heapBytes = process.memoryUsage().heapUsed - heapBefore;
    let cached = 0;
    for (const cache of gateway.fleet.caches) for (const [, store] of cache.allStores()) cached += store.size;
    log(`synced ${cached} objects in ${Math.round(syncMs)} ms; heap ${Math.round(heapBytes / 1e6)} MB`);
    if (cached !== objects) throw new Error(`caches hold ${cached} objects, seeded ${objects}`);

    // The management clusters share the gateway's cores here (not so in a real fleet): measure
    // the queries once they have stopped collecting the garbage of seeding and serving the sync.
    const quiet = await whenQuiet(children.flatMap((c) => (c.process.pid ? [c.process.pid] : [])));
    log(
      `management cluster processes ${quiet.quiet ? 'quiet' : 'still busy'} after ${Math.round(quiet.waitedMs / 1000)} s ` +
        `(${quiet.lastPercent.toFixed(1)} % of a core)`,
    );

    const execute = executorOf(gateway);
    const summaryP50 = await p50Of(o.runs, () => execute(summaryQuery, {}));
    let filteredTotal = 0;
    const filteredP50 = await p50Of(o.runs, async (i) => {
      const r = await execute(filteredQuery, { version: scaleVersions[Math.abs(i) % 3] });
      filteredTotal = (r.data as { clusters: { totalCount: number } }).clusters.totalCount;
    });
    const treeP50 = await p50Of(o.runs, (i) => {
      const k = Math.abs(i * 7919) % (o.clusters * o.managementClusters);
      const mc = names[k % names.length]!;
      const c = Math.floor(k / names.length);
      const ns = `sites-${String(Math.floor(c / o.clustersPerNamespace)).padStart(3, '0')}`;
      const name = `cluster-${String(c % o.clustersPerNamespace).padStart(4, '0')}`;
      return execute(treeQuery, { mc, ns, name });
    });
    const graphP50 = await p50Of(o.graphRuns, (i) =>
      execute(oneMcGraphQuery, { first: o.clusters, mc: names[Math.abs(i) % names.length] }),
    );
    log(
      `queries: summary ${summaryP50} ms, filtered ${filteredP50} ms, tree ${treeP50} ms, one MC graph ${graphP50} ms`,
    );

    // Churn: count the Machine changes every cache announces, and the gateway's CPU meanwhile.
    let events = 0;
    const unsubscribe = gateway.fleet.caches.map((cache) =>
      cache.subscribe((e) => {
        if (e.type === 'MODIFIED' && e.address.kind === 'Machine') events++;
      }),
    );
    log(`churn: ${o.churnRate * 100} % of the machines per second for ${o.churnSeconds} s …`);
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    const churned = await Promise.all(
      children.map((c) => {
        const reply = next(c.process, 'churned', (o.churnSeconds + 600) * 1000);
        c.process.send({ type: 'churn', rate: o.churnRate, seconds: o.churnSeconds });
        return reply;
      }),
    );
    // Until every final state is in the caches (or a minute has passed).
    const finals = churned.map((m, i) => [children[i]!.name, m['final'] as Record<string, string>] as const);
    const missing = () => {
      let n = 0;
      for (const [mc, final] of finals)
        for (const [key, phase] of Object.entries(final)) {
          const [namespace, name] = key.split('/') as [string, string];
          const view = gateway!.fleet.reader.get({
            managementCluster: mc,
            group: CAPI_GROUP,
            kind: 'Machine',
            namespace,
            name,
          });
          if (view?.viewKind !== 'Machine' || view.phase !== phase) n++;
        }
      return n;
    };
    const deadline = performance.now() + 60_000;
    let lost = missing();
    while (lost > 0 && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      lost = missing();
    }
    const used = process.cpuUsage(cpuStart);
    const wallMs = performance.now() - wallStart;
    unsubscribe.forEach((u) => u());
    const writes = churned.reduce((n, m) => n + (m['writes'] as number), 0);
    const failed = churned.reduce((n, m) => n + (m['failed'] as number), 0);
    const churnCpu = ((used.user + used.system) / 1000 / wallMs) * 100;
    log(
      `churn: ${writes} writes (${failed} failed), ${events} events, ${lost} final states missing; CPU ${churnCpu.toFixed(1)} %`,
    );

    const machines = (o.clusters * o.managementClusters * 13) as number;
    const line: FleetScaleLine = {
      scenario: 'fleet-scale',
      management_clusters: o.managementClusters,
      clusters: o.clusters * o.managementClusters,
      machines,
      objects: cached,
      sync_ms: Math.round(syncMs),
      heap_bytes: heapBytes,
      heap_bytes_per_object: Math.round(heapBytes / cached),
      fleet_summary_p50_ms: summaryP50,
      filtered_page_p50_ms: filteredP50,
      cluster_tree_p50_ms: treeP50,
      one_mc_full_graph_p50_ms: graphP50,
      churn_cpu_percent: round(churnCpu, 1),
    };
    return {
      line,
      seedMs,
      churn: { writes, failed, events, lost: lost + Math.max(0, writes - events), seconds: o.churnSeconds },
      filteredTotal,
      loadAverage: loadavg().map((l) => round(l, 2)),
    };
  } finally {
    await gateway?.fleet.stop();
    await Promise.all(children.map(stopChild));
  }
}

export function printFleetScale(report: FleetScaleReport, log: (line: string) => void): void {
  const l = report.line;
  const check = (ok: boolean) => (ok ? 'ok  ' : 'MISS');
  log('');
  log(
    `fleet-scale: ${l.management_clusters} management clusters, ${l.clusters} clusters, ${l.machines} machines, ${l.objects} objects`,
  );
  log(`  load average (1/5/15 min): ${report.loadAverage.join(' / ')} on this 2-core machine, shared`);
  log(
    `       seeding (all management clusters, bulk, in their processes) ${Math.round(report.seedMs / 1000)} s`,
  );
  log(`  ${check(l.sync_ms <= 60_000)} sync ${l.sync_ms} ms (target ≤ 60 s)`);
  log(`  ${check(l.heap_bytes <= 1.5e9)} heap ${Math.round(l.heap_bytes / 1e6)} MB (target ≤ 1,500 MB)`);
  log(
    `  ${check(l.heap_bytes_per_object <= 3072)} ${l.heap_bytes_per_object} bytes per object (target ≤ 3,072)`,
  );
  log(`  ${check(l.fleet_summary_p50_ms <= 20)} fleetSummary p50 ${l.fleet_summary_p50_ms} ms (target ≤ 20)`);
  log(
    `  ${check(l.filtered_page_p50_ms <= 20)} filtered page p50 ${l.filtered_page_p50_ms} ms (target ≤ 20; ${report.filteredTotal} matches)`,
  );
  log(
    `  ${check(l.cluster_tree_p50_ms <= 5)} one cluster's tree p50 ${l.cluster_tree_p50_ms} ms (target ≤ 5)`,
  );
  log(
    `  ${check(l.one_mc_full_graph_p50_ms <= 150)} one management cluster's full graph p50 ${l.one_mc_full_graph_p50_ms} ms (target ≤ 150)`,
  );
  log(
    `  ${check(l.churn_cpu_percent <= 50 && report.churn.lost === 0)} churn CPU ${l.churn_cpu_percent} % of one core (target ≤ 50); ${report.churn.writes} writes, ${report.churn.events} events, ${report.churn.lost} lost`,
  );
  log(JSON.stringify(l));
}
