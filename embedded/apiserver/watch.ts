/**
 * Watches: newline-delimited JSON events from the history ring after `resourceVersion`
 * (or synthetic ADDED events for the current state), then live events; an expired
 * resourceVersion gets an ERROR event carrying a 410 Expired Status, as the real server sends.
 */
import type { ServerResponse } from 'node:http';
import type { ApiContext } from './api-context.ts';
import { badRequest, expired } from './errors.ts';
import { selectObjects, selectorsOf, tableOf, type Representation } from './list.ts';
import { apiVersionOf, type ResourceType } from './resource-type.ts';
import type { StoreEvent, StoredObject } from './store.ts';

const defaultTimeoutSeconds = 1800;
/** A client that reads slower than this much buffered output loses its watch and relists. */
const maxBufferedBytes = 64 * 1024 * 1024;

export function serveWatch(
  ctx: ApiContext,
  rt: ResourceType,
  namespace: string | undefined,
  query: URLSearchParams,
  representation: Representation,
  res: ServerResponse,
  onClose: (fn: () => void) => void,
): void {
  const selector = selectorsOf(rt, query);
  const rvText = query.get('resourceVersion') ?? '';
  const rv = rvText === '' ? undefined : Number(rvText);
  if (rv !== undefined && (!Number.isInteger(rv) || rv < 0))
    throw badRequest(`resourceVersion: Invalid value: "${rvText}": must be a non-negative integer`);
  const timeoutText = query.get('timeoutSeconds');
  const timeoutSeconds = timeoutText ? Number(timeoutText) : defaultTimeoutSeconds;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0)
    throw badRequest(`timeoutSeconds: Invalid value: "${timeoutText}"`);
  const bookmarks = query.get('allowWatchBookmarks') === 'true' || query.get('allowWatchBookmarks') === '1';
  const sendInitial = query.get('sendInitialEvents') === 'true';
  const apiVersion = apiVersionOf(rt);
  const inScope = (stored: StoredObject) =>
    (!rt.namespaced || namespace === undefined || stored.obj.metadata.namespace === namespace) &&
    selector(stored.obj);

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  // Clients wait for the headers before they count the watch as established.
  res.flushHeaders();
  let open = true;
  const write = (type: string, objectJson: string) => {
    if (!open) return;
    res.write(`{"type":"${type}","object":${objectJson}}\n`);
    if (res.writableLength > maxBufferedBytes) close();
  };
  // `kubectl get -w` asks for Tables: each event then carries a one-row Table.
  const render = (stored: StoredObject) =>
    representation.as === 'table'
      ? tableOf(rt, [stored.obj], representation.includeObject, Number(stored.obj.metadata.resourceVersion))
      : rt.conversion
        ? JSON.stringify(rt.conversion.fromStorage(stored.obj))
        : stored.serialize(apiVersion);
  // An object that starts or stops matching the selector arrives as ADDED or DELETED, as on the real server.
  const send = (event: StoreEvent) => {
    const now = inScope(event.object);
    const before = event.type === 'MODIFIED' && event.previous ? inScope(event.previous) : now;
    if (now && before) write(event.type, render(event.object));
    else if (now) write('ADDED', render(event.object));
    else if (before) write('DELETED', render(event.object));
  };
  const bookmark = (extra = '') =>
    write(
      'BOOKMARK',
      `{"kind":${JSON.stringify(rt.kind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":{"resourceVersion":"${ctx.store.resourceVersion}"${extra}}}`,
    );

  let unsubscribe = () => {};
  let timers: NodeJS.Timeout[] = [];
  // clearTimeout also clears intervals.
  const close = () => {
    if (!open) return;
    open = false;
    unsubscribe();
    timers.forEach(clearTimeout);
    timers = [];
    res.end();
  };
  onClose(close);

  if (rv === undefined || rv === 0 || sendInitial) {
    const initial = selectObjects(
      ctx,
      rt,
      namespace,
      new URLSearchParams({
        ...(query.get('labelSelector') ? { labelSelector: query.get('labelSelector')! } : {}),
        ...(query.get('fieldSelector') ? { fieldSelector: query.get('fieldSelector')! } : {}),
      }),
    ).items;
    for (const stored of initial) write('ADDED', render(stored));
    if (sendInitial && bookmarks) bookmark(',"annotations":{"k8s.io/initial-events-end":"true"}');
  } else {
    const events = ctx.store.eventsSince(rt.storageKey, rv);
    if (!events) {
      const status = expired(`too old resource version: ${rv} (${ctx.store.resourceVersion})`).toStatus();
      write('ERROR', JSON.stringify(status));
      close();
      return;
    }
    for (const event of events) send(event);
  }
  unsubscribe = ctx.store.subscribe((event: StoreEvent) => {
    if (event.key === rt.storageKey) send(event);
  });
  timers.push(setTimeout(close, timeoutSeconds * 1000));
  if (bookmarks) {
    const interval = setInterval(() => bookmark(), ctx.bookmarkIntervalMs);
    timers.push(interval);
  }
}
