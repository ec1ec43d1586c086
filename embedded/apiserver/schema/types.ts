/**
 * The contract between the API server's request handling (embedded/apiserver/) and the
 * CRD schema machinery (embedded/apiserver/schema/): pure functions over CRD objects.
 */
import type { AdmissionCause, KubeObject } from '../admission.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface SchemaCheckOptions {
  fieldValidation: FieldValidation;
  /** The stored object for updates: CEL transition rules (`oldSelf`) and ratcheting use it. */
  oldObject?: KubeObject;
  /**
   * Which part of the object the request may change: `status` requests keep the stored spec,
   * main-resource requests keep the stored status (when the CRD has a status subresource).
   * The API server applies that before calling; the schema machinery validates the whole object.
   */
  subresource?: 'status';
  /**
   * `false`: decode only (prune, drop nulls, default), no validation — for the decode step before
   * mutating admission, and for the storage-version pass of a `None`-converted write (kube-apiserver
   * validates such writes against the request version's schema only).
   */
  validate?: boolean;
}

export type SchemaCheckResult =
  | {
      ok: true;
      /** Pruned (unknown fields dropped unless preserved; nulls in non-nullable fields dropped) and defaulted. */
      object: KubeObject;
      /** `unknown field "spec.foo"` warnings under fieldValidation=Warn (and duplicate-field notes). */
      warnings: string[];
    }
  | {
      ok: false;
      /**
       * 400 BadRequest for unknown fields under Strict and for a `metadata` Go could not decode (the
       * message is complete: `Kind in version "v" cannot be handled as a Kind: …`); 422 Invalid for
       * schema/CEL violations (`message` is the aggregate of the causes, without the `Kind "name" is invalid: ` prefix).
       */
      code: 400 | 422;
      message: string;
      causes: AdmissionCause[];
    };

/** One served version of a CRD, compiled once when the CRD is stored. */
export interface CompiledCrdVersion {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  check(object: KubeObject, options: SchemaCheckOptions): SchemaCheckResult;
}

/** A meta.k8s.io/v1 Table, as `kubectl get` asks for with `Accept: ...;as=Table`. */
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: Array<{
    name: string;
    type: string;
    format: string;
    description: string;
    priority: number;
  }>;
  rows: Array<{ cells: unknown[]; object: unknown }>;
}
