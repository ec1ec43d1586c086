import type { CapiView } from '../../src/capi/views.ts';

/** Every node type's `id`: the object's address, from the one global-ID module. */
export const nodeId = { resolve: (v: CapiView): string => v.id };
