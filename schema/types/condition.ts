import { ConditionRef } from '../refs.ts';

ConditionRef.implement({
  description: 'A v1beta2 (metav1) condition, whatever API version the object was read at.',
  fields: (t) => ({
    type: t.exposeString('type'),
    status: t.exposeString('status'),
    reason: t.exposeString('reason', { nullable: true }),
    message: t.exposeString('message', { nullable: true }),
    lastTransitionTime: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.lastTransitionTime }),
  }),
});
