import { KubeConfig } from '@kubernetes/client-node';
import type { Result } from './domain-error.ts';

export interface LoadedKubeConfig {
  config: KubeConfig;
  server: string;
}

/** Loads a kubeconfig file and selects `context` (or its current context). */
export function loadKubeConfig(path: string, context?: string): Result<LoadedKubeConfig> {
  const config = new KubeConfig();
  try {
    config.loadFromFile(path);
  } catch (err) {
    return {
      ok: false,
      error: { code: 'VALIDATION', message: `cannot load kubeconfig ${path}: ${(err as Error).message}` },
    };
  }
  if (context) {
    if (!config.getContextObject(context)) {
      return {
        ok: false,
        error: { code: 'VALIDATION', message: `kubeconfig ${path} has no context '${context}'` },
      };
    }
    config.setCurrentContext(context);
  }
  const cluster = config.getCurrentCluster();
  if (!cluster) {
    return { ok: false, error: { code: 'VALIDATION', message: `kubeconfig ${path} has no current cluster` } };
  }
  return { ok: true, value: { config, server: cluster.server } };
}
