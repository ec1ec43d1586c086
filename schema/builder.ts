import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import type { GatewayContext } from '../resolvers/context.ts';
import { typeNameOf } from './type-names.ts';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    DateTime: { Input: Date; Output: Date | string };
  };
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [ErrorsPlugin, RelayPlugin, DataloaderPlugin],
  // Every field with `errors` can also answer BaseError (schema/types/errors.ts).
  errors: { defaultTypes: [Error] },
  relay: {
    // Our own node/nodes fields: IDs are addresses, decoded without a type name.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    cursorType: 'String',
    encodeGlobalID: (_typename, id) => String(id),
    decodeGlobalID: (globalID) => ({ typename: '', id: globalID }),
    // One lookup instead of every node type's isTypeOf: node types declare none, so the
    // executor does not check each object it returns against its type either.
    nodeTypeOptions: { resolveType: typeNameOf },
  },
});
