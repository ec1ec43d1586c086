/**
 * The dashboard and GraphiQL in headless Chromium against `capi-gateway serve` (the embedded
 * management cluster, demo fleet, engine 20× faster), with every request to anything but the
 * gateway blocked. Screenshots go to test-results/screens/; with DASHBOARD_SCREENSHOT=path the fleet
 * page is also saved there (`npm run docs:screenshot` writes docs/dashboard.png).
 */
import type { Page } from 'playwright-core';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childTracker, graphqlLine, pollUntil } from '../cli/cli-child.ts';
import { buildDashboard, launchAgainst, type GatewayBrowser } from './browser.ts';
import { chromiumPath, skipReason } from './chromium.ts';

const children = childTracker();
let browser: GatewayBrowser;
let origin: string;

interface GraphQLAnswer {
  data?: Record<string, unknown>;
}

async function graphql(query: string): Promise<GraphQLAnswer> {
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as GraphQLAnswer;
}

const openPage = (path: string): Promise<Page> => browser.open(path);
const screenshot = (page: Page, name: string): Promise<void> => browser.screenshot(page, name);

describe.skipIf(!chromiumPath)(
  `dashboard in headless chromium${chromiumPath ? '' : ` (skipped: ${skipReason})`}`,
  () => {
    beforeAll(async () => {
      await buildDashboard();
      const serve = children.start([
        'serve',
        '--ephemeral',
        '--port',
        '0',
        '--api-port',
        '0',
        '--speed',
        '20',
      ]);
      const url = (await serve.waitForStdout(graphqlLine, 90_000))[1]!;
      origin = new URL(url).origin;
      // Both demo clusters provisioned, so the pages below have machines to show.
      await pollUntil(
        'the demo clusters Provisioned',
        () => graphql('{ clusters { edges { node { name phase } } } }'),
        (answer) => {
          const edges = (answer.data?.clusters as { edges: Array<{ node: { phase: string } }> } | undefined)
            ?.edges;
          return edges?.length === 2 && edges.every((e) => e.node.phase === 'Provisioned');
        },
        120_000,
      );
      browser = await launchAgainst(origin);
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await children.stopAll();
    });

    it('the fleet page lists the demo clusters with their health in words', async () => {
      const page = await openPage('/');
      const table = page.getByRole('table', { name: 'cluster table' });
      for (const name of ['demo-plain', 'demo-topology']) {
        const row = table.locator(`[data-cluster="${name}"]`);
        await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
        await expect.poll(() => row.textContent(), { timeout: 60_000 }).toContain('Healthy');
      }
      await expect
        .poll(() => page.getByRole('region', { name: 'management clusters' }).textContent())
        .toContain('embedded');
      await expect
        .poll(() => page.getByRole('img', { name: 'By phase' }).textContent())
        .toContain('Provisioned');
      await screenshot(page, 'fleet');
      if (process.env.DASHBOARD_SCREENSHOT)
        await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT, fullPage: false });
      await page.close();
    }, 180_000);

    it("a scale started from the cluster page shows the operation's steps, and the new machine appears without a reload", async () => {
      const page = await openPage('/clusters/embedded/default/demo-plain');
      const md = page.locator('li[data-kind="MachineDeployment"]').first();
      await md.waitFor({ timeout: 30_000 });
      const mdName = (await md.getAttribute('data-name'))!;
      // Machines under the MachineDeployment: single rows plus grouped ones ("N Machines").
      const machineCount = () =>
        md.evaluate((el) => {
          const singles = el.querySelectorAll('li[data-kind="Machine"]').length;
          const grouped = [...el.querySelectorAll('li[data-kind="MachineGroup"]')].filter(
            (g) => g.querySelector('li[data-kind="Machine"]') === null,
          );
          return singles + grouped.reduce((n, g) => n + parseInt(g.textContent ?? '0', 10), 0);
        });
      await expect.poll(machineCount, { timeout: 30_000 }).toBe(2);
      await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

      await page.getByRole('spinbutton', { name: `replicas of ${mdName}` }).fill('3');
      await page
        .getByRole('form', { name: `scale ${mdName}` })
        .getByRole('button', { name: 'Scale' })
        .click();
      await page.getByRole('dialog').getByRole('button', { name: 'Scale' }).click();

      // The tree is live: what changed is highlighted for a moment.
      await expect
        .poll(() => page.locator('.tree-row.flash').count(), { timeout: 30_000 })
        .toBeGreaterThan(0);
      const operation = page.getByRole('region', { name: 'operations started here' });
      await expect
        .poll(() => operation.locator('ol.steps li').count(), { timeout: 30_000 })
        .toBeGreaterThan(0);
      await screenshot(page, 'scale-operation');
      await expect.poll(machineCount, { timeout: 90_000 }).toBe(3);
      await expect
        .poll(() => operation.locator('section.operation').getAttribute('data-phase'), { timeout: 90_000 })
        .toBe('SUCCEEDED');
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
        true,
      );
      await screenshot(page, 'scale-done');
      await page.close();
    }, 180_000);

    it("opening a Machine's YAML fetches its stored object then, and shows its metadata.name", async () => {
      const page = await browser.context.newPage();
      const bodies: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/graphql'))
          bodies.push(request.postData() ?? '');
      });
      await page.goto(`${origin}/clusters/embedded/default/demo-plain`);
      const machine = page.locator('li[data-kind="Machine"]').first();
      await machine.waitFor({ timeout: 30_000 });
      const name = (await machine.getAttribute('data-name'))!;
      // The tree is loaded without any object's raw; nothing is fetched before YAML is opened.
      expect(bodies.some((b) => b.includes('DashCluster'))).toBe(true);
      expect(bodies.some((b) => /\braw\b/.test(b))).toBe(false);

      await page.getByRole('button', { name: `YAML of Machine ${name}`, exact: true }).click();
      const yaml = page.getByRole('region', { name: `Machine ${name} YAML`, exact: true });
      await expect.poll(() => yaml.textContent(), { timeout: 30_000 }).toContain(`name: ${name}`);
      const object = parse((await yaml.textContent())!) as {
        kind: string;
        metadata: { name: string; namespace: string; managedFields?: unknown };
        spec: { clusterName: string };
      };
      expect(object.kind).toBe('Machine');
      expect(object.metadata).toMatchObject({ name, namespace: 'default' });
      expect(object.metadata.managedFields).toBeUndefined();
      expect(object.spec.clusterName).toBe('demo-plain');
      expect(bodies.filter((b) => b.includes('DashObjectRaw'))).toHaveLength(1);
      await screenshot(page, 'machine-yaml');

      // Closed, then opened again: read again (it is the object now, not a copy of the tree).
      const button = page.getByRole('button', { name: `YAML of Machine ${name}`, exact: true });
      await button.click();
      await expect.poll(() => yaml.count()).toBe(0);
      await button.click();
      await expect.poll(() => yaml.textContent(), { timeout: 30_000 }).toContain(`name: ${name}`);
      expect(bodies.filter((b) => b.includes('DashObjectRaw'))).toHaveLength(2);
      await page.close();
    }, 180_000);

    it('sorting the fleet table by a column orders the rows as the gateway does', async () => {
      const page = await openPage('/');
      const table = page.getByRole('table', { name: 'cluster table' });
      const firstRow = () => table.locator('[data-cluster]').first().getAttribute('data-cluster');
      await expect.poll(firstRow, { timeout: 30_000 }).toBe('demo-plain');
      const header = table.getByRole('columnheader', { name: /^Name(\s|$)/ });
      await header.getByRole('button').click();
      await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
      await header.getByRole('button').click();
      await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
      const server = await graphql(
        '{ clusters(first: 1, orderBy: { field: NAME, direction: DESC }) { edges { node { name } } } }',
      );
      const expected = (server.data?.clusters as { edges: Array<{ node: { name: string } }> }).edges[0]!.node
        .name;
      expect(expected).not.toBe('demo-plain');
      await expect.poll(firstRow, { timeout: 30_000 }).toBe(expected);
      await page.close();
    }, 180_000);

    it('an invalid upgrade shows its typed error in place', async () => {
      const page = await openPage('/clusters/embedded/default/demo-plain');
      const upgrade = page.getByRole('form', { name: 'upgrade' });
      await upgrade.waitFor({ timeout: 30_000 });
      await upgrade.getByRole('textbox', { name: 'target version' }).fill('v1.20.0');
      await upgrade.getByRole('button', { name: 'Plan upgrade' }).click();
      const alert = page.getByRole('region', { name: 'actions' }).getByRole('alert');
      await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toContain('ValidationError');
      expect(await alert.textContent()).toContain('downgrades are not supported');
      expect(await alert.textContent()).toContain('version');
      await screenshot(page, 'upgrade-error');
      await page.close();
    }, 180_000);

    it("the create form refuses a variable that fails its schema, and shows the gateway's ValidationError", async () => {
      const page = await openPage('/create');
      const region = page.getByRole('combobox', { name: /region/ });
      await region.waitFor({ timeout: 30_000 });
      await page.getByRole('textbox', { name: 'cluster name' }).fill('team-browser');
      await region.fill('mars');
      await expect
        .poll(() => page.getByRole('alert').first().textContent())
        .toContain('must be one of eu-west, us-east, ap-south');
      expect(await page.getByRole('button', { name: 'Create' }).isDisabled()).toBe(true);
      await screenshot(page, 'create-invalid-variable');

      // Valid in the form, refused by the gateway: its typed error is shown as it answered.
      await region.fill('eu-west');
      await page.getByRole('textbox', { name: 'cluster name' }).fill('Not_A_DNS_Name');
      await page.getByRole('button', { name: 'Preview (dry run)' }).click();
      await expect
        .poll(() => page.getByRole('alert').first().textContent(), { timeout: 30_000 })
        .toContain('ValidationError');

      // A valid form: "Preview" is a dry run that shows the manifests and creates nothing.
      await page.getByRole('textbox', { name: 'cluster name' }).fill('team-preview');
      await page.getByRole('button', { name: 'Preview (dry run)' }).click();
      const manifests = page.getByRole('region', { name: 'manifests' });
      await expect.poll(() => manifests.textContent(), { timeout: 30_000 }).toContain('kind: Cluster');
      expect(await manifests.textContent()).toContain('region');
      const created = await graphql('{ clusters(filter: { nameContains: "team-preview" }) { totalCount } }');
      expect((created.data?.clusters as { totalCount: number }).totalCount).toBe(0);
      await page.close();
    }, 180_000);

    it("GraphiQL renders from the gateway's own assets and runs the README's first query", async () => {
      const page = await openPage('/graphql');
      await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
      const answered = page.waitForResponse(
        (res) =>
          res.url() === `${origin}/graphql` &&
          res.request().method() === 'POST' &&
          (res.request().postData() ?? '').includes('fleetSummary'),
      );
      await page.locator('.graphiql-execute-button').click();
      const body = (await (await answered).json()) as {
        data?: { clusters: { edges: Array<{ node: { name: string } }> } };
        errors?: unknown;
      };
      expect(body.errors).toBeUndefined();
      expect(body.data?.clusters.edges.map((e) => e.node.name).sort()).toEqual([
        'demo-plain',
        'demo-topology',
      ]);
      // The editor shows the answer (only its first lines are in the DOM: the editor virtualises).
      const response = page.locator('.graphiql-response');
      await expect.poll(() => response.textContent(), { timeout: 30_000 }).toContain('managementClusters');
      expect(await response.textContent()).toContain('demo-plain');
      await screenshot(page, 'graphiql');
      await page.close();
    }, 180_000);

    it('asks for a token when the gateway answers 401, then sends it on HTTP and in graphql-ws connection_init', async () => {
      // Authentication is the gateway's to add; here the browser's route plays a gateway that
      // wants `Bearer s3cret` on every HTTP request.
      const context = await browser.context.browser()!.newContext();
      const authorizations: Array<string | undefined> = [];
      await context.route('**/*', async (route) => {
        const request = route.request();
        if (!request.url().startsWith(`${origin}/`)) return route.abort('internetdisconnected');
        if (request.method() !== 'POST') return route.continue();
        const authorization = await request.headerValue('authorization');
        authorizations.push(authorization ?? undefined);
        if (authorization !== 'Bearer s3cret')
          return route.fulfill({
            status: 401,
            contentType: 'application/json',
            body: JSON.stringify({ errors: [{ message: 'Unauthorized' }] }),
          });
        return route.continue();
      });
      const inits: unknown[] = [];
      await context.routeWebSocket(/\/graphql$/, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((message) => {
          const parsed = JSON.parse(String(message)) as { type?: string; payload?: unknown };
          if (parsed.type === 'connection_init') inits.push(parsed.payload ?? {});
          server.send(message);
        });
      });
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      const prompt = page.getByRole('dialog', { name: 'The gateway asks for a token' });
      await prompt.waitFor({ timeout: 30_000 });
      await screenshot(page, 'token-prompt');
      await prompt.getByLabel('Bearer token').fill('s3cret');
      await prompt.getByRole('button', { name: 'Use token' }).click();
      const table = page.getByRole('table', { name: 'cluster table' });
      await expect
        .poll(() => table.locator('[data-cluster="demo-plain"]').count(), { timeout: 30_000 })
        .toBe(1);
      expect(await prompt.count()).toBe(0);
      expect(authorizations.at(-1)).toBe('Bearer s3cret');
      await expect.poll(() => inits, { timeout: 30_000 }).toContainEqual({ authorization: 'Bearer s3cret' });
      expect(await page.evaluate(() => sessionStorage.getItem('capi-gateway.token'))).toBe('s3cret');
      await context.close();
    }, 180_000);

    it('is usable from the keyboard: Tab reaches a cluster link, Enter opens it', async () => {
      const page = await openPage('/');
      await page.locator('[data-cluster="demo-plain"] a').waitFor({ timeout: 30_000 });
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
        if (focused === 'demo-plain') break;
      }
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('demo-plain');
      await page.keyboard.press('Enter');
      await page.getByRole('region', { name: 'cluster tree' }).waitFor({ timeout: 30_000 });
      expect(new URL(page.url()).pathname).toBe('/clusters/embedded/default/demo-plain');
      await page.close();
    }, 180_000);

    it('the fleet page is live: a cluster created elsewhere appears, and the counts follow, without a reload', async () => {
      const page = await openPage('/');
      const table = page.getByRole('table', { name: 'cluster table' });
      await table.locator('[data-cluster="demo-plain"]').waitFor({ timeout: 30_000 });
      const total = page.getByRole('region', { name: 'fleet summary' }).locator('.total');
      const before = parseInt((await total.textContent()) ?? '', 10);
      await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
      const created = await graphql(`
        mutation {
          createCluster(
            input: {
              managementCluster: "embedded"
              namespace: "default"
              name: "team-live"
              clusterClass: "capi-gateway-demo"
              kubernetesVersion: "v1.33.1"
              controlPlaneReplicas: 1
              workers: [{ name: "pool-a", class: "general-purpose", replicas: 1 }]
              variables: { region: "eu-west" }
            }
          ) {
            __typename
          }
        }
      `);
      expect(created.data?.createCluster).toEqual({ __typename: 'CreateClusterPayload' });
      await expect
        .poll(() => table.locator('[data-cluster="team-live"]').count(), { timeout: 30_000 })
        .toBe(1);
      await expect
        .poll(async () => parseInt((await total.textContent()) ?? '', 10), { timeout: 30_000 })
        .toBe(before + 1);
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
        true,
      );
      await screenshot(page, 'fleet-live');
      await page.close();
    }, 180_000);

    it('no page loaded anything from outside the gateway', () => {
      expect(browser.blocked).toEqual([]);
    });
  },
);
