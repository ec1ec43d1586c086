import type { CapiView } from '../../src/capi/views.ts';

/** Every node type's `id`: the global ID its view carries (src/capi/object-id.ts). */
export const nodeId = { resolve: (v: CapiView): string => v.id };
