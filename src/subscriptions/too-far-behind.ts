import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** The close code for a client too far behind (4000-4999 are the application's; graphql-ws uses 44xx). */
export const tooFarBehindCloseCode = 4413;
export const tooFarBehindReason = 'Subscriber too far behind';

/**
 * A stream of events (not states) whose subscriber fell so far behind that events were lost:
 * dropping more silently would hand it a wrong history, so its connection is closed instead.
 */
export class SubscriberTooFarBehindError extends GraphQLError {
  constructor(advice: string) {
    super(`the subscriber fell too far behind; ${advice}`, {
      extensions: { code: 'SUBSCRIBER_TOO_FAR_BEHIND' },
    });
    this.name = 'SubscriberTooFarBehindError';
  }
}

interface ClosableSocket {
  close(code: number, reason: string): void;
}

function socketOf(context: unknown): ClosableSocket | null {
  const socket = (context as { socket?: Partial<ClosableSocket> } | null)?.socket;
  return typeof socket?.close === 'function' ? (socket as ClosableSocket) : null;
}

/**
 * graphql-ws: a subscription that ends with SubscriberTooFarBehindError closes its client's
 * connection with 4413, the code a socket with too much waiting to be written gets too
 * (src/app.ts). Over SSE (no socket in the context) the error ends the stream as any other.
 */
export function useCloseTooFarBehind(): Plugin {
  return {
    onSubscribe({ args }) {
      return {
        onSubscribeError({ error }) {
          if (error instanceof SubscriberTooFarBehindError)
            socketOf(args.contextValue)?.close(tooFarBehindCloseCode, tooFarBehindReason);
        },
      };
    },
  };
}
