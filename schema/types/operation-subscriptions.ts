import type { OperationRecord } from '../../src/provisioning/operations/operation-record.ts';
import { operationUpdates } from '../../resolvers/operation-streams.ts';
import { builder } from '../builder.ts';
import { OperationRef } from './operation.ts';

builder.subscriptionFields((t) => ({
  operationUpdated: t.field({
    type: OperationRef,
    description:
      'The operation now, then its progress step by step as its driver records it; completes when it ends.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx) => operationUpdates(ctx, String(args.id)),
    // An Error is the management cluster being away: an error on the path, the stream goes on.
    resolve: (value) => {
      if (value instanceof Error) throw value;
      return value as unknown as OperationRecord;
    },
  }),
}));
