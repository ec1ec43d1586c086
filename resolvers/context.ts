import type { GraphQLError } from 'graphql';
import type { FleetReader } from '../src/capi/fleet-reader.ts';

/** Per-request state: the reader to use and the errors of parts that could not be answered. */
export interface GatewayContext {
  reader: FleetReader;
  partialErrors: GraphQLError[];
}

export function createGatewayContext(reader: FleetReader): GatewayContext {
  return { reader, partialErrors: [] };
}
