/**
 * A minimal keep-alive HTTPS client for the benchmark's writes (creates and status patches at
 * high concurrency), configured from a kubeconfig with a CA and a bearer token.
 */
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { parse } from 'yaml';

export interface KubeHttp {
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<unknown>;
  close(): void;
}

interface Kubeconfig {
  clusters?: Array<{ cluster?: { server?: string; 'certificate-authority-data'?: string } }>;
  users?: Array<{ user?: { token?: string } }>;
}

export async function kubeHttp(kubeconfigPath: string, maxSockets: number): Promise<KubeHttp> {
  const config = parse(await readFile(kubeconfigPath, 'utf8')) as Kubeconfig;
  const cluster = config.clusters?.[0]?.cluster;
  const token = config.users?.[0]?.user?.token;
  if (!cluster?.server || !cluster['certificate-authority-data'] || !token)
    throw new Error(`${kubeconfigPath}: expected a server, certificate-authority-data and a token`);
  const server = new URL(cluster.server);
  const agent = new Agent({
    keepAlive: true,
    maxSockets,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
  });
  const once = (method: string, path: string, body: unknown, contentType: string): Promise<unknown> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          host: server.hostname,
          port: server.port,
          method,
          path,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 500) >= 300)
              reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 500)}`));
            else resolve(text ? JSON.parse(text) : undefined);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  };
  return {
    call: (method, path, body, contentType = 'application/json') =>
      once(method, path, body, contentType).catch((err: unknown) => {
        // A kept-alive connection the server closed while we were busy: reads are safe to repeat.
        if (method === 'GET' && (err as { code?: string }).code === 'ECONNRESET')
          return once(method, path, body, contentType);
        throw err;
      }),
    close: () => agent.destroy(),
  };
}
