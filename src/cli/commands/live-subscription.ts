/**
 * A subscription a watching command follows for as long as it runs. A management cluster away
 * is one event's error: a warning, and the stream goes on. The gateway lost once the stream has
 * answered (it restarted, the network dropped) is a warning too: the subscription is opened
 * again, waiting longer each time up to 10 s, until the gateway answers; it then sends its
 * current state first, as every stream the CLI follows does, so nothing is missed for long.
 * A gateway that never answered is the command's failure (exit 2), as for any other command.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type GatewayClient, unavailableCode } from '../../../client/index.ts';
import { failureOf } from './output.ts';

const firstDelayMs = 500;
const maxDelayMs = 10_000;

export interface LiveOptions {
  /** Open the stream again when the gateway ends it (a stream that should never end). */
  reopenOnEnd?: boolean;
  /** The command followed this stream before: a gateway lost now is waited for, not a failure. */
  followedBefore?: boolean;
  /** Where warnings go. */
  log?: { write(text: string): unknown };
}

export async function* liveSubscription<TData, TVariables extends Record<string, unknown>>(
  client: GatewayClient,
  document: TypedDocumentNode<TData, TVariables>,
  /** A function: asked again each time the stream is opened (e.g. to resume after a cursor). */
  variables: TVariables | (() => TVariables),
  options: LiveOptions = {},
): AsyncGenerator<TData, void, undefined> {
  const log = options.log ?? process.stderr;
  let answered = options.followedBefore === true;
  let lost = false;
  let delay = firstDelayMs;
  for (;;) {
    let broken = false;
    for await (const res of client.subscribe(
      document,
      typeof variables === 'function' ? variables() : variables,
    )) {
      if (res.ok) {
        if (lost) log.write(`reconnected to the gateway at ${client.url}\n`);
        answered = true;
        lost = false;
        delay = firstDelayMs;
        yield res.data;
      } else if (res.error.kind === 'graphql' && res.error.code === unavailableCode) {
        log.write(`warning: ${res.error.message}\n`);
      } else if (res.error.kind === 'unreachable' && answered) {
        if (!lost) log.write(`warning: lost the gateway at ${client.url} (${res.error.message}); retrying\n`);
        lost = true;
        broken = true;
      } else throw failureOf(res.error);
    }
    if (!broken && !options.reopenOnEnd) return;
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, maxDelayMs);
  }
}
