import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { reuseConnections } from './shared-agent.ts';

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute API path, e.g. `/apis/cluster.x-k8s.io/v1beta2/namespaces/ns/clusters/c`. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  /** Accept header (default application/json), e.g. a metadata-only representation. */
  accept?: string;
  /** Extra headers (a repeated header as an array), e.g. impersonation. */
  headers?: Record<string, string | string[]>;
}

/** The HTTP answer: status code and the parsed JSON body (undefined when it was not JSON). */
export interface KubeResponse {
  status: number;
  body: unknown;
}

export type KubeRequester = (request: KubeRequest) => Promise<KubeResponse>;

const defaultTimeoutMs = 30_000;

function urlOf(server: string, request: KubeRequest): URL {
  const url = new URL(server.replace(/\/+$/, '') + request.path);
  for (const [key, value] of Object.entries(request.query ?? {}))
    if (value !== undefined) url.searchParams.set(key, value);
  return url;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Requests the API server with the kubeconfig's credentials and the same keep-alive agent as
 * client-node's list and watch calls. client-node's generated clients cannot send every patch
 * type, reach core and custom kinds with one path scheme, or send DeleteOptions with
 * preconditions, so the write verbs go through this. Connection failures reject (mapped by
 * api-errors.ts); HTTP error answers resolve with their status.
 */
export function kubeRequester(config: KubeConfig, timeoutMs = defaultTimeoutMs): KubeRequester {
  reuseConnections(config);
  return async (request) => {
    const server = config.getCurrentCluster()?.server;
    if (!server) throw Object.assign(new Error('kubeconfig has no current cluster'), { code: 'ENOTFOUND' });
    const options: RequestOptions = {};
    await config.applyToHTTPSOptions(options);
    const url = urlOf(server, request);
    const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string | string[]> = {
      ...(options.headers as Record<string, string> | undefined),
      ...request.headers,
      accept: request.accept ?? 'application/json',
      ...(payload === undefined
        ? {}
        : {
            'content-type': request.contentType ?? 'application/json',
            'content-length': String(Buffer.byteLength(payload)),
          }),
    };
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise<KubeResponse>((resolve, reject) => {
      const req = send(
        url,
        {
          method: request.method,
          headers,
          agent: options.agent as HttpAgent | undefined,
          ...(options.auth ? { auth: options.auth } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: parseJson(Buffer.concat(chunks).toString('utf8')) }),
          );
        },
      );
      req.setTimeout(timeoutMs, () =>
        req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })),
      );
      req.on('error', reject);
      req.end(payload);
    });
  };
}
