/**
 * The gateway's probes. `/healthz` is liveness: the process is up and answering (a restart
 * would not help a management cluster that is down). `/readyz` is readiness: every management
 * cluster has either synced its caches or been marked unavailable after a failed attempt, so a
 * query answers with data or with a MANAGEMENT_CLUSTER_UNAVAILABLE error on the path — never
 * "not reachable yet" because the gateway had only just started.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ManagementClusterStatus } from './capi/fleet-reader.ts';

export interface NotReady {
  name: string;
  reason: string;
}

/** Synced, or marked unavailable (unreachable with the error that says why). */
function notReadyReason(status: ManagementClusterStatus): string | undefined {
  if (status.synced) return undefined;
  if (!status.reachable && status.error !== null) return undefined;
  return status.reachable ? 'caches not synced yet' : 'not reached yet';
}

export function notReady(statuses: ManagementClusterStatus[]): NotReady[] {
  return statuses.flatMap((status) => {
    const reason = notReadyReason(status);
    return reason === undefined ? [] : [{ name: status.name, reason }];
  });
}

function send(res: ServerResponse, status: number, body: unknown, head: boolean): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(head ? undefined : JSON.stringify(body));
}

/** Answers `/healthz` and `/readyz` (GET or HEAD); false for any other request. */
export function serveHealth(
  req: IncomingMessage,
  res: ServerResponse,
  managementClusters: () => ManagementClusterStatus[],
): boolean {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path !== '/healthz' && path !== '/readyz') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' });
    res.end();
    return true;
  }
  const head = req.method === 'HEAD';
  const statuses = managementClusters();
  if (path === '/healthz') {
    send(res, 200, { ok: true, managementClusters: statuses }, head);
    return true;
  }
  const waiting = notReady(statuses);
  send(
    res,
    waiting.length === 0 ? 200 : 503,
    { ready: waiting.length === 0, notReady: waiting, managementClusters: statuses },
    head,
  );
  return true;
}
