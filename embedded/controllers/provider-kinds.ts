/**
 * What CAPI's own test providers (Docker*, and Dev* with the in-memory backend) do that a
 * generic provider does not: their finalizers, providerID scheme and condition sets, so objects
 * of those kinds look like the real providers' objects.
 */
export function infraFinalizer(kind: string): string | undefined {
  if (kind === 'DevMachine' || kind === 'DockerMachine')
    return 'dockermachine.infrastructure.cluster.x-k8s.io';
  if (kind === 'DevCluster' || kind === 'DockerCluster')
    return 'dockercluster.infrastructure.cluster.x-k8s.io';
  return undefined;
}

export function providerID(kind: string, name: string): string {
  if (kind === 'DevMachine') return `in-memory://${name}`;
  if (kind === 'DockerMachine') return `docker:////${name}`;
  return `${kind.replace(/Machine$/, '').toLowerCase() || 'simulated'}://${name}`;
}

/** The in-memory backend reports no machine addresses and no node details beyond the kubelet version. */
export function isInMemoryKind(kind: string): boolean {
  return kind === 'DevMachine' || kind === 'DevCluster';
}
