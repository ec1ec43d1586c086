/**
 * The gateway's structured JSON log (pino). What it may carry is chosen field by field — no
 * headers, no variables, no query text, no objects from Kubernetes — and every message and
 * error text also passes `redactSecrets`, so a bearer token, a kubeconfig or Secret data
 * that reach an error message are never written.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type GatewayLogger = Logger;

const secretPatterns: Array<[RegExp, string]> = [
  // Authorization header values and tokens in any "key: value" / "key=value" form.
  [/\b(bearer|basic)\s+[^\s"',;]+/gi, '$1 [REDACTED]'],
  [
    /\b(token|id-token|access-token|refresh-token|password|secret|client-key-data|client-certificate-data|certificate-authority-data)(["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi,
    '$1$2[REDACTED]',
  ],
  // A whole kubeconfig (YAML or JSON) pasted into a message.
  [/apiVersion:\s*v1[\s\S]*?kind:\s*Config[\s\S]*/g, '[REDACTED kubeconfig]'],
  [/\{[^{}]*"kind"\s*:\s*"Config"[\s\S]*/g, '[REDACTED kubeconfig]'],
  // Base64 blobs long enough to be keys, certificates or Secret data.
  [/[A-Za-z0-9+/]{64,}={0,2}/g, '[REDACTED base64]'],
  // JWTs.
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[REDACTED jwt]'],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of secretPatterns) out = out.replace(pattern, replacement);
  return out;
}

/** An error as the log shows it: its type and redacted message and stack, nothing else. */
export function loggableError(error: unknown): { type: string; message: string; stack?: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: redactSecrets(String(error)) };
  return {
    type: error.name,
    message: redactSecrets(error.message),
    ...(error.stack ? { stack: redactSecrets(error.stack) } : {}),
  };
}

export function createGatewayLogger(
  options: { level?: string; destination?: DestinationStream } = {},
): GatewayLogger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'capi-gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Belt and braces: should a header object ever be logged, its secrets are not.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'headers.cookie',
          '*.token',
          'token',
        ],
        censor: '[REDACTED]',
      },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg));
          method.apply(this, redacted as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 2, sync: false }),
  );
}

/** A logger that writes nothing (tests and embedding). */
export function silentLogger(): GatewayLogger {
  return pino({ level: 'silent' });
}
