/** The gateway's typed client: what the CLI (and other tooling) imports. */
export { createClient, unavailableCode } from './gateway-client.ts';
export type { ClientError, ClientOptions, GatewayClient, PartialError, Result } from './gateway-client.ts';
export * from './generated/graphql.ts';
