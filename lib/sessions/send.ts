// The thin step that sends what prepare.ts built, as the user: the strategic
// merge patch of pods/ephemeralcontainers (client-node), or the node debug
// pod or pod copy (POST, the body exactly as previewed). A refusal keeps the
// cluster's words and status: 403 (RBAC, admission), 404, 409 (a name taken),
// 422 with each cause as a field error.

import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { FieldError } from '@/lib/debug';
import { kubeFetch } from '@/lib/k8s/raw';
import { describeUserRequestError, type UserClusterClient } from '@/lib/k8s/user-client';
import { refusal, type SessionBuild, type SessionRefusal } from './prepare';

const SEND_TIMEOUT_MS = 15_000;

interface KubeStatus {
  message?: string;
  reason?: string;
  details?: { causes?: Array<{ field?: string; message?: string; reason?: string }> };
}

function statusOf(body: unknown): KubeStatus {
  if (typeof body !== 'string') return (body as KubeStatus | null) ?? {};
  try {
    return JSON.parse(body) as KubeStatus;
  } catch {
    return { message: body.trim().slice(0, 300) };
  }
}

/**
 * A failed send as a refusal. Pure. `error` is client-node's ApiException or
 * raw.ts's KubeStatusError (both carry `code` and the Status `body`), or a
 * transport error (502).
 */
export function sendRefusal(client: Pick<UserClusterClient, 'cluster' | 'mode' | 'kubeConfig'>, error: unknown, action: string): SessionRefusal {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'number') return refusal(502, `Could not ${action} on ${client.cluster}: ${describeUserRequestError(client, error, action, SEND_TIMEOUT_MS)}`);
  const status = statusOf((error as { body?: unknown }).body);
  const words = status.message ?? `HTTP ${code}`;
  switch (code) {
    case 403:
      return refusal(403, `${client.cluster} refused to ${action}: ${words}. Ask a cluster administrator if you need it.`);
    case 404:
      return refusal(404, `Could not ${action}: ${words}. It may have been deleted; reload and try again.`);
    case 409:
      return refusal(409, `Could not ${action}: ${words}. Choose another name, or delete the existing one first.`);
    case 400:
    case 422: {
      const causes = status.details?.causes ?? [];
      const errors: FieldError[] = causes.map((cause) => ({ field: cause.field ?? '(object)', message: cause.field && cause.message && !cause.message.startsWith(cause.field) ? `${cause.field}: ${cause.message}` : (cause.message ?? words) }));
      return refusal(code, `${client.cluster} refused the object: ${words}`, errors.length > 0 ? { errors } : {});
    }
    default:
      return refusal(502, `Could not ${action} on ${client.cluster}: ${describeUserRequestError(client, error, action, SEND_TIMEOUT_MS)}`);
  }
}

const podsPath = (namespace: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;

/** What the action is called in messages. */
export function describeSend(build: SessionBuild): string {
  if (build.kind === 'ephemeral') return `add ephemeral container ${build.container.name} to pod ${build.namespace}/${build.pod}`;
  return `create pod ${build.namespace}/${build.pod.metadata.name}`;
}

/** Sends `build` as the client's user; undefined when the cluster took it. */
export async function sendBuild(client: UserClusterClient, build: SessionBuild): Promise<SessionRefusal | undefined> {
  try {
    if (build.kind === 'ephemeral') {
      await client.core.patchNamespacedPodEphemeralcontainers(
        { name: build.pod, namespace: build.namespace, body: build.patch },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
    } else {
      await kubeFetch(client.kubeConfig, podsPath(build.namespace), { method: 'POST', body: build.pod, timeoutMs: SEND_TIMEOUT_MS });
    }
    return undefined;
  } catch (error) {
    return sendRefusal(client, error, describeSend(build));
  }
}

/** Deletes pod `namespace/name` as the client's user; a pod already gone is fine. Throws with the cluster's words otherwise. */
export async function deletePod(client: UserClusterClient, namespace: string, name: string): Promise<void> {
  try {
    await kubeFetch(client.kubeConfig, `${podsPath(namespace)}/${encodeURIComponent(name)}`, { method: 'DELETE', timeoutMs: SEND_TIMEOUT_MS });
  } catch (error) {
    if ((error as { code?: unknown }).code === 404) return;
    throw new Error(sendRefusal(client, error, `delete pod ${namespace}/${name}`).message, { cause: error });
  }
}
