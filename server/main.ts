/**
 * `npm run server`: starts the local ExpressAI service from `EXPRESSAI_*`
 * environment variables and stops it cleanly on Ctrl-C.
 */
import { startServer, type RunningServer, type ServerOptions } from './app';
import { optionsFromEnv, startBanner } from './env-options';

let options: ServerOptions;
let server: RunningServer;
try {
  options = optionsFromEnv(process.env);
  server = await startServer(options);
} catch (error) {
  process.stderr.write(`ExpressAI development service could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
process.stdout.write(`${startBanner(server.url, options)}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().finally(() => process.exit(0));
  });
}
