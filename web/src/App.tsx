/** The shell: navigation, theme, the token prompt, and the page of the current route. */
import { useEffect, useState } from 'react';
import { onAuthNeeded, onReconnect, setToken } from './api.ts';
import { Link } from './components/Link.tsx';
import { ClusterPage } from './pages/ClusterPage.tsx';
import { CreatePage } from './pages/CreatePage.tsx';
import { FleetPage } from './pages/FleetPage.tsx';
import { OperationsPage } from './pages/OperationsPage.tsx';
import { useRoute, type Route } from './router.ts';

type Theme = 'light' | 'dark' | 'system';
const themeKey = 'capi-gateway.theme';

function useTheme(): [Theme, (theme: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(
    () => (localStorage.getItem(themeKey) as Theme | null) ?? 'system',
  );
  useEffect(() => {
    localStorage.setItem(themeKey, theme);
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
  return [theme, setTheme];
}

function TokenPrompt() {
  const [needed, setNeeded] = useState(false);
  const [value, setValue] = useState('');
  useEffect(() => onAuthNeeded(setNeeded), []);
  if (!needed) return null;
  return (
    <div className="token-prompt" role="dialog" aria-modal="true" aria-labelledby="token-title">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setToken(value.trim());
          setValue('');
        }}
      >
        <h2 id="token-title">The gateway asks for a token</h2>
        <p>It answered 401 Unauthorized. The token is kept for this tab only (sessionStorage).</p>
        <label className="field">
          Bearer token
          <input
            autoFocus
            type="password"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            autoComplete="off"
          />
        </label>
        <div className="buttons">
          <button type="submit" className="primary" disabled={!value.trim()}>
            Use token
          </button>
        </div>
      </form>
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'fleet':
      return <FleetPage />;
    case 'cluster':
      return <ClusterPage key={`${route.managementCluster}/${route.namespace}/${route.name}`} {...route} />;
    case 'operations':
      return <OperationsPage id={route.id} />;
    case 'create':
      return <CreatePage />;
    case 'missing':
      return (
        <main>
          <h1>Nothing at {route.path}</h1>
          <Link href="/">Back to the fleet</Link>
        </main>
      );
  }
}

export function App() {
  const route = useRoute();
  const [theme, setTheme] = useTheme();
  // A new token: the page mounts again, so its queries and subscriptions go out with it.
  const [generation, setGeneration] = useState(0);
  useEffect(() => onReconnect(() => setGeneration((g) => g + 1)), []);
  return (
    <>
      <a className="skip" href="#content">
        Skip to content
      </a>
      <header className="top">
        <strong className="brand">capi-gateway</strong>
        <nav aria-label="main">
          <Link
            href="/"
            aria-current={route.page === 'fleet' || route.page === 'cluster' ? 'page' : undefined}
          >
            Fleet
          </Link>
          <Link href="/operations" aria-current={route.page === 'operations' ? 'page' : undefined}>
            Operations
          </Link>
          <Link href="/create" aria-current={route.page === 'create' ? 'page' : undefined}>
            Create cluster
          </Link>
          <a href="/graphql">GraphiQL</a>
        </nav>
        <label className="theme">
          Theme{' '}
          <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
            <option value="system">system</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
      </header>
      <div id="content">
        <Page key={generation} route={route} />
      </div>
      <TokenPrompt />
    </>
  );
}
