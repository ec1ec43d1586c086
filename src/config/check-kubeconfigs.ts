/**
 * Every kubeconfig a config file names is read before anything starts: a missing file or a
 * context it does not have is a mistake in the file, reported in one line like any other, not a
 * failure found after the embedded cluster has started.
 */
import { existsSync } from 'node:fs';
import { loadKubeConfig } from '../k8s/kubeconfig.ts';
import type { GatewayConfig } from './gateway-config.ts';

/** The first problem with the config's kubeconfigs, as `managementClusters.N (name): what`. */
export function checkKubeconfigs(config: GatewayConfig): string | undefined {
  for (const [i, mc] of config.managementClusters.entries()) {
    if (!('kubeconfig' in mc)) continue;
    const where = `managementClusters.${i} (${mc.name})`;
    if (!existsSync(mc.kubeconfig)) return `${where}: kubeconfig ${mc.kubeconfig} does not exist`;
    const loaded = loadKubeConfig(mc.kubeconfig, mc.context);
    if (!loaded.ok) {
      const contexts = mc.context ? contextNames(mc.kubeconfig) : '';
      return `${where}: ${loaded.error.message}${contexts}`;
    }
  }
  return undefined;
}

/** `; it has: a, b` — what the user could have meant. */
function contextNames(path: string): string {
  const loaded = loadKubeConfig(path);
  if (!loaded.ok) return '';
  const names = loaded.value.config.getContexts().map((c) => c.name);
  return names.length === 0 ? '; it has no contexts' : `; it has: ${names.join(', ')}`;
}
