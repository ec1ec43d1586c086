import { request } from 'node:https';

export interface ApiTarget {
  /** https://HOST:PORT */
  url: string;
  caPem: string;
  token: string;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

/**
 * A raw JSON request to the API server. The fixture installs CRDs this way: client-node's typed
 * serializer drops the `x-kubernetes-*` schema keys of plain-JSON CRDs, which the API server
 * then rejects.
 */
export function apiRequest(
  target: ApiTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, target.url),
      {
        method,
        ca: target.caPem,
        timeout: 30_000,
        headers: {
          authorization: `Bearer ${target.token}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // Not JSON: keep the text for the error message.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.once('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.once('error', reject);
    req.end(payload);
  });
}

/** Creates an object at its collection path; fails with the API server's message otherwise. */
export async function createObject(target: ApiTarget, collectionPath: string, body: unknown): Promise<void> {
  const response = await apiRequest(target, 'POST', collectionPath, body);
  if (response.status !== 201 && response.status !== 200) {
    const message =
      (response.body as { message?: string } | undefined)?.message ?? JSON.stringify(response.body);
    throw new Error(`POST ${collectionPath}: HTTP ${response.status}: ${message}`);
  }
}
