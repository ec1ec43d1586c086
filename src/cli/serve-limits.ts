/** The request limits `serve` runs with: the config file's `limits`, then the flags over them. */
import { fileURLToPath } from 'node:url';
import type { GatewayConfig } from '../config/gateway-config.ts';
import type { RequestLimits } from '../limits/request-limits.ts';
import type { ServeCliOptions } from './options.ts';

/** The CLI's own documents: `--trusted-documents` alone allows exactly what the CLI sends. */
export const clientDocuments = fileURLToPath(new URL('../../client/documents', import.meta.url));

export function serveLimits(config: GatewayConfig, opts: ServeCliOptions): Partial<RequestLimits> {
  const limits: Partial<RequestLimits> = { ...config.limits };
  // The flags can only switch off (commander's --no-x defaults x to true).
  if (opts.introspection === false) limits.introspection = false;
  if (opts.graphiql === false) limits.graphiql = false;
  if (opts.trustedDocuments === true) limits.trustedDocuments = [clientDocuments];
  else if (opts.trustedDocuments) limits.trustedDocuments = opts.trustedDocuments;
  return limits;
}
