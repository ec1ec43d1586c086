/**
 * Starts an ephemeral embedded management cluster on 127.0.0.1 (free port) in a temp dir,
 * with a `kubectl` runner bound to its kubeconfig. Other suites use this.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdmissionChain } from '../../embedded/apiserver/admission.ts';
import { startEmbeddedCluster } from '../../embedded/cluster.ts';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TestEmbeddedCluster {
  url: string;
  kubeconfigPath: string;
  dataDir: string;
  /**
   * The API server's admission chain (in-process clusters only): a plugin added here sees each
   * write and who made it.
   */
  admission?: AdmissionChain;
  kubectl(args: string[], stdin?: string): Promise<KubectlResult>;
  stop(): Promise<void>;
}

export interface TestEmbeddedClusterOptions {
  /** Start the simulated controllers (default false: a bare API server). */
  controllers?: boolean;
  speed?: number;
  capiApi?: 'v1beta2' | 'v1beta1';
  /** Use this data dir (kept) instead of a fresh temp dir (removed on stop). */
  dataDir?: string;
  /** Persist to the data dir instead of keeping objects in memory. */
  persistent?: boolean;
  demo?: boolean;
  /** Watch history length (events) before resourceVersions expire with 410. */
  historySize?: number;
  /** Users besides the admin, in kube-apiserver's `--token-auth-file` format. */
  tokenAuthFile?: string;
}

export function runKubectl(kubeconfigPath: string, args: string[], stdin?: string): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfigPath, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, KUBECONFIG: kubeconfigPath },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

export async function startTestEmbeddedCluster(
  options: TestEmbeddedClusterOptions = {},
): Promise<TestEmbeddedCluster> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'capi-gateway-test-')));
  const cluster = await startEmbeddedCluster({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    ephemeral: !options.persistent,
    demo: options.demo ?? false,
    speed: options.speed ?? 50,
    capiApi: options.capiApi ?? 'v1beta2',
    faults: { machineFailureRate: 0, nodeNotReadyRate: 0 },
    controllers: options.controllers ?? false,
    ...(options.historySize === undefined ? {} : { historySize: options.historySize }),
    ...(options.tokenAuthFile === undefined ? {} : { tokenAuthFile: options.tokenAuthFile }),
  });
  return {
    url: cluster.url,
    kubeconfigPath: cluster.kubeconfigPath,
    dataDir,
    admission: cluster.admission,
    kubectl: (args, stdin) => runKubectl(cluster.kubeconfigPath, args, stdin),
    stop: async () => {
      await cluster.stop();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
