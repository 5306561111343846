import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { describeRequestError } from './errors';

describe('describeRequestError', () => {
  const server = 'https://api.example:6443';
  const request = { server, action: 'read /version', timeoutMs: 3000 };
  // Shaped like node-fetch's FetchError, which client-node's fetch throws for socket and TLS failures.
  const fetchError = (code: string, reason: string) =>
    Object.assign(new Error(`request to ${server}/version failed, reason: ${reason}`), { name: 'FetchError', type: 'system', code, errno: code });
  const abort = Object.assign(new Error('The user aborted a request.'), { name: 'AbortError', type: 'aborted' });

  it.each([
    [fetchError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.example'), 'DNS lookup failed: no address found for api.example. Check the server URL in the kubeconfig, or your VPN and DNS.'],
    [fetchError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN api.example'), 'DNS lookup for api.example failed (temporary DNS failure). Check your network and DNS.'],
    [fetchError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:6443'), 'Connection refused by api.example:6443: nothing is listening there. Is the API server running, and is the port right?'],
    [fetchError('EHOSTUNREACH', 'connect EHOSTUNREACH'), 'No network route to api.example. Check your VPN or network.'],
    [abort, 'No answer from api.example:6443 within 3 s. The server may be overloaded, or a firewall drops the traffic.'],
    [
      fetchError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
      "TLS error: the API server's certificate is not signed by the certificate authority in the kubeconfig (self-signed certificate). Check certificate-authority-data for this cluster.",
    ],
    [fetchError('CERT_HAS_EXPIRED', 'certificate has expired'), "TLS error: the API server's certificate has expired (certificate has expired)."],
    [
      fetchError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"),
      "TLS error: the API server's certificate is not valid for api.example (Hostname/IP does not match certificate's altnames). Use the host name the certificate was issued for, or set tls-server-name in the kubeconfig.",
    ],
    [
      fetchError('EPROTO', 'write EPROTO 80:error:0A00010B:SSL routines:ssl3_get_record:wrong version number'),
      'TLS handshake failed: api.example:6443 does not speak HTTPS. Is the URL pointing at a plain HTTP port?',
    ],
  ])('explains %s', (error, message) => {
    expect(describeRequestError(error, request)).toBe(message);
  });

  it('explains 401 and 403 answers, quoting the Status message', () => {
    expect(describeRequestError(new ApiException(401, 'Unauthorized', undefined, {}), request)).toBe(
      'The API server rejected the credentials (401 Unauthorized): the token or client certificate of this context is invalid or expired.',
    );
    const forbidden = JSON.stringify({ kind: 'Status', code: 403, message: 'forbidden: User "x" cannot get path "/version"' });
    expect(describeRequestError(new ApiException(403, 'Unknown API Status Code!', forbidden, {}), request)).toBe(
      'Signed in, but not allowed to read /version (403 Forbidden): forbidden: User "x" cannot get path "/version". Check the RBAC bindings of this context\'s user.',
    );
    expect(describeRequestError(new ApiException(503, 'Unknown API Status Code!', 'upstream connect error', {}), request)).toBe(
      'The API server answered HTTP 503: upstream connect error.',
    );
  });

  it('passes through a credential plugin failure and anything unknown', () => {
    expect(describeRequestError(new Error('exec: executable aws not found'), request)).toBe('exec: executable aws not found');
    expect(describeRequestError('boom', request)).toBe('Unexpected failure: boom');
  });
});
