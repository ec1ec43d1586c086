/**
 * Why the engine is stuck, said once: every reconcile runs in a scope that knows which object it
 * reconciles; a write the API server refuses (or an exception) is logged as one structured line —
 * controller, kind/namespace/name, what was attempted on which object, the server's status code
 * and answer — the first time that cause appears for that object, and again only when the cause
 * changes or comes back after a reconcile without it. (controller-runtime logs "Reconciler error"
 * with the same fields; the engine retries far more often, so repeats are folded.)
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';

/** The subset of pino's interface the engine uses (any pino logger fits). */
export interface EngineLogger {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

/** JSON lines on stderr (stdout belongs to the CLI's own output); CAPI_ENGINE_LOG_LEVEL tunes it. */
export function defaultEngineLogger(): EngineLogger {
  return pino(
    {
      // `component`, not pino's `name`: `name` is the reconciled object's name in every line.
      base: { component: 'capi-engine' },
      level: process.env.CAPI_ENGINE_LOG_LEVEL ?? (process.env.CAPI_ENGINE_DEBUG ? 'debug' : 'info'),
    },
    pino.destination(2),
  );
}

export interface ReconciledObject {
  controller: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface ReconcileCause {
  /** What the engine tried: "create", "patch", "patch status", "delete", "reconcile". */
  operation: string;
  /** The object the failed request was about (may differ from the reconciled one). */
  target?: { kind: string; namespace?: string; name?: string };
  /** The API server's HTTP status (0 when no answer came). */
  code?: number;
  /** The API server's answer (its Status message) or the exception's message. */
  answer: string;
}

interface Scope {
  key: string;
  object: ReconciledObject;
  causes: Set<string>;
}

export class ReconcileErrors {
  private readonly scope = new AsyncLocalStorage<Scope>();
  /** Per reconcile key: the causes of its last reconcile (a cause already logged is not repeated). */
  private readonly known = new Map<string, Set<string>>();

  constructor(private readonly logger: EngineLogger) {}

  /** Runs one reconcile of `object`; its failures are attributed to it. */
  async run<T>(key: string, object: ReconciledObject, reconcile: () => Promise<T>): Promise<T> {
    const scope: Scope = { key, object, causes: new Set() };
    try {
      return await this.scope.run(scope, reconcile);
    } finally {
      // Causes not seen this time are over; if one comes back it is news again.
      if (scope.causes.size === 0) this.known.delete(key);
      else this.known.set(key, scope.causes);
    }
  }

  /** Reports a failure inside the current reconcile (outside one it is logged every time). */
  fail(cause: ReconcileCause): void {
    const scope = this.scope.getStore();
    const signature = JSON.stringify([cause.operation, cause.target, cause.code, cause.answer]);
    if (scope) {
      const seen = scope.causes.has(signature) || this.known.get(scope.key)?.has(signature) === true;
      scope.causes.add(signature);
      if (seen) return;
    }
    this.logger.error(
      {
        ...(scope ? scope.object : {}),
        operation: cause.operation,
        ...(cause.target ? { target: cause.target } : {}),
        ...(cause.code !== undefined ? { code: cause.code } : {}),
        answer: cause.answer,
      },
      'reconcile error',
    );
  }

  /** Forgets an object (deleted): nothing of it stays behind. */
  forget(key: string): void {
    this.known.delete(key);
  }

  get tracked(): number {
    return this.known.size;
  }
}
