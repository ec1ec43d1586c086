/** The request limits `serve` runs with: the config file's `limits`, then the flags over them. */
import type { GatewayConfig } from '../config/gateway-config.ts';
import type { RequestLimits } from '../limits/request-limits.ts';
import { bundledDocuments } from './bundled-documents.ts';
import type { ServeCliOptions } from './options.ts';

export function serveLimits(config: GatewayConfig, opts: ServeCliOptions): Partial<RequestLimits> {
  const limits: Partial<RequestLimits> = { ...config.limits };
  // The flags can only switch off (commander's --no-x defaults x to true).
  if (opts.introspection === false) limits.introspection = false;
  if (opts.graphiql === false) limits.graphiql = false;
  if (opts.trustedDocuments === true) limits.trustedDocuments = [...bundledDocuments];
  else if (opts.trustedDocuments) limits.trustedDocuments = opts.trustedDocuments;
  return limits;
}
