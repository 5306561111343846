import Link from 'next/link';
import { ConditionsTable } from '@/components/cluster/conditions-table';
import { KeyValues } from '@/components/cluster/key-values';
import { Field, Section } from '@/components/cluster/section';
import { PodStatusBadge } from '@/components/pod/pod-status-badge';
import { age } from '@/lib/k8s/duration';
import type { NodePage } from '@/lib/k8s/nodes';

/** Node conditions where True means trouble (the pressure conditions); Ready is the one where True is good. */
const goodWhenTrue = (type: string) => type === 'Ready';

export function NodeDetailView({ cluster, page, now }: { cluster: string; page: NodePage; now: number }) {
  const { detail, pods } = page;
  const { row } = detail;
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-md border border-zinc-200 bg-white p-4 sm:grid-cols-4 lg:grid-cols-6 dark:border-zinc-800 dark:bg-zinc-900">
        <Field term="Status">
          <span className={row.ready ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}>{row.status}</span>
        </Field>
        <Field term="Roles">{row.roles}</Field>
        <Field term="Age">{age(row.createdAt, now)}</Field>
        <Field term="Addresses">{detail.addresses.map((address) => `${address.address} (${address.type})`).join(', ') || '—'}</Field>
        <Field term="Pod CIDRs">{detail.podCIDRs.join(', ') || '—'}</Field>
        {detail.info.map((item) => (
          <Field key={item.label} term={item.label}>
            {item.value}
          </Field>
        ))}
      </dl>
      <Section title="Conditions" id="node-conditions">
        <ConditionsTable label="Node conditions" conditions={detail.conditions} now={now} goodWhenTrue={goodWhenTrue} />
      </Section>
      <div className="grid gap-4 lg:grid-cols-2">
        <Section title="Capacity and allocatable" id="capacity">
          <table aria-label="Capacity and allocatable" className="w-full text-left">
            <thead className="text-xs text-zinc-500 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-1 pr-4 font-medium">Resource</th>
                <th scope="col" className="py-1 pr-4 font-medium">Capacity</th>
                <th scope="col" className="py-1 font-medium">Allocatable</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 font-mono text-xs dark:divide-zinc-800">
              {detail.resources.map((resource) => (
                <tr key={resource.name}>
                  <th scope="row" className="py-1 pr-4 font-medium">{resource.name}</th>
                  <td className="py-1 pr-4">{resource.capacity ?? '—'}</td>
                  <td className="py-1">{resource.allocatable ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
        <Section title="Taints" id="taints">
          {detail.taints.length === 0 ? (
            <p className="text-zinc-400 dark:text-zinc-600">None: any pod may be scheduled here.</p>
          ) : (
            <ul aria-label="Taints" className="space-y-1 font-mono text-xs">
              {detail.taints.map((taint) => (
                <li key={taint}>{taint}</li>
              ))}
            </ul>
          )}
        </Section>
      </div>
      <Section title={`Pods on ${row.name}`} id="node-pods" aside={<span className="text-xs text-zinc-500 dark:text-zinc-400">{pods.length} in namespaces you may see</span>}>
        {pods.length === 0 ? (
          <p className="text-zinc-400 dark:text-zinc-600">None that you may see.</p>
        ) : (
          <table aria-label={`Pods on ${row.name}`} className="w-full text-left">
            <thead className="text-xs text-zinc-500 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-1 pr-4 font-medium">Name</th>
                <th scope="col" className="py-1 pr-4 font-medium">Namespace</th>
                <th scope="col" className="py-1 pr-4 font-medium">Ready</th>
                <th scope="col" className="py-1 pr-4 font-medium">Status</th>
                <th scope="col" className="py-1 font-medium">Ephemeral</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {pods.map((pod) => (
                <tr key={pod.key}>
                  <th scope="row" className="py-1 pr-4 font-medium">
                    <Link href={`/clusters/${encodeURIComponent(cluster)}/pods/${pod.namespace}/${pod.name}`} prefetch={false} className="hover:underline">
                      {pod.name}
                    </Link>
                  </th>
                  <td className="py-1 pr-4">{pod.namespace}</td>
                  <td className="py-1 pr-4">{pod.ready}</td>
                  <td className="py-1 pr-4">
                    <PodStatusBadge row={pod} />
                  </td>
                  <td className="py-1">{pod.ephemeral.count > 0 ? `${pod.ephemeral.count} (${pod.ephemeral.running} running)` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Labels and annotations" id="node-metadata">
        <h3 className="text-xs text-zinc-500 dark:text-zinc-400">Labels</h3>
        <KeyValues label="Labels" values={detail.labels} />
        <h3 className="pt-2 text-xs text-zinc-500 dark:text-zinc-400">Annotations</h3>
        <KeyValues label="Annotations" values={detail.annotations} />
      </Section>
    </div>
  );
}
