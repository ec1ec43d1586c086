import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';

export interface ProbeOptions {
  caPem?: string;
  token?: string;
}

/** GETs a health endpoint and resolves with the HTTP status (rejects on connection errors). */
export function probeStatus(url: string, options: ProbeOptions = {}): Promise<number> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'GET',
        timeout: 5_000,
        ...(options.caPem ? { ca: options.caPem } : {}),
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.once('timeout', () => req.destroy(new Error(`timeout requesting ${url}`)));
    req.once('error', reject);
    req.end();
  });
}

/** A check for pollUntil: true once the endpoint answers 200. */
export function answersOk(url: string, options: ProbeOptions = {}): () => Promise<true | undefined> {
  return async () => ((await probeStatus(url, options)) === 200 ? true : undefined);
}
