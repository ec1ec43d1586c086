/**
 * Every request limit of the gateway as yoga plugins, in the order they act: the document's
 * size and shape while it is parsed and validated (tokens, depth, aliases, directives,
 * introspection), then — knowing the variables — trusted documents, cost and the per-identity
 * caps before any resolver runs, the deadline while it runs, and the response size after.
 */
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import { documentLimitPlugins } from './document-limits.ts';
import { executionLimits, type ExecutionLimits } from './use-execution-limits.ts';
import { introspectionPlugins } from './introspection.ts';
import type { ListSizes } from './list-sizes.ts';
import type { RequestLimits } from './request-limits.ts';
import { readTrustedDocuments, useTrustedDocuments } from './trusted-documents.ts';

/** Headers a browser sends cross-site only after a CORS preflight (one is needed on GET). */
export const csrfHeaders = ['x-graphql-yoga-csrf', 'graphql-require-preflight', 'apollo-require-preflight'];

export interface GatewayLimits {
  plugins: Plugin[];
  execution: ExecutionLimits;
}

export function gatewayLimits(limits: RequestLimits, sizes: () => ListSizes): GatewayLimits {
  const execution = executionLimits(limits, sizes);
  const trusted = limits.trustedDocuments
    ? [useTrustedDocuments(readTrustedDocuments(limits.trustedDocuments))]
    : [];
  return {
    execution,
    plugins: [
      useCSRFPrevention({ requestHeaders: csrfHeaders }) as Plugin,
      ...documentLimitPlugins(limits),
      ...introspectionPlugins(limits.introspection),
      ...trusted,
      execution.plugin,
    ],
  };
}
