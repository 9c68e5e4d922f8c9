/**
 * A `fetch` for endpoints behind a corporate certificate authority (`kestrel.caFile`).
 *
 * Node 20's global fetch cannot take extra CAs without an HTTP agent of our own, and our own agent
 * would bypass VS Code's proxy support. Node's `https.request` takes a `ca` option and is the
 * module VS Code patches for proxies, so this adapter uses it and only adds trust; it is used only
 * when a CA file is set.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import * as tls from 'node:tls';

export function fetchTrustingCa(caPem: string): typeof fetch {
  const ca = [...tls.rootCertificates, caPem];
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const url = new URL(request.url);
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise<Response>((resolve, reject) => {
      const outgoing = send(url, { method: request.method, headers: Object.fromEntries(request.headers), ca }, (incoming) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          for (const item of Array.isArray(value) ? value : [value ?? '']) headers.append(name, item);
        }
        const nullBody = incoming.statusCode === 204 || incoming.statusCode === 304;
        resolve(
          new Response(nullBody ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>), {
            status: incoming.statusCode,
            statusText: incoming.statusMessage,
            headers,
          }),
        );
      });
      const abort = () => outgoing.destroy(Object.assign(new Error('The request was aborted.'), { name: 'AbortError' }));
      if (request.signal.aborted) abort();
      request.signal.addEventListener('abort', abort, { once: true });
      outgoing.on('error', reject);
      outgoing.on('close', () => request.signal.removeEventListener('abort', abort));
      outgoing.end(body);
    });
  };
}
