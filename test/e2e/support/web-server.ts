/** A throwaway web server on 127.0.0.1 and a random port, for pages that play the part of a website. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestWebServer {
  /** `http://127.0.0.1:<port>/`; every path answers with the same page. */
  url: string;
  close(): Promise<void>;
}

export async function serveTestPage(html: string): Promise<TestWebServer> {
  const server = createServer((req, res) => {
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
