const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label (namespaces, Cluster names: CAPI derives label values and hostnames from them). */
export function dnsLabelProblem(value: string): string | null {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 63) return 'must be at most 63 characters';
  if (!label.test(value))
    return 'must consist of lower case alphanumeric characters or "-", and start and end with an alphanumeric character';
  return null;
}
