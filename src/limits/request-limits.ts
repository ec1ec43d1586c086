/**
 * What one request may ask of the gateway (gateway config `limits`, CLI flags). Everything a
 * query could use to exhaust the process is bounded before it runs (depth, aliases, tokens,
 * directives, cost) or while it runs (deadline, response size), and what one caller may hold
 * at once is capped per identity.
 */
export interface RequestLimits {
  /** Deepest field nesting (GraphQL Armor max-depth; introspection is not counted). */
  depth: number;
  /** Aliases per operation (GraphQL Armor max-aliases). */
  aliases: number;
  /** Lexical tokens per document (GraphQL Armor max-tokens). */
  tokens: number;
  /** Directives per operation (GraphQL Armor max-directives). */
  directives: number;
  /**
   * The most a request may cost: the objects it would resolve, each list counted by its size —
   * a connection by `first`/`last`, a plain list by the largest such list the caches hold.
   */
  cost: number;
  /** When set, every plain list counts as this many items instead of the caches' sizes. */
  listSize?: number;
  /** Milliseconds an execution may run; fields started after it fail. */
  executionTimeoutMs: number;
  /** Bytes of one response (JSON) or subscription event. */
  responseBytes: number;
  /** Bytes of one HTTP request body. */
  requestBodyBytes: number;
  /** Bytes of one WebSocket message. */
  webSocketMessageBytes: number;
  /** Queries and mutations one identity may have running at once. */
  concurrentRequests: number;
  /** WebSocket connections one identity may hold open. */
  connections: number;
  /** Subscriptions (WebSocket and SSE) one identity may hold open. */
  subscriptions: number;
  /** Schema introspection (`__schema`, `__type`); field suggestions go with it. */
  introspection: boolean;
  /** GraphiQL in a browser on the GraphQL path. */
  graphiql: boolean;
  /**
   * Trusted documents: only these operations run (GraphQL files, or folders of them: the CLI's
   * client/documents, the dashboard's web/documents, any other client's). Unset: any operation
   * within the limits runs.
   */
  trustedDocuments?: string[];
}

export const defaultRequestLimits: RequestLimits = {
  depth: 10,
  aliases: 15,
  tokens: 2_000,
  directives: 50,
  cost: 500_000,
  executionTimeoutMs: 10_000,
  responseBytes: 32 * 1024 * 1024,
  requestBodyBytes: 1024 * 1024,
  webSocketMessageBytes: 1024 * 1024,
  // Per identity: until authentication is configured, per address — a dashboard host or a test
  // client shares one, so these leave room for many tabs, not for one caller to take the process.
  concurrentRequests: 32,
  connections: 256,
  subscriptions: 1_024,
  introspection: true,
  graphiql: true,
};

export function requestLimits(overrides: Partial<RequestLimits> = {}): RequestLimits {
  const defined = Object.entries(overrides).filter(([, v]) => v !== undefined);
  return { ...defaultRequestLimits, ...(Object.fromEntries(defined) as Partial<RequestLimits>) };
}
