import type { DomainError, DomainErrorCode } from './domain-error.ts';

const byStatus: Record<number, DomainErrorCode> = {
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  410: 'GONE',
  422: 'INVALID',
  429: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'UNAVAILABLE',
};

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ECONNABORTED',
]);

function statusCodeOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { statusCode?: unknown; code?: unknown };
  if (typeof e.statusCode === 'number') return e.statusCode;
  if (typeof e.code === 'number') return e.code;
  return undefined;
}

function networkCodeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && networkCodes.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The Status message the API server sent, if any (never request bodies or credentials). */
function statusMessageOf(err: unknown): string | undefined {
  const body = (err as { body?: unknown }).body;
  const parsed: unknown = typeof body === 'string' ? safeParse(body) : body;
  const message = (parsed as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Maps anything client-node throws to a DomainError; raw errors never leave src/k8s. */
export function toDomainError(err: unknown, what: string): DomainError {
  const network = networkCodeOf(err);
  if (network) return { code: 'UNAVAILABLE', message: `${what}: cannot reach the API server (${network})` };
  const status = statusCodeOf(err);
  if (status !== undefined) {
    const code = byStatus[status] ?? (status >= 500 ? 'UNAVAILABLE' : 'INTERNAL');
    const detail = statusMessageOf(err);
    return { code, message: `${what}: API server answered ${status}${detail ? ` (${detail})` : ''}` };
  }
  if (err instanceof Error && err.name === 'AbortError') {
    return { code: 'UNAVAILABLE', message: `${what}: request aborted` };
  }
  if (err instanceof Error && /socket hang up|premature close|network|connect/i.test(err.message)) {
    return { code: 'UNAVAILABLE', message: `${what}: connection to the API server lost` };
  }
  return { code: 'UNAVAILABLE', message: `${what}: request failed` };
}
