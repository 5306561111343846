import type { Metadata } from 'next';
import Link from 'next/link';
import { ErrorNotice } from '@/components/cluster/error-notice';
import { DebugForm } from '@/components/debug/debug-form';
import { DebugNotAllowed } from '@/components/debug/not-allowed';
import { podSubject } from '@/components/debug/pod-subject';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { UserFacingError } from '@/lib/http/errors';
import { parseOrThrow, podParams } from '@/lib/k8s/params';
import { browseAs, podPage } from '@/lib/k8s/pods';
import { clusterClientFor } from '@/lib/k8s/user-client';

type Props = { params: Promise<{ cluster: string; namespace: string; name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { namespace, name } = await params;
  return { title: `Debug ${namespace}/${name}` };
}

export default async function DebugPodPage({ params }: Props) {
  const user = await requireUser('GET /clusters/[cluster]/pods/[namespace]/[name]/debug');
  const raw = await params;
  const podHref = `/clusters/${encodeURIComponent(raw.cluster)}/pods/${raw.namespace}/${raw.name}`;
  const heading = (
    <div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        <Link href={podHref} prefetch={false} className="hover:underline">
          {raw.namespace}/{raw.name}
        </Link>{' '}
        / debug
      </p>
      <h1 className="text-lg font-semibold tracking-tight">
        Debug <span className="font-mono">{raw.name}</span>
      </h1>
    </div>
  );
  if (!can(user.roles, 'sessions.start') && !can(user.roles, 'diagnostics.run')) {
    return (
      <div className="space-y-4">
        {heading}
        <DebugNotAllowed user={user} back={podHref} />
      </div>
    );
  }
  try {
    const { cluster, namespace, name } = parseOrThrow(podParams, raw);
    const page = await podPage(clusterClientFor(cluster, user), browseAs(user, cluster), namespace, name);
    return (
      <div className="space-y-4">
        {heading}
        <DebugForm cluster={cluster} subject={podSubject(page.detail)} />
      </div>
    );
  } catch (error) {
    if (error instanceof UserFacingError) return <ErrorNotice title={error.status === 404 ? 'No such pod' : 'Cannot debug this pod'} message={error.message} />;
    throw error;
  }
}
