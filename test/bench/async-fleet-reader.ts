import type { FleetReader } from '../../src/capi/fleet-reader.ts';

/** The reader port with promises: what a reader asking an API server per request can offer. */
export type AsyncFleetReader = {
  [M in keyof FleetReader]: FleetReader[M] extends (...args: infer A) => infer R
    ? (...args: A) => R | Promise<R>
    : never;
};
