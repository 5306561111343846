import type { Grant, RulesRow, RulesTable } from '@/lib/k8s/rules-table';

const cell = 'px-2 py-1 text-center';

function GrantCell({ grant, names }: { grant: Grant; names: string[] }) {
  if (grant === 'all') return <td className={`${cell} text-emerald-700 dark:text-emerald-400`}>yes</td>;
  if (grant === 'named') {
    return (
      <td className={`${cell} text-amber-700 dark:text-amber-400`} title={`Only: ${names.join(', ')}`}>
        some<span className="sr-only">: only {names.join(', ')}</span>
      </td>
    );
  }
  return (
    <td className={`${cell} text-zinc-300 dark:text-zinc-700`}>
      <span aria-hidden="true">—</span>
      <span className="sr-only">no</span>
    </td>
  );
}

const resourceName = (row: RulesRow) => (row.group ? `${row.resource}.${row.group}` : row.resource);

/** A SelfSubjectRulesReview as resources × verbs; the resources a debug session uses come first, highlighted. */
export function RulesTableView({ table, caption }: { table: RulesTable; caption: string }) {
  return (
    <div className="overflow-x-auto rounded-md border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-xs">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-zinc-200 font-medium text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-2 py-1 text-left">Resource</th>
            {table.verbs.map((verb) => (
              <th scope="col" key={verb} className={cell}>{verb}</th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {table.rows.map((row) => (
            <tr key={`${row.group}/${row.resource}`} className={row.debug ? 'bg-amber-50/70 dark:bg-amber-400/5' : undefined}>
              <th scope="row" className="px-2 py-1 text-left font-mono font-normal whitespace-nowrap">
                {resourceName(row)}
                {row.debug && ' '}
                {row.debug && <span className="ml-1 rounded bg-amber-100 px-1 font-sans text-[10px] text-amber-800 dark:bg-amber-400/15 dark:text-amber-300">debug</span>}
              </th>
              {table.verbs.map((verb) => (
                <GrantCell key={verb} grant={row.grants[verb]} names={row.names} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {table.nonResource.length > 0 && (
        <p className="border-t border-zinc-200 px-2 py-1 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          URL paths:{' '}
          {table.nonResource.map((rule) => `${rule.verbs.join(', ')} ${rule.urls.join(', ')}`).join('; ')}
        </p>
      )}
    </div>
  );
}
