/**
 * The port a previous run on the same data dir gave its clients, read back from the kubeconfig
 * it wrote. A real API server keeps its address across restarts; a gateway (or kubectl) that read
 * the kubeconfig before a restart only reconnects if the embedded one does too.
 */
import { readFile } from 'node:fs/promises';
import YAML from 'yaml';

/**
 * The port of the kubeconfig's server when it is an https URL; undefined otherwise. The host is
 * not compared: a run on another --host (whose kubeconfig names another address) keeps the port.
 */
export async function rememberedPort(kubeconfigPath: string): Promise<number | undefined> {
  const text = await readFile(kubeconfigPath, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let server: unknown;
  try {
    server = (YAML.parse(text) as { clusters?: Array<{ cluster?: { server?: unknown } }> } | null)
      ?.clusters?.[0]?.cluster?.server;
  } catch {
    return undefined;
  }
  if (typeof server !== 'string' || !URL.canParse(server)) return undefined;
  const url = new URL(server);
  const port = Number(url.port);
  if (url.protocol !== 'https:' || !Number.isInteger(port) || port <= 0) return undefined;
  return port;
}
