/**
 * The embedded API server's admission chain: in-process plugins called on every
 * create/update/patch/delete before storage, as kube-apiserver calls admission webhooks.
 * Mutating plugins run first (in registration order), then validating plugins.
 * The embedded engine (embedded/controllers/admission/) registers CAPI's webhook rules here.
 * Plugins may read through the API but must not write the object under admission: the request
 * holds that object's write lock until admission and storage are done.
 */

/** The one object type of the lower Kubernetes layer; admission sees objects before they are named. */
import type { KubeObjectDraft as KubeObject } from '../../src/k8s/kube-object.ts';
import type { UserInfo } from './auth/user.ts';

export type { KubeObject };

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionRequest {
  operation: AdmissionOperation;
  group: string;
  version: string;
  /** Plural resource name, e.g. `kubeadmcontrolplanes`. */
  resource: string;
  kind: string;
  /** `status`, `scale` or undefined for the main resource. */
  subresource?: string;
  namespace?: string;
  name: string;
  /** The object as it would be stored (after defaulting/pruning); undefined for DELETE. */
  object?: KubeObject;
  /** The stored object before this request; undefined for CREATE. */
  oldObject?: KubeObject;
  dryRun: boolean;
  /**
   * Who made the request (the impersonated user when it impersonates), as kube's AdmissionReview
   * `request.userInfo`; absent for the server's own writes (garbage collection).
   */
  userInfo?: UserInfo;
}

/** One field-level problem, rendered into the Status `details.causes` of a 422. */
export interface AdmissionCause {
  /** e.g. `FieldValueInvalid`, `FieldValueRequired`, `FieldValueForbidden`. */
  reason: string;
  message: string;
  /** JSON path of the field, e.g. `spec.replicas`. */
  field: string;
}

export type AdmissionResponse =
  | { allowed: true; warnings?: string[] }
  /** 422 Invalid (with causes) by default; 403 Forbidden when `code` is 403. */
  | { allowed: false; code?: 422 | 403; message: string; causes?: AdmissionCause[] };

export interface MutatingAdmissionPlugin {
  name: string;
  /** Mutates `request.object` in place (defaulting). May also reject. */
  admit(request: AdmissionRequest): AdmissionResponse | Promise<AdmissionResponse>;
}

export interface ValidatingAdmissionPlugin {
  name: string;
  validate(request: AdmissionRequest): AdmissionResponse | Promise<AdmissionResponse>;
}

export interface AdmissionChain {
  mutating: MutatingAdmissionPlugin[];
  validating: ValidatingAdmissionPlugin[];
}

export function emptyAdmissionChain(): AdmissionChain {
  return { mutating: [], validating: [] };
}
