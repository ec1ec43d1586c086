/**
 * The fleet page at 1,000 clusters: one page of 1,000 rows renders only the rows in view, the
 * whole page costs a handful of GraphQL requests (never one per row), and scrolling reaches the
 * last cluster. The fleet is loaded into an embedded management cluster without controllers, as
 * the benchmark does, and served by an in-process gateway.
 */
import type { Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import { startBenchCluster, type BenchCluster } from '../bench/bench-cluster.ts';
import { kubeHttp } from '../bench/kube-http.ts';
import { loadFleet } from '../bench/load-fleet.ts';
import { syntheticFleet } from '../gateway/support/synthetic-fleet.ts';
import { buildDashboard, launchAgainst, type GatewayBrowser } from './browser.ts';
import { chromiumPath, skipReason } from './chromium.ts';

const clusters = 1_000;

/** Machines as admission wants them, with a bootstrap data secret (the synthetic fleet has none). */
function withBootstrapSecrets(objects: KubeObject[]): KubeObject[] {
  return objects.map((o) =>
    o.kind === 'Machine'
      ? {
          ...o,
          spec: { ...(o.spec as object), bootstrap: { dataSecretName: `${o.metadata.name}-bootstrap` } },
        }
      : o,
  );
}
let cluster: BenchCluster | undefined;
let app: App | undefined;
let browser: GatewayBrowser | undefined;

describe.skipIf(!chromiumPath)(
  `fleet page at ${clusters} clusters${chromiumPath ? '' : ` (skipped: ${skipReason})`}`,
  () => {
    beforeAll(async () => {
      await buildDashboard();
      cluster = await startBenchCluster();
      const http = await kubeHttp(cluster.kubeconfigPath, 16);
      // One control-plane and one worker machine each: the table reads Clusters, not machines.
      const objects = withBootstrapSecrets(
        syntheticFleet({ clusters, controlPlaneMachines: 1, workerMachines: 1, namespace: 'fleet' }),
      );
      await loadFleet(http, 'fleet', objects, 16);
      http.close();
      app = await buildApp({
        managementClusters: [{ name: 'bench', kubeconfigPath: cluster.kubeconfigPath }],
        host: '127.0.0.1',
        port: 0,
      });
      await app.start();
      if (!(await app.gateway.fleet.whenSynced(120_000))) throw new Error('the gateway did not sync');
      browser = await launchAgainst(new URL(app.url).origin);
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await app?.stop();
      await cluster?.stop();
    });

    it('shows 1,000 rows on one page with a few requests, rendering only the rows in view', async () => {
      const page = await browser!.context.newPage();
      const graphqlPosts: Request[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/graphql')) graphqlPosts.push(request);
      });
      await page.goto(new URL('/', app!.url).toString());
      const table = page.getByRole('table', { name: 'cluster table' });
      await expect
        .poll(() => table.getAttribute('aria-rowcount'), { timeout: 60_000 })
        .toBe(String(clusters));

      await page.getByRole('combobox', { name: 'Rows per page' }).selectOption('1000');
      await expect
        .poll(() => page.locator('.table-bar').textContent(), { timeout: 60_000 })
        .toContain(`1–${clusters} of ${clusters}`);
      const rendered = await table.locator('[data-cluster]').count();
      expect(rendered).toBeGreaterThan(10);
      expect(rendered).toBeLessThan(100);

      const last = `cluster-${String(clusters - 1).padStart(4, '0')}`;
      await page.locator('.virtual').evaluate((el) => (el.scrollTop = el.scrollHeight));
      await expect.poll(() => table.locator(`[data-cluster="${last}"]`).count(), { timeout: 10_000 }).toBe(1);
      await browser!.screenshot(page, 'fleet-1000');

      // Management clusters, the first page, the page of 1,000, perhaps a reload after the live
      // snapshot and a management-cluster refresh: a handful, never one per row.
      expect(graphqlPosts.length).toBeLessThan(12);
      expect(browser!.blocked).toEqual([]);
      await page.close();
    }, 180_000);

    it('sorts on the server: a column header orders every page, the first row as the gateway orders it', async () => {
      const page = await browser!.context.newPage();
      const orders: unknown[] = [];
      page.on('request', (request) => {
        const body = request.method() === 'POST' ? (request.postData() ?? '') : '';
        if (body.includes('DashClusters'))
          orders.push((JSON.parse(body) as { variables?: { orderBy?: unknown } }).variables?.orderBy);
      });
      await page.goto(new URL('/', app!.url).toString());
      const table = page.getByRole('table', { name: 'cluster table' });
      const firstRow = () => table.locator('[data-cluster]').first().getAttribute('data-cluster');
      const names = () =>
        table
          .locator('[data-cluster]')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-cluster')));
      await expect.poll(firstRow, { timeout: 60_000 }).toBe('cluster-0000');
      // The default page of 100 (management cluster, namespace, name) ends long before cluster-0999.
      expect(await names()).not.toContain('cluster-0999');
      const nameHeader = table.getByRole('columnheader', { name: /^Name(\s|$)/ });
      expect(await nameHeader.getAttribute('aria-sort')).toBe('none');
      expect(await table.getByRole('columnheader', { name: /^Mgmt cluster/ }).getAttribute('aria-sort')).toBe(
        'ascending',
      );

      // From the keyboard: focus the header's button, Enter sorts ascending, Enter again descending.
      const sortByName = nameHeader.getByRole('button');
      await sortByName.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => nameHeader.getAttribute('aria-sort')).toBe('ascending');
      await page.keyboard.press('Enter');
      await expect.poll(() => nameHeader.getAttribute('aria-sort')).toBe('descending');

      const serverOrder = async (after?: string) => {
        const res = await fetch(new URL('/graphql', app!.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `query($after: String) { clusters(first: 100, after: $after, orderBy: { field: NAME, direction: DESC }) {
              pageInfo { endCursor } edges { node { name } } } }`,
            variables: { after },
          }),
        });
        const body = (await res.json()) as {
          data: { clusters: { pageInfo: { endCursor: string }; edges: Array<{ node: { name: string } }> } };
        };
        return {
          names: body.data.clusters.edges.map((e) => e.node.name),
          end: body.data.clusters.pageInfo.endCursor,
        };
      };
      const first = await serverOrder();
      expect(first.names[0]).toBe('cluster-0999');
      await expect.poll(firstRow, { timeout: 30_000 }).toBe(first.names[0]);
      expect(orders.at(-1)).toEqual({ field: 'NAME', direction: 'DESC' });
      await browser!.screenshot(page, 'fleet-1000-sorted');

      // The next page continues the server's order (a cursor of this order), still virtualised.
      await page.getByRole('button', { name: 'Next ▶' }).click();
      const second = await serverOrder(first.end);
      await expect.poll(firstRow, { timeout: 30_000 }).toBe(second.names[0]);
      expect(second.names[0]).toBe('cluster-0899');
      expect(await table.locator('[data-cluster]').count()).toBeLessThan(100);
      await expect.poll(() => page.locator('.table-bar').textContent()).toContain(`101–200 of ${clusters}`);

      // Another column starts that order from its first page.
      await table
        .getByRole('columnheader', { name: /^Namespace/ })
        .getByRole('button')
        .click();
      await expect.poll(firstRow, { timeout: 30_000 }).toBe('cluster-0000');
      await expect.poll(() => page.locator('.table-bar').textContent()).toContain(`1–100 of ${clusters}`);
      expect(orders.at(-1)).toEqual({ field: 'NAMESPACE', direction: 'ASC' });
      expect(await page.locator('.error').count()).toBe(0);
      expect(browser!.blocked).toEqual([]);
      await page.close();
    }, 180_000);
  },
);
