/**
 * `npm start`: builds both extensions pointed at the local ExpressAI service,
 * starts the service, and tells you where everything is.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { DEV_ACCOUNTS } from '../server/accounts';
import { startServer } from '../server/app';

const host = process.env.EXPRESSAI_HOST ?? '127.0.0.1';
const port = Number(process.env.EXPRESSAI_PORT ?? 8787);
const origin = `http://${host}:${port}`;
const env = { ...process.env, WXT_EXPRESSAI_ISSUER: process.env.WXT_EXPRESSAI_ISSUER ?? origin };

for (const browser of ['chrome', 'firefox']) {
  console.log(`Building the ${browser} extension against ${env.WXT_EXPRESSAI_ISSUER} …`);
  execFileSync('npx', ['wxt', 'build', '-b', browser, '--mv3'], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

const service = await startServer({
  host,
  port,
  testMode: process.env.EXPRESSAI_TEST_MODE === '1',
  upstreamUrl: process.env.EXPRESSAI_UPSTREAM_URL,
  upstreamKey: process.env.EXPRESSAI_UPSTREAM_KEY,
});

console.log(`
ExpressAI development service: ${service.url}  (a development service; its "expressai-dev" model is not AI)

Unpacked builds:
  Chrome:  ${resolve('.output/chrome-mv3')}        (chrome://extensions → Developer mode → Load unpacked)
  Firefox: ${resolve('.output/firefox-mv3/manifest.json')}  (about:debugging → This Firefox → Load Temporary Add-on)

Development accounts:
${DEV_ACCOUNTS.map((a) => `  ${a.email.padEnd(22)} password: ${a.password}`).join('\n')}

Press Ctrl+C to stop.`);

const stop = async () => {
  await service.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
