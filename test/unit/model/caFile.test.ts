// `kestrel.caFile`: an endpoint whose certificate comes from a private CA (corporate TLS
// inspection) works once that CA is trusted, and fails clearly without it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { parseSettings } from '../../../src/core/settings';
import { ModelService } from '../../../src/model/modelService';
import { UsageLedger } from '../../../src/model/usageLedger';
import { startOpenAiTestServer, type OpenAiTestServer } from '../../fakes/openaiTestServer';
import { collect, RecordingLogger } from './serviceHarness';

const tls = path.join(__dirname, '../../../../test/fixtures/tls');
const certFile = path.join(tls, 'localhost-cert.pem');

describe('custom CA file', function () {
  this.timeout(10_000);
  let server: OpenAiTestServer;
  let proxy: https.Server;
  let httpsBase: string;

  before(async () => {
    server = await startOpenAiTestServer({ apiKey: 'sk-test' });
    // HTTPS in front of the plain test server, with a certificate no public CA signed.
    proxy = https.createServer({ key: fs.readFileSync(path.join(tls, 'localhost-key.pem')), cert: fs.readFileSync(certFile) }, (req, res) => {
      const upstream = http.request(`http://127.0.0.1:${server.port}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
      // The client hanging up must reach the test server, as it would without the proxy.
      res.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    httpsBase = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`;
  });
  after(async () => {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    await server.close();
  });

  function serviceWith(caFile: string) {
    const { settings } = parseSettings((key) => ({ baseUrl: httpsBase, caFile })[key]);
    return new ModelService({
      settings: () => settings,
      apiKey: async () => 'sk-test',
      readCaFile: async (file) => fs.readFileSync(file, 'utf8'),
      usage: new UsageLedger(),
      log: new RecordingLogger(),
    });
  }

  it('refuses the untrusted certificate without the CA file', async () => {
    const { error } = await collect(serviceWith(''), { feature: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(error?.kind, 'network');
  });

  it('streams through the endpoint once the CA file is set', async () => {
    server.enqueue({ content: 'Trusted now.' });
    const { text, error } = await collect(serviceWith(certFile), { feature: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(error, undefined);
    assert.equal(text, 'Trusted now.');
  });

  it('says which CA file it could not read', async () => {
    const { error } = await collect(serviceWith('/nonexistent/corp-ca.pem'), { feature: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(error?.kind, 'config');
    assert.match(error!.message, /corp-ca\.pem/);
  });

  it('aborts a request through the CA-trusting fetch when cancelled', async () => {
    server.enqueue({ content: 'slow '.repeat(100), tokensPerSecond: 20 });
    const controller = new AbortController();
    const before = server.requests.length;
    const run = collect(serviceWith(certFile), { feature: 'chat', messages: [{ role: 'user', content: 'hi' }], signal: controller.signal });
    await server.waitForRequest(before);
    setTimeout(() => controller.abort(), 100);
    assert.equal((await run).error?.kind, 'cancelled');
    assert.equal((await server.waitForAbort(before)).aborted, true);
  });
});
