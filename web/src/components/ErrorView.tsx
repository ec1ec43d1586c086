/** A typed error from the gateway, shown where the action was started. */
import type { DashErrorFragment } from '../../generated/graphql.ts';

export function ErrorView({
  error,
}: {
  error: DashErrorFragment | { __typename?: string; message: string };
}) {
  const fields = 'fields' in error ? error.fields : [];
  const blockers = 'blockers' in error ? error.blockers : [];
  return (
    <div className="error" role="alert">
      <strong>{error.__typename ?? 'Error'}</strong>: {error.message}
      {fields && fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
      {blockers && blockers.length > 0 && (
        <ul>
          {blockers.map((b, i) => (
            <li key={i}>
              <code>{b.code}</code>: {b.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
