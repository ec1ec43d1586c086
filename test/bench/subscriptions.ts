/**
 * `npm run bench -- subscriptions`: N WebSocket subscribers to clusterUpdated on a gateway in
 * its own process (in-memory fleet), spread over the fleet or all on one cluster; one scale
 * change of a MachineDeployment → time until every affected subscriber has the new replicas
 * (p50 / p99), the gateway's RSS per connection, event-loop lag p99 and CPU per delivered event.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { percentile, round } from './stats.ts';

export interface SubscriptionsOptions {
  sizes: number[];
  clusters: number;
  /** Each delivery window's CPU profile of the gateway goes to `${cpuProfile}-N.cpuprofile`. */
  cpuProfile?: string;
  log: (line: string) => void;
}

export const defaultSubscriptionsOptions = { sizes: [1_000, 10_000], clusters: 100 };

type Reply = Record<string, unknown> & { type: string };

function nextMessage(child: ChildProcess, type: string, timeoutMs = 120_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${type}' from the gateway process`)), timeoutMs);
    const on = (m: Reply) => {
      if (m.type !== type) return;
      clearTimeout(timer);
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
  });
}

async function ask(child: ChildProcess, message: Record<string, unknown>, reply: string): Promise<Reply> {
  const answer = nextMessage(child, reply);
  child.send(message);
  return answer;
}

const QUERY = 'subscription($id: ID!) { clusterUpdated(id: $id) { machineDeployments { desired } } }';

interface Subscriber {
  ws: WebSocket;
  cluster: string;
  /** The replicas of each value received, and when. */
  onValue: (replicas: number) => void;
}

/** One graphql-transport-ws connection with one clusterUpdated subscription; resolves on its first value. */
function subscriber(
  url: string,
  cluster: { id: string; name: string },
  onValue: (r: number) => void,
): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    let first = true;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString()) as {
        type: string;
        payload?: { data?: { clusterUpdated?: { machineDeployments: Array<{ desired: number }> } } };
      };
      if (m.type === 'connection_ack')
        ws.send(
          JSON.stringify({
            id: '1',
            type: 'subscribe',
            payload: { query: QUERY, variables: { id: cluster.id } },
          }),
        );
      if (m.type !== 'next') return;
      const replicas = m.payload?.data?.clusterUpdated?.machineDeployments[0]?.desired ?? -1;
      if (first) {
        first = false;
        resolve({ ws, cluster: cluster.name, onValue });
        return;
      }
      onValue(replicas);
    });
  });
}

async function connectAll(
  url: string,
  targets: Array<{ id: string; name: string }>,
  onValue: (name: string, r: number) => void,
): Promise<Subscriber[]> {
  const all: Subscriber[] = [];
  const batch = 250;
  for (let i = 0; i < targets.length; i += batch)
    all.push(
      ...(await Promise.all(
        targets.slice(i, i + batch).map((t) => subscriber(url, t, (r) => onValue(t.name, r))),
      )),
    );
  return all;
}

async function runOne(
  child: ChildProcess,
  url: string,
  fleet: Array<{ id: string; name: string }>,
  size: number,
  spread: boolean,
): Promise<Record<string, unknown>> {
  const before = (await ask(child, { type: 'measure' }, 'measure')).rss as number;
  const target = fleet[0]!;
  const targets = Array.from({ length: size }, (_, i) => (spread ? fleet[i % fleet.length]! : target));
  let expected = -1;
  let t0 = 0;
  const latencies: number[] = [];
  const affected = targets.filter((t) => t.name === target.name).length;
  let resolveAll: () => void = () => undefined;
  const allDelivered = new Promise<void>((r) => (resolveAll = r));
  const subs = await connectAll(url, targets, (name, replicas) => {
    if (name !== target.name || replicas !== expected) return;
    latencies.push(performance.now() - t0);
    if (latencies.length === affected) resolveAll();
  });
  const after = (await ask(child, { type: 'measure' }, 'measure')).rss as number;
  t0 = performance.now();
  const scaled = ask(child, { type: 'scale', cluster: target.name }, 'scaled');
  expected = (await scaled).replicas as number;
  await Promise.race([
    allDelivered,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`only ${latencies.length}/${affected} delivered`)), 60_000),
    ),
  ]);
  const window = await ask(child, { type: 'window' }, 'window');
  for (const s of subs) s.ws.terminate();
  return {
    scenario: 'subscriptions',
    subscribers: size,
    distribution: spread ? 'spread over the fleet' : 'all on one cluster',
    affected,
    p50_ms: round(percentile(latencies, 50)),
    p99_ms: round(percentile(latencies, 99)),
    rss_bytes_per_connection: Math.round((after - before) / size),
    event_loop_lag_p99_ms: round(window.lagP99Ms as number),
    cpu_us_per_delivered_event: round((window.cpuMicros as number) / affected),
  };
}

export async function runSubscriptions(options: SubscriptionsOptions): Promise<void> {
  const child = fork(fileURLToPath(new URL('./subscriptions-gateway-process.ts', import.meta.url)), [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      BENCH_CLUSTERS: String(options.clusters),
      ...(options.cpuProfile ? { BENCH_PROFILE: options.cpuProfile } : {}),
    },
  });
  try {
    const ready = await nextMessage(child, 'ready');
    const url = ready.url as string;
    const fleet = ready.clusters as Array<{ id: string; name: string }>;
    for (const size of options.sizes)
      for (const spread of [true, false]) {
        const line = await runOne(child, url, fleet, size, spread);
        options.log(JSON.stringify(line));
        // Every subscription is gone before the next size starts.
        for (
          let i = 0;
          i < 200 && ((await ask(child, { type: 'measure' }, 'measure')).listeners as number) > 0;
          i++
        )
          await new Promise((r) => setTimeout(r, 50));
      }
  } finally {
    child.send({ type: 'stop' });
  }
}
