// What went wrong talking to a cluster, in words an operator can act on.
// client-node throws, depending on where a request failed: an ApiException
// (the server answered with an HTTP error), a node-fetch FetchError carrying a
// system or TLS error code, an AbortError (our timeout), or a plain Error (for
// instance from a credential plugin). Pure: tests pass look-alike objects.

export interface RequestDescription {
  /** The API server URL, to name the host and port in the message. */
  server: string;
  /** What the request tried, for a 403: "read /version", "list pods in payments". */
  action: string;
  /** The timeout that was set, for an AbortError. */
  timeoutMs: number;
}

const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

export function describeRequestError(error: unknown, request: RequestDescription): string {
  const { host, hostPort } = describeServer(request.server);
  if (typeof error !== 'object' || error === null) return `Unexpected failure: ${String(error)}`;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  // node-fetch puts the socket's own words after "reason: ".
  const reason = text.includes('reason: ') ? text.slice(text.indexOf('reason: ') + 8).trim() : text;

  if (typeof code === 'number') return describeHttpStatus(code, (error as { body?: unknown }).body, request.action);
  if (name === 'AbortError') {
    return `No answer from ${hostPort} within ${request.timeoutMs / 1000} s. The server may be overloaded, or a firewall drops the traffic.`;
  }

  switch (code) {
    case 'ENOTFOUND':
      return `DNS lookup failed: no address found for ${host}. Check the server URL in the kubeconfig, or your VPN and DNS.`;
    case 'EAI_AGAIN':
      return `DNS lookup for ${host} failed (temporary DNS failure). Check your network and DNS.`;
    case 'ECONNREFUSED':
      return `Connection refused by ${hostPort}: nothing is listening there. Is the API server running, and is the port right?`;
    case 'ECONNRESET':
      return `${hostPort} closed the connection before answering. A proxy or load balancer in between may be refusing it.`;
    case 'ETIMEDOUT':
      return `Connecting to ${hostPort} timed out. The host may be down, or a firewall drops the traffic.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `No network route to ${host}. Check your VPN or network.`;
    case 'CERT_HAS_EXPIRED':
      return `TLS error: the API server's certificate has expired (${reason}).`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS error: the API server's certificate is not valid for ${host} (${reason}). Use the host name the certificate was issued for, or set tls-server-name in the kubeconfig.`;
  }
  if (typeof code === 'string' && UNTRUSTED_CERTIFICATE.has(code)) {
    return `TLS error: the API server's certificate is not signed by the certificate authority in the kubeconfig (${reason}). Check certificate-authority-data for this cluster.`;
  }
  if (/wrong version number|packet length too long/i.test(reason)) {
    return `TLS handshake failed: ${hostPort} does not speak HTTPS. Is the URL pointing at a plain HTTP port?`;
  }
  if (typeof code === 'string' && (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code === 'EPROTO')) {
    return `TLS error talking to ${hostPort}: ${reason}`;
  }
  return reason || `Unexpected failure: ${String(name ?? 'error')}`;
}

function describeHttpStatus(code: number, body: unknown, action: string): string {
  const detail = statusMessage(body);
  if (code === 401) {
    return 'The API server rejected the credentials (401 Unauthorized): the token or client certificate of this context is invalid or expired.';
  }
  if (code === 403) {
    return `Signed in, but not allowed to ${action} (403 Forbidden)${detail ? `: ${detail}` : ''}. Check the RBAC bindings of this context's user.`;
  }
  return `The API server answered HTTP ${code}${detail ? `: ${detail}` : ''}.`;
}

/** The `message` of a Kubernetes Status body, which client-node hands over as raw JSON text. */
function statusMessage(body: unknown): string | undefined {
  let status = body;
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body);
    } catch {
      return body.trim().slice(0, 200) || undefined;
    }
  }
  const message = (status as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : undefined;
}

function describeServer(server: string): { host: string; hostPort: string } {
  try {
    const url = new URL(server);
    const port = url.port || (url.protocol === 'http:' ? '80' : '443');
    return { host: url.hostname, hostPort: `${url.hostname}:${port}` };
  } catch {
    return { host: server, hostPort: server };
  }
}
