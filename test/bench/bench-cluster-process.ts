/**
 * Child process of the benchmark: an ephemeral embedded management cluster (controllers off)
 * that counts the HTTP requests it serves, so the gateway under test runs alone in its own
 * process (its heap and CPU are measured without the server's).
 */
import { subscribe } from 'node:diagnostics_channel';
import { startTestEmbeddedCluster } from '../support/embedded-cluster.ts';

/** Method and URL of every request served, in order. */
const requests: string[] = [];
subscribe('http.server.request.start', (message) => {
  const { request } = message as { request: { method?: string; url?: string } };
  requests.push(`${request.method ?? '?'} ${request.url ?? '?'}`);
});

const cluster = await startTestEmbeddedCluster({ controllers: false });
const send = (message: unknown) => process.send?.(message);
send({ type: 'ready', url: cluster.url, kubeconfigPath: cluster.kubeconfigPath });

process.on('message', (message: { type?: string; from?: number }) => {
  if (message.type === 'count') send({ type: 'count', count: requests.length });
  if (message.type === 'requests') send({ type: 'requests', requests: requests.slice(message.from ?? 0) });
  if (message.type === 'stop') {
    void cluster.stop().then(() => {
      send({ type: 'stopped' });
      process.disconnect?.();
      process.exit(0);
    });
  }
});
process.on('disconnect', () => {
  void cluster.stop().finally(() => process.exit(0));
});
