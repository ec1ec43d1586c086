/** src/k8s acting for a user: impersonation headers on every write verb, SubjectAccessReview requests. */
import { describe, expect, it } from 'vitest';
import { accessReviewer } from '../../../src/k8s/access-review.ts';
import { impersonating } from '../../../src/k8s/impersonation.ts';
import type { KubeRequest, KubeResponse } from '../../../src/k8s/kube-request.ts';
import { kubeWriter } from '../../../src/k8s/kube-writer.ts';

const clusters = { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'clusters', namespaced: true };

function recorder(answer: KubeResponse) {
  const sent: KubeRequest[] = [];
  return { sent, request: (req: KubeRequest) => (sent.push(req), Promise.resolve(answer)) };
}

describe('impersonated writes', () => {
  it('sends Impersonate-User and one Impersonate-Group per group; a 403 is FORBIDDEN', async () => {
    const { sent, request } = recorder({
      status: 403,
      body: {
        kind: 'Status',
        message: 'clusters "c" is forbidden: User "bob" cannot patch',
        reason: 'Forbidden',
      },
    });
    const writer = kubeWriter(impersonating(request, { user: 'bob', groups: ['viewers', 'ops'] }));
    const result = await writer.mergePatch(
      clusters,
      { namespace: 'ns', name: 'c' },
      { spec: { paused: true } },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(sent[0]!.headers).toEqual({ 'Impersonate-User': 'bob', 'Impersonate-Group': ['viewers', 'ops'] });
  });

  it('sends no group header for a user without groups', async () => {
    const { sent, request } = recorder({ status: 404, body: {} });
    await kubeWriter(impersonating(request, { user: 'carol', groups: [] })).read(clusters, {
      namespace: 'ns',
      name: 'c',
    });
    expect(sent[0]!.headers).toEqual({ 'Impersonate-User': 'carol' });
  });
});

describe('SubjectAccessReview', () => {
  it('asks for the user, groups and resource attributes, and reads status.allowed', async () => {
    const { sent, request } = recorder({ status: 201, body: { status: { allowed: true } } });
    const review = accessReviewer(request);
    const attributes = { verb: 'list', group: 'cluster.x-k8s.io', resource: 'clusters', namespace: 'ns' };
    expect(await review({ user: 'alice', groups: ['system:authenticated'] }, attributes)).toEqual({
      ok: true,
      value: true,
    });
    expect(sent[0]).toMatchObject({
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      body: {
        kind: 'SubjectAccessReview',
        spec: { user: 'alice', groups: ['system:authenticated'], resourceAttributes: attributes },
      },
    });
  });

  it('a denial is false, a failed review an error value (never a throw)', async () => {
    const denied = accessReviewer(
      recorder({ status: 201, body: { status: { allowed: false, denied: true } } }).request,
    );
    expect(
      await denied(
        { user: 'x', groups: [] },
        { verb: 'get', group: '', resource: 'secrets', namespace: 'a' },
      ),
    ).toEqual({
      ok: true,
      value: false,
    });
    const missing = accessReviewer(
      recorder({ status: 404, body: { kind: 'Status', message: 'not found' } }).request,
    );
    expect(
      await missing(
        { user: 'x', groups: [] },
        { verb: 'get', group: '', resource: 'secrets', namespace: 'a' },
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const down = accessReviewer(() =>
      Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })),
    );
    expect(
      await down({ user: 'x', groups: [] }, { verb: 'get', group: '', resource: 'secrets', namespace: 'a' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
  });
});
