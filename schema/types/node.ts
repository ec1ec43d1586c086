import { node, nodes } from '../../resolvers/objects.ts';
import { builder } from '../builder.ts';

builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => node(ctx, String(args.id)),
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    args: { ids: t.arg.idList({ required: true }) },
    // Items may be Errors: graphql-js reports them at their index (see resolvers/objects.ts).
    resolve: (_root, args, ctx) => nodes(ctx, args.ids.map(String)) as never,
  }),
}));
