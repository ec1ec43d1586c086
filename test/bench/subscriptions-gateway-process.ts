/**
 * Child process of the subscriptions benchmark: the gateway on a port over an in-memory fleet
 * (one fake management cluster), so its RSS, CPU and event-loop lag are measured without the
 * benchmark's own WebSocket clients. Commands over IPC: measure, scale, stop.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { percentile } from './stats.ts';
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import { encodeGlobalId } from '../../resolvers/global-id.ts';
import { startFakeApp } from '../gateway/support/fake-app.ts';
import { syntheticFleet } from '../gateway/support/synthetic-fleet.ts';

const clusters = Number(process.env['BENCH_CLUSTERS'] ?? '100');
const objects = syntheticFleet({ clusters, controlPlaneMachines: 1, workerMachines: 2 });
// Ten thousand subscribers from one client process: one caller, far past the per-caller caps.
const { app, transport } = await startFakeApp(objects, {
  subscriptions: { coalesceMs: 100 },
  limits: { connections: 100_000, subscriptions: 100_000 },
});
const send = (message: unknown) => process.send?.(message);
const gc = (globalThis as { gc?: () => void }).gc;
/**
 * Event-loop lag as a 10 ms ticker sees it (how late each tick fires): node's histogram
 * (monitorEventLoopDelay) reported 0 over windows in which the loop was busy for seconds.
 */
let lags: number[] = [];
let expectedAt = performance.now() + 10;
setInterval(() => {
  const now = performance.now();
  lags.push(Math.max(0, now - expectedAt));
  expectedAt = now + 10;
}, 10).unref();
let cpu = process.cpuUsage();
/** With BENCH_PROFILE=prefix, each delivery window's CPU profile goes to prefix-N.cpuprofile. */
const profilePrefix = process.env['BENCH_PROFILE'];
const profiler = profilePrefix ? new Session() : null;
let profiles = 0;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
}

const fleet = app.gateway.fleet.reader.clusters().items;
send({
  type: 'ready',
  url: app.url,
  clusters: fleet.map((c) => ({ id: encodeGlobalId(c.address), name: c.address.name })),
});

let replicas = 2;
process.on('message', (message: { type?: string; cluster?: string }) => {
  if (message.type === 'measure') {
    gc?.();
    send({ type: 'measure', rss: process.memoryUsage().rss, listeners: app.gateway.changes.listenerCount });
  }
  if (message.type === 'scale') {
    if (profiler) void profiler.post('Profiler.start');
    lags = [];
    cpu = process.cpuUsage();
    const md = objects.find(
      (o): o is KubeObject =>
        o.kind === 'MachineDeployment' &&
        (o.spec as { clusterName?: string }).clusterName === message.cluster,
    )!;
    const copy = structuredClone(md);
    (copy.spec as Record<string, unknown>)['replicas'] = ++replicas;
    transport.put(copy);
    send({ type: 'scaled', replicas });
  }
  if (message.type === 'window') {
    const used = process.cpuUsage(cpu);
    if (profiler)
      void profiler.post('Profiler.stop').then(({ profile }) => {
        writeFileSync(`${profilePrefix}-${++profiles}.cpuprofile`, JSON.stringify(profile));
      });
    send({
      type: 'window',
      lagP99Ms: lags.length > 0 ? percentile(lags, 99) : 0,
      cpuMicros: used.user + used.system,
    });
  }
  if (message.type === 'stop') void app.stop().then(() => process.exit(0));
});
process.on('disconnect', () => void app.stop().finally(() => process.exit(0)));
