/**
 * `npm run realcluster -- up --data-dir DIR`: runs the real management cluster in the
 * foreground for people and other tools, writes DIR/kubeconfig, stops cleanly on Ctrl-C/SIGTERM.
 * It prints the kubeconfig's path, never its contents: the file holds an admin token, and
 * stdout ends up in terminal scrollback and CI logs.
 */
import { Command } from 'commander';
import { startRealCluster } from './fixture.ts';

const program = new Command('realcluster').description(
  'A real Cluster API management cluster on loopback (etcd, kube-apiserver, CAPI managers) built by npm run realcluster:build',
);

program
  .command('up')
  .description('start the cluster in the foreground; Ctrl-C or SIGTERM stops it')
  .requiredOption('--data-dir <dir>', 'where pki/, logs/ and kubeconfig are written')
  .action(async (options: { dataDir: string }) => {
    const log = (line: string): void => console.error(`realcluster: ${line}`);
    const cluster = await startRealCluster({ dataDir: options.dataDir, log });
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: stopping`);
      cluster.stop().then(
        () => {
          log('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          log(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    log(`logs in ${cluster.logDir}`);
    process.stdout.write(
      `kubeconfig: ${cluster.kubeconfigPath}\n  try: kubectl --kubeconfig ${cluster.kubeconfigPath} get clusters -A\n`,
    );
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`realcluster: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
