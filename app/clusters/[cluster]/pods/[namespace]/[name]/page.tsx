import type { Metadata } from 'next';
import Link from 'next/link';
import { ErrorNotice } from '@/components/cluster/error-notice';
import { Section } from '@/components/cluster/section';
import { LiveRefresh } from '@/components/live/live-refresh';
import { LogViewer } from '@/components/pod/log-viewer';
import { PodActions } from '@/components/pod/pod-actions';
import { PodConditions, PodContainers, PodEvents, PodMetadata, PodSummary, PodVolumes, PodYaml } from '@/components/pod/pod-detail';
import { requireUser } from '@/lib/auth/session';
import { UserFacingError } from '@/lib/http/errors';
import { parseOrThrow, podParams } from '@/lib/k8s/params';
import { rowsFingerprint } from '@/lib/k8s/pod-view';
import { browseAs, podPage } from '@/lib/k8s/pods';
import { clusterClientFor } from '@/lib/k8s/user-client';

type Props = { params: Promise<{ cluster: string; namespace: string; name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { namespace, name } = await params;
  return { title: `${namespace}/${name}` };
}

export default async function PodPage({ params }: Props) {
  const user = await requireUser('GET /clusters/[cluster]/pods/[namespace]/[name]');
  const raw = await params;
  const podsHref = `/clusters/${encodeURIComponent(raw.cluster)}/pods`;
  try {
    const { cluster, namespace, name } = parseOrThrow(podParams, raw);
    const browse = browseAs(user, cluster);
    const page = await podPage(clusterClientFor(cluster, user), browse, namespace, name);
    const now = Date.now();
    const defaultContainer = page.detail.annotations['kubectl.kubernetes.io/default-container'] ?? page.detail.containers.find((c) => c.kind === 'container')?.name ?? '';
    return (
      <div className="space-y-4">
        <LiveRefresh cluster={cluster} feed={new URLSearchParams({ namespace, q: name }).toString()} keys={[`${namespace}/${name}`]} fingerprint={rowsFingerprint([page.detail.row])} />
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              <Link href={`${podsHref}?namespace=${namespace}`} prefetch={false} className="hover:underline">
                {namespace}
              </Link>{' '}
              / pod
            </p>
            <h1 className="font-mono text-lg font-semibold tracking-tight">{name}</h1>
          </div>
          <PodActions user={user} browse={browse} page={page} />
        </div>
        <PodSummary cluster={cluster} page={page} now={now} />
        <PodContainers page={page} now={now} />
        <Section title="Logs" id="logs">
          <LogViewer
            cluster={cluster}
            namespace={namespace}
            pod={name}
            containers={page.detail.containers.map((c) => ({ name: c.name, kind: c.kind }))}
            defaultContainer={defaultContainer}
          />
        </Section>
        <PodVolumes page={page} />
        <PodConditions page={page} now={now} />
        <PodEvents page={page} now={now} />
        <PodMetadata page={page} />
        <PodYaml page={page} />
      </div>
    );
  } catch (error) {
    if (error instanceof UserFacingError) {
      return (
        <div className="space-y-3">
          <ErrorNotice title={error.status === 404 ? 'No such pod' : 'Cannot show this pod'} message={error.message} />
          <Link href={podsHref} className="text-sm text-sky-700 hover:underline dark:text-sky-400">
            Back to the pods
          </Link>
        </div>
      );
    }
    throw error;
  }
}
