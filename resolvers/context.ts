import type { GraphQLError } from 'graphql';
import type { FleetReader } from '../src/capi/fleet-reader.ts';

/**
 * Per-request state: the reader to use, and the errors on the path of fields that answered
 * only in part (the schema adds them, src/partial-errors.ts puts them in the response).
 */
export interface GatewayContext {
  reader: FleetReader;
  partialErrors: GraphQLError[];
}

export function createGatewayContext(reader: FleetReader): GatewayContext {
  return { reader, partialErrors: [] };
}
