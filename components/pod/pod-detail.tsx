// The pod page's body: summary, containers (ephemeral ones in their own
// section), volumes, conditions, events, labels and annotations, YAML.

import Link from 'next/link';
import { ConditionsTable } from '@/components/cluster/conditions-table';
import { KeyValues } from '@/components/cluster/key-values';
import { Field, Section } from '@/components/cluster/section';
import { age } from '@/lib/k8s/duration';
import type { PodPage } from '@/lib/k8s/pods';
import { ContainerCard } from './container-card';
import { PodStatusBadge } from './pod-status-badge';

export function PodSummary({ cluster, page, now }: { cluster: string; page: PodPage; now: number }) {
  const { detail } = page;
  const { row } = detail;
  const controller = detail.owners.find((owner) => owner.controller);
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-md border border-zinc-200 bg-white p-4 sm:grid-cols-4 lg:grid-cols-6 dark:border-zinc-800 dark:bg-zinc-900">
      <Field term="Status"><PodStatusBadge row={row} /></Field>
      <Field term="Ready">{row.ready}</Field>
      <Field term="Restarts">{row.restarts}</Field>
      <Field term="Age">{row.createdAt ? <time dateTime={row.createdAt} title={row.createdAt}>{age(row.createdAt, now)}</time> : '<unknown>'}</Field>
      <Field term="Node">
        {row.node ? (
          <Link href={`/clusters/${encodeURIComponent(cluster)}/nodes/${row.node}`} prefetch={false} className="hover:underline">
            {row.node}
          </Link>
        ) : (
          '<none>'
        )}
      </Field>
      <Field term="Controlled by">{controller ? `${controller.kind}/${controller.name}` : 'nothing (a bare pod)'}</Field>
      <Field term="Pod IP">{detail.podIPs.join(', ') || '<none>'}</Field>
      <Field term="Host IP">{detail.hostIP ?? '<none>'}</Field>
      <Field term="QoS class">{detail.qosClass ?? '—'}</Field>
      <Field term="Service account">{detail.serviceAccount ?? 'default'}</Field>
      <Field term="Restart policy">{detail.restartPolicy ?? 'Always'}</Field>
      {detail.deletionAt && <Field term="Deleting at">{detail.deletionAt}</Field>}
    </dl>
  );
}

export function PodContainers({ page, now }: { page: PodPage; now: number }) {
  const containers = page.detail.containers;
  const regular = containers.filter((c) => c.kind !== 'ephemeral');
  const ephemeral = containers.filter((c) => c.kind === 'ephemeral');
  const running = ephemeral.filter((c) => c.status.state === 'running').length;
  return (
    <>
      <Section title="Containers" id="containers">
        <div className="space-y-3">
          {regular.map((container) => (
            <ContainerCard key={`${container.kind}:${container.name}`} container={container} now={now} />
          ))}
        </div>
      </Section>
      <Section
        title="Ephemeral containers"
        id="ephemeral-containers"
        aside={<span className="text-xs text-zinc-500 dark:text-zinc-400">{ephemeral.length === 0 ? 'none' : `${ephemeral.length}, ${running} running`}</span>}
      >
        {ephemeral.length === 0 ? (
          <p className="text-zinc-500 dark:text-zinc-400">No ephemeral container has been added to this pod.</p>
        ) : (
          <div className="space-y-3">
            <p className="text-xs text-zinc-500 dark:text-zinc-400">Ephemeral containers stay in the pod’s spec for its whole life, even after they stop; recycle the pod to be rid of them.</p>
            {ephemeral.map((container) => (
              <ContainerCard key={container.name} container={container} now={now} />
            ))}
          </div>
        )}
      </Section>
    </>
  );
}

export function PodVolumes({ page }: { page: PodPage }) {
  const { volumes } = page.detail;
  return (
    <Section title="Volumes" id="volumes">
      {volumes.length === 0 ? (
        <p className="text-zinc-400 dark:text-zinc-600">None.</p>
      ) : (
        <table aria-label="Volumes" className="w-full text-left">
          <thead className="text-xs text-zinc-500 dark:text-zinc-400">
            <tr>
              <th scope="col" className="py-1 pr-4 font-medium">Volume</th>
              <th scope="col" className="py-1 pr-4 font-medium">Source</th>
              <th scope="col" className="py-1 font-medium">Mounted by</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {volumes.map((volume) => (
              <tr key={volume.name} className="align-top">
                <th scope="row" className="py-1 pr-4 font-mono text-xs font-medium">{volume.name}</th>
                <td className="py-1 pr-4 font-mono text-xs">{volume.source}</td>
                <td className="py-1 text-xs">
                  {volume.mountedBy.length === 0 ? (
                    <span className="text-zinc-400">no container</span>
                  ) : (
                    <ul className="space-y-0.5">
                      {volume.mountedBy.map((mount) => (
                        <li key={`${mount.container}:${mount.mountPath}`}>
                          <span className="font-mono">{mount.container}</span>
                          {mount.kind === 'ephemeral' && <span className="text-violet-700 dark:text-violet-400"> (ephemeral)</span>} at <span className="font-mono">{mount.mountPath}</span>
                          <span className="text-zinc-500"> {mount.readOnly ? 'read-only' : 'read-write'}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

const POD_CONDITIONS_GOOD_WHEN_FALSE = new Set(['DisruptionTarget']);

export function PodConditions({ page, now }: { page: PodPage; now: number }) {
  return (
    <Section title="Conditions" id="conditions">
      <ConditionsTable label="Pod conditions" conditions={page.detail.conditions} now={now} goodWhenTrue={(type) => !POD_CONDITIONS_GOOD_WHEN_FALSE.has(type)} />
    </Section>
  );
}

export function PodEvents({ page, now }: { page: PodPage; now: number }) {
  const { events } = page;
  return (
    <Section title="Events" id="events">
      {!events.shown ? (
        <p className="text-zinc-500 dark:text-zinc-400">{events.reason}</p>
      ) : events.items.length === 0 ? (
        <p className="text-zinc-400 dark:text-zinc-600">No events (the cluster keeps them for about an hour).</p>
      ) : (
        <table aria-label="Pod events" className="w-full text-left">
          <thead className="text-xs text-zinc-500 dark:text-zinc-400">
            <tr>
              <th scope="col" className="py-1 pr-4 font-medium">Type</th>
              <th scope="col" className="py-1 pr-4 font-medium">Reason</th>
              <th scope="col" className="py-1 pr-4 font-medium">Age</th>
              <th scope="col" className="py-1 pr-4 font-medium">From</th>
              <th scope="col" className="py-1 font-medium">Message</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {events.items.map((event, i) => (
              <tr key={i} className="align-top">
                <td className={`py-1 pr-4 ${event.type === 'Warning' ? 'text-amber-700 dark:text-amber-400' : ''}`}>{event.type}</td>
                <td className="py-1 pr-4">{event.reason}</td>
                <td className="py-1 pr-4 tabular-nums">
                  {event.lastAt ? age(event.lastAt, now) : ''}
                  {event.count > 1 ? ` (x${event.count})` : ''}
                </td>
                <td className="py-1 pr-4 text-zinc-600 dark:text-zinc-400">{event.from}</td>
                <td className="py-1 text-zinc-700 dark:text-zinc-300">{event.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

export function PodMetadata({ page }: { page: PodPage }) {
  return (
    <Section title="Labels and annotations" id="metadata">
      <h3 className="text-xs text-zinc-500 dark:text-zinc-400">Labels</h3>
      <KeyValues label="Labels" values={page.detail.labels} />
      <h3 className="pt-2 text-xs text-zinc-500 dark:text-zinc-400">Annotations</h3>
      <KeyValues label="Annotations" values={page.detail.annotations} />
    </Section>
  );
}

export function PodYaml({ page }: { page: PodPage }) {
  return (
    <Section title="YAML" id="yaml">
      <details>
        <summary className="cursor-pointer text-sm text-sky-700 dark:text-sky-400">Show the pod as YAML (values from Secrets appear as references only)</summary>
        <pre aria-label="Pod YAML" className="mt-2 max-h-[32rem] overflow-auto rounded bg-zinc-50 p-3 font-mono text-xs dark:bg-zinc-950">{page.yaml}</pre>
      </details>
    </Section>
  );
}
