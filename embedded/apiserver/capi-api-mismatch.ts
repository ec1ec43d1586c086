/**
 * A data dir keeps the CAPI API version it was created with: its stored objects (and its built-in
 * CRDs' storage version) are v1beta2 or v1beta1. Serving it as the other would show objects of the
 * wrong shape, or run no engine; so the server refuses, in one line naming both.
 */
export class CapiApiMismatchError extends Error {
  constructor(
    readonly dataDir: string,
    readonly stored: string,
    readonly requested: string,
  ) {
    super(
      `data dir ${dataDir} holds a management cluster created with --capi-api ${stored}, ` +
        `not --capi-api ${requested}; start it with --capi-api ${stored}, or use another --data-dir ` +
        `(or remove ${dataDir} to start over)`,
    );
    this.name = 'CapiApiMismatchError';
  }
}
