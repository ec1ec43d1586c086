import type { DomainError, DomainErrorCode, FieldViolation } from './domain-error.ts';

const byStatus: Record<number, DomainErrorCode> = {
  400: 'VALIDATION',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  410: 'GONE',
  422: 'VALIDATION',
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

/** The parts of a Kubernetes `Status` body a caller may see (never request bodies or credentials). */
interface StatusBody {
  message?: string;
  reason?: string;
  causes: FieldViolation[];
}

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

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function causesOf(details: unknown): FieldViolation[] {
  const causes = (details as { causes?: unknown } | undefined)?.causes;
  if (!Array.isArray(causes)) return [];
  return causes.flatMap((c: unknown): FieldViolation[] => {
    if (typeof c !== 'object' || c === null) return [];
    const { field, message, reason } = c as { field?: unknown; message?: unknown; reason?: unknown };
    return [
      {
        path: typeof field === 'string' ? field : '',
        message: typeof message === 'string' ? message : '',
        ...(typeof reason === 'string' ? { reason } : {}),
      },
    ];
  });
}

/** Reads a `Status` body (a parsed object or its JSON text); anything else yields nothing. */
export function parseStatusBody(body: unknown): StatusBody {
  const parsed: unknown = typeof body === 'string' ? safeParse(body) : body;
  if (typeof parsed !== 'object' || parsed === null) return { causes: [] };
  const { message, reason, details } = parsed as { message?: unknown; reason?: unknown; details?: unknown };
  return {
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof reason === 'string' ? { reason } : {}),
    causes: causesOf(details),
  };
}

/** An HTTP error answer of the API server as a DomainError: the code, its message, and field paths. */
export function statusToDomainError(status: number, body: unknown, what: string): DomainError {
  const parsed = parseStatusBody(body);
  let code = byStatus[status] ?? (status >= 500 ? 'UNAVAILABLE' : 'INTERNAL');
  if (status === 409 && parsed.reason === 'AlreadyExists') code = 'ALREADY_EXISTS';
  const detail = parsed.message;
  return {
    code,
    message: `${what}: API server answered ${status}${detail ? ` (${detail})` : ''}`,
    ...(code === 'VALIDATION' ? { fields: parsed.causes } : {}),
  };
}

/** Maps anything client-node or a request throws to a DomainError; raw errors never leave src/k8s. */
export function toDomainError(err: unknown, what: string): DomainError {
  const network = networkCodeOf(err);
  if (network) return { code: 'UNAVAILABLE', message: `${what}: cannot reach the API server (${network})` };
  const status = statusCodeOf(err);
  if (status !== undefined) return statusToDomainError(status, (err as { body?: unknown }).body, what);
  if (err instanceof Error && err.name === 'AbortError') {
    return { code: 'UNAVAILABLE', message: `${what}: request aborted` };
  }
  if (err instanceof Error && /socket hang up|premature close|network|connect/i.test(err.message)) {
    return { code: 'UNAVAILABLE', message: `${what}: connection to the API server lost` };
  }
  return { code: 'UNAVAILABLE', message: `${what}: request failed` };
}
