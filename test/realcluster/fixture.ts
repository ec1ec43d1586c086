/**
 * A real management cluster on loopback: etcd, kube-apiserver, kube-controller-manager (garbage
 * collector and namespace lifecycle) and the Cluster API managers (core, kubeadm bootstrap,
 * kubeadm control plane, docker/dev provider with its in-memory backend), built from Go modules
 * by build.sh. Used by the contract tests and by `npm run realcluster -- up`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { findRealClusterInstall, providerNames } from './install.ts';
import type { BinaryName, ProviderName, RealClusterInstall } from './install.ts';
import { createCertificateAuthority, createServiceAccountKeyPair, issueCertificate } from './certs.ts';
import type { CertificateAuthority, PemKeyPair } from './certs.ts';
import { freePorts, inMemoryPortRange } from './ports.ts';
import type { PortRange } from './ports.ts';
import { startProcess } from './managed-process.ts';
import type { ManagedProcess } from './managed-process.ts';
import { pollUntil } from './poll.ts';
import { answersOk } from './https-probe.ts';
import { apiRequest, createObject } from './api-request.ts';
import type { ApiTarget } from './api-request.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { providerCrds, providerWebhookConfigurations } from './provider-manifests.ts';
import type { ManifestObject, WebhookEndpoint } from './provider-manifests.ts';

export interface RealClusterOptions {
  /** Keeps pki/, logs/ and kubeconfig here (etcd data is started fresh); a temp dir otherwise. */
  dataDir?: string;
  /** Progress lines (start-up steps); silent by default. */
  log?: (line: string) => void;
  /** More users for kube-apiserver's `--token-auth-file` (its CSV lines: `token,user,uid,"g1,g2"`). */
  extraTokenLines?: string[];
  /** Overall start-up deadline. */
  startTimeoutMs?: number;
}

export interface RealCluster {
  kubeconfigPath: string;
  /** https://127.0.0.1:PORT */
  url: string;
  /** Bearer token of a `system:masters` user (static token file). */
  token: string;
  caPem: string;
  dataDir: string;
  logDir: string;
  stop(): Promise<void>;
}

const managerBinary: Record<ProviderName, BinaryName> = {
  core: 'capi-core',
  'bootstrap-kubeadm': 'capi-kubeadm-bootstrap',
  'control-plane-kubeadm': 'capi-kubeadm-control-plane',
  'infrastructure-docker': 'capi-docker',
};

interface Layout {
  dataDir: string;
  ownsDataDir: boolean;
  pki: string;
  logs: string;
  etcdData: string;
  kubeconfigPath: string;
}

interface Pki {
  ca: CertificateAuthority;
  token: string;
  files: {
    caCert: string;
    apiserverCert: string;
    apiserverKey: string;
    saPublic: string;
    saPrivate: string;
    tokens: string;
    webhookCertDir: string;
  };
}

interface ManagerPorts {
  webhook: number;
  health: number;
  diagnostics: number;
}

interface Ports {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  managers: Record<ProviderName, ManagerPorts>;
  inMemory: PortRange;
}

/** Starts the whole stack; on failure everything already started is stopped before rethrowing. */
export async function startRealCluster(options: RealClusterOptions = {}): Promise<RealCluster> {
  const lookup = findRealClusterInstall();
  if (!lookup.ok) throw new Error(`real cluster unavailable: ${lookup.reason}`);
  const install = lookup.install;
  const log = options.log ?? (() => undefined);
  const deadline = Date.now() + (options.startTimeoutMs ?? 300_000);
  const remaining = (): number => Math.max(1_000, deadline - Date.now());

  const layout = prepareLayout(options.dataDir);
  const processes: ManagedProcess[] = [];
  const stopAll = onceAsync(async () => {
    unregisterExitGuard(processes);
    // Managers first (they would only log errors once the API server is gone), etcd last.
    for (const group of groupsForShutdown(processes)) await Promise.all(group.map((p) => p.stop()));
    if (layout.ownsDataDir) rmSync(layout.dataDir, { recursive: true, force: true });
  });
  registerExitGuard(processes);

  try {
    const pki = await writePki(layout, options.extraTokenLines ?? []);
    const ports = await allocatePorts();
    const url = `https://127.0.0.1:${ports.apiserver}`;
    writeKubeconfig(layout.kubeconfigPath, {
      server: url,
      caPem: pki.ca.certPem,
      token: pki.token,
      contextName: 'capi-gateway-realcluster',
    });

    log('starting etcd');
    const etcd = startEtcd(install, layout, ports);
    processes.push(etcd);
    await pollUntil(answersOk(`http://127.0.0.1:${ports.etcdClient}/health`), {
      what: 'etcd health',
      timeoutMs: remaining(),
      abortIf: etcd.exitReason,
    });

    log('starting kube-apiserver');
    const apiserver = startApiServer(install, layout, pki, ports);
    processes.push(apiserver);
    await pollUntil(answersOk(`${url}/readyz`, { caPem: pki.ca.certPem, token: pki.token }), {
      what: 'kube-apiserver /readyz',
      timeoutMs: remaining(),
      abortIf: apiserver.exitReason,
    });

    log('starting kube-controller-manager (garbagecollector, namespace)');
    const controllerManager = startControllerManager(install, layout, pki, ports);
    processes.push(controllerManager);

    log('installing Cluster API CRDs and webhook configurations');
    await installProviders(
      { url, caPem: pki.ca.certPem, token: pki.token },
      install,
      pki,
      ports,
      remaining(),
    );

    log('starting Cluster API managers');
    const managers = providerNames.map((provider) => startManager(install, layout, pki, ports, provider));
    processes.push(...managers);
    await pollUntil(
      answersOk(`https://127.0.0.1:${ports.controllerManager}/healthz`, { caPem: pki.ca.certPem }),
      {
        what: 'kube-controller-manager /healthz',
        timeoutMs: remaining(),
        abortIf: controllerManager.exitReason,
      },
    );
    for (const [index, provider] of providerNames.entries()) {
      const manager = managers[index] as ManagedProcess;
      await pollUntil(answersOk(`http://127.0.0.1:${ports.managers[provider].health}/readyz`), {
        what: `${manager.name} /readyz`,
        timeoutMs: remaining(),
        abortIf: manager.exitReason,
      });
    }
    log(`real management cluster ready at ${url}`);
    return {
      kubeconfigPath: layout.kubeconfigPath,
      url,
      token: pki.token,
      caPem: pki.ca.certPem,
      dataDir: layout.dataDir,
      logDir: layout.logs,
      stop: stopAll,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The temp dir goes with stopAll(): keep what the failed processes said in the error.
    const tails = processes
      .filter((p) => p.exitReason() !== undefined)
      .map((p) => `\n--- last lines of ${p.name}.log ---\n${logTail(p.logPath)}`)
      .join('');
    await stopAll();
    const where = layout.ownsDataDir ? '' : ` (logs in ${layout.logs})`;
    throw new Error(`${message}${where}${tails}`, { cause: error });
  }
}

function logTail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function prepareLayout(dataDir: string | undefined): Layout {
  const ownsDataDir = dataDir === undefined;
  const dir =
    dataDir === undefined ? mkdtempSync(join(tmpdir(), 'capi-gateway-realcluster-')) : resolve(dataDir);
  const layout: Layout = {
    dataDir: dir,
    ownsDataDir,
    pki: join(dir, 'pki'),
    logs: join(dir, 'logs'),
    etcdData: join(dir, 'etcd'),
    kubeconfigPath: join(dir, 'kubeconfig'),
  };
  // Every start is a fresh cluster: state from an earlier run would carry stale certificates.
  rmSync(layout.etcdData, { recursive: true, force: true });
  rmSync(layout.pki, { recursive: true, force: true });
  for (const d of [layout.pki, layout.logs, layout.etcdData]) mkdirSync(d, { recursive: true, mode: 0o700 });
  return layout;
}

async function writePki(layout: Layout, extraTokenLines: string[]): Promise<Pki> {
  const ca = await createCertificateAuthority('capi-gateway-realcluster-ca');
  const servingHosts = ['127.0.0.1', 'localhost'];
  const apiserver = await issueCertificate(ca, {
    commonName: 'kube-apiserver',
    hosts: servingHosts,
    usage: 'server',
  });
  const webhook = await issueCertificate(ca, {
    commonName: 'capi-webhooks',
    hosts: servingHosts,
    usage: 'server',
  });
  const sa = createServiceAccountKeyPair();
  const token = randomBytes(24).toString('hex');
  const webhookCertDir = join(layout.pki, 'webhook');
  mkdirSync(webhookCertDir, { mode: 0o700 });
  const files = {
    caCert: join(layout.pki, 'ca.crt'),
    apiserverCert: join(layout.pki, 'apiserver.crt'),
    apiserverKey: join(layout.pki, 'apiserver.key'),
    saPublic: join(layout.pki, 'sa.pub'),
    saPrivate: join(layout.pki, 'sa.key'),
    tokens: join(layout.pki, 'tokens.csv'),
    webhookCertDir,
  };
  const secret = { mode: 0o600 };
  writeFileSync(files.caCert, ca.certPem);
  writePair(files.apiserverCert, files.apiserverKey, apiserver);
  writePair(join(webhookCertDir, 'tls.crt'), join(webhookCertDir, 'tls.key'), webhook);
  writeFileSync(files.saPublic, sa.publicPem);
  writeFileSync(files.saPrivate, sa.privatePem, secret);
  const admin = `${token},capi-gateway-admin,capi-gateway-admin,"system:masters"`;
  writeFileSync(files.tokens, [admin, ...extraTokenLines].map((line) => `${line}\n`).join(''), secret);
  return { ca, token, files };
}

function writePair(certPath: string, keyPath: string, pair: PemKeyPair): void {
  writeFileSync(certPath, pair.certPem);
  writeFileSync(keyPath, pair.keyPem, { mode: 0o600 });
}

async function allocatePorts(): Promise<Ports> {
  const ports = await freePorts(4 + providerNames.length * 3);
  const next = (): number => ports.shift() as number;
  const base = { etcdClient: next(), etcdPeer: next(), apiserver: next(), controllerManager: next() };
  const managers = Object.fromEntries(
    providerNames.map((p) => [p, { webhook: next(), health: next(), diagnostics: next() }]),
  ) as Record<ProviderName, ManagerPorts>;
  return { ...base, managers, inMemory: await inMemoryPortRange() };
}

function startEtcd(install: RealClusterInstall, layout: Layout, ports: Ports): ManagedProcess {
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return startProcess({
    name: 'etcd',
    command: install.binaries.etcd,
    args: [
      '--name=realcluster',
      `--data-dir=${layout.etcdData}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=realcluster=${peer}`,
      // A throw-away test store: durability costs fsyncs that slow every write.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    logDir: layout.logs,
  });
}

function startApiServer(install: RealClusterInstall, layout: Layout, pki: Pki, ports: Ports): ManagedProcess {
  return startProcess({
    name: 'kube-apiserver',
    command: install.binaries['kube-apiserver'],
    args: [
      `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${ports.apiserver}`,
      `--cert-dir=${join(layout.pki, 'apiserver-generated')}`,
      `--tls-cert-file=${pki.files.apiserverCert}`,
      `--tls-private-key-file=${pki.files.apiserverKey}`,
      `--client-ca-file=${pki.files.caCert}`,
      `--token-auth-file=${pki.files.tokens}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.files.saPublic}`,
      `--service-account-signing-key-file=${pki.files.saPrivate}`,
      '--service-cluster-ip-range=10.96.0.0/24',
      // No kubelets, no endpoints for the kubernetes Service, no service-account token controller.
      '--endpoint-reconciler-type=none',
      '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true',
      '--profiling=false',
      // Compact etcd history often and serve ConfigMap watches from etcd (no watch cache), so a
      // watch from an old resourceVersion gets 410 Gone within seconds, as on a long-running
      // cluster; the contract suite checks that clients relist then.
      '--etcd-compaction-interval=10s',
      '--watch-cache-sizes=configmaps#0',
    ],
    logDir: layout.logs,
  });
}

function startControllerManager(
  install: RealClusterInstall,
  layout: Layout,
  pki: Pki,
  ports: Ports,
): ManagedProcess {
  return startProcess({
    name: 'kube-controller-manager',
    command: install.binaries['kube-controller-manager'],
    args: [
      `--kubeconfig=${layout.kubeconfigPath}`,
      `--authentication-kubeconfig=${layout.kubeconfigPath}`,
      `--authorization-kubeconfig=${layout.kubeconfigPath}`,
      // Only what a management cluster's API objects need: ownerReference cascades and namespace deletion.
      '--controllers=garbagecollector,namespace',
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.controllerManager}`,
      // Its health endpoint is probed with our CA; the API server's loopback certificate fits.
      `--tls-cert-file=${pki.files.apiserverCert}`,
      `--tls-private-key-file=${pki.files.apiserverKey}`,
      '--use-service-account-credentials=false',
    ],
    logDir: layout.logs,
  });
}

function startManager(
  install: RealClusterInstall,
  layout: Layout,
  pki: Pki,
  ports: Ports,
  provider: ProviderName,
): ManagedProcess {
  const own = ports.managers[provider];
  const name = managerBinary[provider];
  return startProcess({
    name,
    command: install.binaries[name],
    args: [
      `--kubeconfig=${layout.kubeconfigPath}`,
      '--leader-elect=false',
      `--webhook-port=${own.webhook}`,
      `--webhook-cert-dir=${pki.files.webhookCertDir}`,
      `--health-addr=127.0.0.1:${own.health}`,
      `--diagnostics-address=127.0.0.1:${own.diagnostics}`,
      '--insecure-diagnostics=true',
      // Alpha and off by default in v1.14; ClusterClass topologies need it.
      '--feature-gates=ClusterTopology=true',
    ],
    env: {
      KUBECONFIG: layout.kubeconfigPath,
      POD_NAMESPACE: 'capi-system',
      POD_NAME: name,
      POD_UID: `${name}-uid`,
      // The in-memory backend's workload-cluster API servers listen here (loopback).
      POD_IP: '127.0.0.1',
      WEBHOOK_HOST: '127.0.0.1',
      CAPI_INMEMORY_MIN_PORT: String(ports.inMemory.min),
      CAPI_INMEMORY_MAX_PORT: String(ports.inMemory.max),
    },
    logDir: layout.logs,
  });
}

const collectionPath: Record<string, string> = {
  CustomResourceDefinition: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  MutatingWebhookConfiguration: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
  ValidatingWebhookConfiguration: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
  Namespace: '/api/v1/namespaces',
};

async function installProviders(
  target: ApiTarget,
  install: RealClusterInstall,
  pki: Pki,
  ports: Ports,
  timeoutMs: number,
): Promise<void> {
  const endpoint = (provider: ProviderName): WebhookEndpoint => ({
    port: ports.managers[provider].webhook,
    caBundlePem: pki.ca.certPem,
  });
  const crds = providerNames.flatMap((p) => providerCrds(install.configDir, p, endpoint(p)));
  const webhooks = providerNames.flatMap((p) =>
    providerWebhookConfigurations(install.configDir, p, endpoint(p)),
  );
  const namespace: ManifestObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'capi-system' },
  };
  await Promise.all(
    [...crds, ...webhooks, namespace].map((obj) => {
      const path = collectionPath[obj.kind];
      if (path === undefined) throw new Error(`no collection path for ${obj.kind}`);
      return createObject(target, path, obj);
    }),
  );
  await pollUntil(async () => ((await allEstablished(target, crds)) ? true : undefined), {
    what: 'CAPI CRDs Established',
    timeoutMs,
  });
}

interface CrdStatus {
  status?: { conditions?: { type: string; status: string }[] };
}

async function allEstablished(target: ApiTarget, crds: ManifestObject[]): Promise<boolean> {
  const states = await Promise.all(
    crds.map(async (crd) => {
      const response = await apiRequest(
        target,
        'GET',
        `${collectionPath.CustomResourceDefinition}/${crd.metadata.name}`,
      );
      const current = response.body as CrdStatus | undefined;
      return (current?.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
    }),
  );
  return states.every(Boolean);
}

function groupsForShutdown(processes: ManagedProcess[]): ManagedProcess[][] {
  const byName = (names: string[]): ManagedProcess[] => processes.filter((p) => names.includes(p.name));
  const infrastructure = ['etcd', 'kube-apiserver', 'kube-controller-manager'];
  return [
    processes.filter((p) => !infrastructure.includes(p.name)),
    byName(['kube-controller-manager']),
    byName(['kube-apiserver']),
    byName(['etcd']),
  ];
}

// A test worker that dies without calling stop() must not leave a cluster running: the
// processes live in their own process groups, so kill them when this process exits.
const guarded = new Set<ManagedProcess[]>();
function killGuarded(): void {
  for (const processes of guarded) {
    for (const p of processes) {
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}
function registerExitGuard(processes: ManagedProcess[]): void {
  if (guarded.size === 0) process.once('exit', killGuarded);
  guarded.add(processes);
}
function unregisterExitGuard(processes: ManagedProcess[]): void {
  guarded.delete(processes);
  if (guarded.size === 0) process.removeListener('exit', killGuarded);
}

function onceAsync(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
