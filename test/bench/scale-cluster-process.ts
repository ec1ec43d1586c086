/**
 * Child process of the fleet-scale benchmark: one embedded management cluster (controllers
 * off), bulk-seeded in process with `scaleFleet` (no HTTP per object), which then churns its
 * Machines on request — a fraction of them per second get a new phase and Ready condition,
 * written over HTTPS through the status subresource as a controller would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedCluster } from '../../embedded/cluster.ts';
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import { kubeHttp } from './kube-http.ts';
import { scaleFleet } from './scale-fleet.ts';

const [name = 'mc', clustersArg = '10', perNamespaceArg = '100', persistentArg = 'false'] =
  process.argv.slice(2);
const send = (message: unknown) => process.send?.(message);

const objects = scaleFleet({
  clusters: Number(clustersArg),
  clustersPerNamespace: Number(perNamespaceArg),
  site: name,
});
const machines = objects.filter((o) => o.kind === 'Machine');
const dataDir = await mkdtemp(join(tmpdir(), `capi-gateway-scale-${name}-`));
const seedStart = performance.now();
const cluster = await startEmbeddedCluster({
  host: '127.0.0.1',
  port: 0,
  dataDir,
  ephemeral: persistentArg !== 'true',
  demo: false,
  speed: 1,
  capiApi: 'v1beta2',
  faults: { machineFailureRate: 0, nodeNotReadyRate: 0 },
  controllers: false,
  // Churn writes come in fast: keep enough history that no watch expires mid-run.
  historySize: 200_000,
  seedObjects: objects,
});
const seedMs = performance.now() - seedStart;
send({
  type: 'ready',
  url: cluster.url,
  kubeconfigPath: cluster.kubeconfigPath,
  objects: objects.length - objects.filter((o) => o.kind === 'Namespace').length,
  seedMs,
  notices: cluster.notices,
});

const http = await kubeHttp(cluster.kubeconfigPath, 16);
const ready = (status: string) => ({
  type: 'Ready',
  status,
  reason: status === 'True' ? 'Ready' : 'NotReady',
  message: '',
  lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  observedGeneration: 1,
});

/** `rate` of the Machines per second for `seconds`; replies with every write and the final phases. */
async function churn(rate: number, seconds: number): Promise<void> {
  const perSecond = Math.max(1, Math.round(machines.length * rate));
  const final: Record<string, string> = {};
  let writes = 0;
  let failed = 0;
  const started = performance.now();
  for (let s = 0; s < seconds; s++) {
    const tick = started + s * 1000;
    const batch: Array<Promise<void>> = [];
    // Distinct machines within a second: two writes of one machine in flight could land in either order.
    const picked = new Set<KubeObject>();
    while (picked.size < Math.min(perSecond, machines.length))
      picked.add(machines[Math.floor(Math.random() * machines.length)]!);
    for (const m of picked) {
      const key = `${m.metadata.namespace}/${m.metadata.name}`;
      const phase = final[key] === 'Provisioned' ? 'Running' : 'Provisioned';
      final[key] = phase;
      const path = `/apis/cluster.x-k8s.io/v1beta2/namespaces/${m.metadata.namespace}/machines/${m.metadata.name}/status`;
      const conditions = ((m['status'] as { conditions?: Array<{ type: string }> }).conditions ?? []).map(
        (c) => (c.type === 'Ready' ? ready(phase === 'Running' ? 'True' : 'False') : c),
      );
      batch.push(
        http.call('PATCH', path, { status: { phase, conditions } }, 'application/merge-patch+json').then(
          () => void writes++,
          () => void failed++,
        ),
      );
    }
    await Promise.all(batch);
    const wait = tick + 1000 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  send({ type: 'churned', writes, failed, final, ms: performance.now() - started });
}

process.on('message', (message: { type?: string; rate?: number; seconds?: number }) => {
  if (message.type === 'churn') void churn(message.rate ?? 0.01, message.seconds ?? 60);
  if (message.type === 'cpu') send({ type: 'cpu', cpu: process.cpuUsage() });
  if (message.type === 'stop') void stop();
});
process.on('disconnect', () => void stop());

async function stop(): Promise<void> {
  http.close();
  await cluster.stop();
  await rm(dataDir, { recursive: true, force: true });
  send({ type: 'stopped' });
  process.disconnect?.();
  process.exit(0);
}
