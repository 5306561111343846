import { age } from '@/lib/k8s/duration';

export interface ConditionRow {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionAt?: string;
}

/** Conditions as kubectl describe lists them; True in green for conditions where True is good, as given by `goodWhenTrue`. */
export function ConditionsTable({ label, conditions, now, goodWhenTrue = () => true }: { label: string; conditions: ConditionRow[]; now: number; goodWhenTrue?: (type: string) => boolean }) {
  if (conditions.length === 0) return <p className="text-zinc-400 dark:text-zinc-600">None reported.</p>;
  return (
    <table aria-label={label} className="w-full text-left">
      <thead className="text-xs text-zinc-500 dark:text-zinc-400">
        <tr>
          <th scope="col" className="py-1 pr-4 font-medium">Type</th>
          <th scope="col" className="py-1 pr-4 font-medium">Status</th>
          <th scope="col" className="py-1 pr-4 font-medium">Reason</th>
          <th scope="col" className="py-1 pr-4 font-medium">Message</th>
          <th scope="col" className="py-1 font-medium">Since</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {conditions.map((condition) => {
          const good = (condition.status === 'True') === goodWhenTrue(condition.type);
          return (
            <tr key={condition.type}>
              <th scope="row" className="py-1 pr-4 font-medium">{condition.type}</th>
              <td className={`py-1 pr-4 ${good ? 'text-emerald-700 dark:text-emerald-400' : 'text-amber-700 dark:text-amber-400'}`}>{condition.status}</td>
              <td className="py-1 pr-4">{condition.reason ?? ''}</td>
              <td className="py-1 pr-4 text-zinc-600 dark:text-zinc-400">{condition.message ?? ''}</td>
              <td className="py-1 tabular-nums text-zinc-600 dark:text-zinc-400">
                {condition.lastTransitionAt ? <time dateTime={condition.lastTransitionAt} title={condition.lastTransitionAt}>{age(condition.lastTransitionAt, now)}</time> : ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
