import type { Agent, AgentOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

const patched = new WeakSet<KubeConfig>();

/**
 * client-node builds a new agent for every request, so each one pays a TLS handshake on both
 * ends (a cacheless full-fleet query makes thousands; most of the engine's CPU went there too).
 * One keep-alive agent per kubeconfig instead — for reads, writes and watches alike. Patching
 * the same config twice keeps its one agent.
 */
export function reuseConnections(config: KubeConfig): void {
  if (patched.has(config)) return;
  const internals = config as unknown as {
    createAgent?: (cluster: unknown, options: AgentOptions) => Agent;
  };
  const create = internals.createAgent?.bind(config);
  if (!create) return;
  patched.add(config);
  let agent: Agent | undefined;
  internals.createAgent = (cluster, options) => (agent ??= create(cluster, { ...options, keepAlive: true }));
}
