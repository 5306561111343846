// What the signed-in user may do with this pod, each action failing closed
// (components/auth/can.tsx): nothing is rendered until the cluster (as the
// user) and Ephemera's role both say yes. A viewer sees none of them.

import Link from 'next/link';
import { Can, PermissionGate } from '@/components/auth/can';
import type { EphemeraUser } from '@/lib/auth/types';
import type { PodPage } from '@/lib/k8s/pods';
import type { Browse } from '@/lib/k8s/pods';
import { recyclePermission } from '@/lib/k8s/recycle';
import { RecycleButton } from './recycle-button';

export function PodActions({ user, browse, page }: { user: EphemeraUser; browse: Browse; page: PodPage }) {
  const { row, owners, containers } = page.detail;
  const controller = owners.find((owner) => owner.controller);
  const ephemeral = containers.filter((c) => c.kind === 'ephemeral');
  const base = `/clusters/${encodeURIComponent(browse.cluster)}/pods/${row.namespace}/${row.name}`;
  return (
    <div className="flex flex-wrap items-start gap-2">
      <Can user={user} cluster={browse.cluster} capability="debug" namespace={row.namespace}>
        <Link href={`${base}/debug`} prefetch={false} className="rounded-md bg-violet-600 px-2.5 py-1 text-xs font-medium text-white hover:bg-violet-700">
          Debug…
        </Link>
      </Can>
      {controller && ephemeral.length > 0 && (
        <PermissionGate permission={recyclePermission(user, browse, row.namespace)}>
          <RecycleButton
            cluster={browse.cluster}
            namespace={row.namespace}
            name={row.name}
            uid={row.uid}
            owner={`${controller.kind}/${controller.name}`}
            ephemeral={{ count: ephemeral.length, running: ephemeral.filter((c) => c.status.state === 'running').length }}
            after={`/clusters/${encodeURIComponent(browse.cluster)}/recycle`}
          />
        </PermissionGate>
      )}
    </div>
  );
}
