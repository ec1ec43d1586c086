import { readFileSync } from 'node:fs';
import type { Result } from './domain-error.ts';
import { clientNodeTransport } from './kube-transport.ts';
import { kubeWriter } from './kube-writer.ts';
import { kubeRequester } from './kube-request.ts';
import { loadKubeConfig } from './kubeconfig.ts';
import { ManagementClusterConnection, type ConnectionOptions } from './management-cluster-connection.ts';
import { ReloadingTransport, type LoadedTransport } from './reloading-transport.ts';

export interface ManagementClusterAddress {
  name: string;
  kubeconfigPath: string;
  context?: string;
}

function loadTransport(address: ManagementClusterAddress): Result<LoadedTransport> {
  const loaded = loadKubeConfig(address.kubeconfigPath, address.context);
  if (!loaded.ok) return loaded;
  let text = '';
  try {
    text = readFileSync(address.kubeconfigPath, 'utf8');
  } catch {
    // loadKubeConfig just read it; a race with a rewrite only delays the next reload.
  }
  const request = kubeRequester(loaded.value.config);
  return {
    ok: true,
    value: {
      server: loaded.value.server,
      transport: clientNodeTransport(loaded.value.config),
      writer: kubeWriter(request),
      request,
      fingerprint: `${address.context ?? ''}\n${text}`,
    },
  };
}

/** Builds (does not start) the connection to one management cluster from its kubeconfig. */
export function connectManagementCluster(
  address: ManagementClusterAddress,
  options: ConnectionOptions = {},
): Result<ManagementClusterConnection> {
  const initial = loadTransport(address);
  if (!initial.ok) return initial;
  const transport = new ReloadingTransport(initial.value, () => loadTransport(address));
  return {
    ok: true,
    value: new ManagementClusterConnection(address.name, () => transport.server, transport, {
      ...options,
      writer: transport,
      access: transport,
    }),
  };
}
