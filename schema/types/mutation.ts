import { builder } from '../builder.ts';

// The root Mutation type: each mutation is declared with `builder.mutationField` next to the
// type it changes (operation.ts, create-cluster.ts, …).
builder.mutationType({
  description: 'Changes to the fleet. Each answers the operation that tracks it, or a typed error.',
});
