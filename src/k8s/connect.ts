import type { Result } from './domain-error.ts';
import { clientNodeTransport } from './kube-transport.ts';
import { loadKubeConfig } from './kubeconfig.ts';
import { ManagementClusterConnection, type ConnectionOptions } from './management-cluster-connection.ts';

export interface ManagementClusterAddress {
  name: string;
  kubeconfigPath: string;
  context?: string;
}

/** Builds (does not start) the connection to one management cluster from its kubeconfig. */
export function connectManagementCluster(
  address: ManagementClusterAddress,
  options: ConnectionOptions = {},
): Result<ManagementClusterConnection> {
  const loaded = loadKubeConfig(address.kubeconfigPath, address.context);
  if (!loaded.ok) return loaded;
  const transport = clientNodeTransport(loaded.value.config);
  return {
    ok: true,
    value: new ManagementClusterConnection(address.name, loaded.value.server, transport, options),
  };
}
