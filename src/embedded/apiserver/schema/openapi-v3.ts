import type { KubeObject } from '../admission.ts';

export function openApiV3Paths(groupVersions: string[]): object {
  return {
    paths: Object.fromEntries(
      groupVersions.map((gv) => {
        const key = gv === 'v1' ? 'api/v1' : `apis/${gv}`;
        return [key, { serverRelativeURL: `/openapi/v3/${key}?hash=0` }];
      }),
    ),
  };
}

export function openApiV3Document(_groupVersion: string, _crds: KubeObject[]): object | undefined {
  return undefined;
}
