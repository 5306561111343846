// The session history's filters: a plain GET form, so the filters live in the
// URL (a reload or a shared link shows the same list) and work without script.
// Each field is the API parameter of the same name (docs/api.md).

import Link from 'next/link';
import { PROFILE_ORDER } from '@/lib/debug/form';
import { OUTCOME_LABELS, type HistoryForm } from '@/lib/sessions/history';
import { SESSION_OUTCOMES } from '@/lib/store/types';

const label = 'flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400';
const input =
  'rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm font-normal text-zinc-900 placeholder:text-zinc-400 focus:outline-2 focus:outline-sky-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100';

// `legacy` is never offered in the debug form, but older sessions may carry it.
const PROFILES = [...PROFILE_ORDER, 'legacy'];

/**
 * `everyone`: the list is everyone's, so it may be narrowed to a user; `keepAll`: it is so because the query says `all=1`;
 * `searchOwnOnly`: the text search reads only the person's own recordings (debuggers), undefined when they may not search.
 */
export function HistoryFilters({ form, everyone, keepAll, searchOwnOnly }: { form: HistoryForm; everyone: boolean; keepAll: boolean; searchOwnOnly?: boolean }) {
  const text = (name: keyof HistoryForm, title: string, placeholder: string, width: string) => (
    <label className={label}>
      {title}
      <input type="text" name={name} defaultValue={form[name] ?? ''} placeholder={placeholder} spellCheck={false} className={`${input} ${width}`} />
    </label>
  );
  return (
    <search>
      <form method="get" action="/sessions" aria-label="Filter sessions" className="flex flex-wrap items-end gap-x-2.5 gap-y-2">
        {keepAll && <input type="hidden" name="all" value="1" />}
        {everyone && text('user', 'User', 'anyone', 'w-28')}
        {text('namespace', 'Namespace', 'any', 'w-28')}
        {text('pod', 'Pod', 'any', 'w-44')}
        {text('node', 'Node', 'any', 'w-28')}
        <label className={label}>
          Profile
          <select name="profile" defaultValue={form.profile ?? ''} className={input}>
            <option value="">Any profile</option>
            {PROFILES.map((profile) => (
              <option key={profile} value={profile}>
                {profile}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          Outcome
          <select name="outcome" defaultValue={form.outcome ?? ''} className={input}>
            <option value="">Any outcome</option>
            {SESSION_OUTCOMES.map((outcome) => (
              <option key={outcome} value={outcome}>
                {OUTCOME_LABELS[outcome]}
              </option>
            ))}
          </select>
        </label>
        {searchOwnOnly !== undefined && (
          <label className={label}>
            {searchOwnOnly ? 'Text in your recordings' : 'Text in recordings'}
            <input type="search" name="q" defaultValue={form.q ?? ''} placeholder="e.g. Permission denied" spellCheck={false} className={`${input} w-48`} />
          </label>
        )}
        <label className={label}>
          From
          <input type="date" name="from" defaultValue={form.from ?? ''} aria-describedby="history-dates" className={input} />
        </label>
        <label className={label}>
          To
          <input type="date" name="to" defaultValue={form.to ?? ''} aria-describedby="history-dates" className={input} />
        </label>
        <div className="flex items-center gap-3 pb-1">
          <button type="submit" className="rounded-md bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-700 focus:outline-2 focus:outline-offset-2 focus:outline-sky-500 dark:bg-sky-500 dark:text-zinc-950 dark:hover:bg-sky-400">
            Filter
          </button>
          <Link href={keepAll ? '/sessions?all=1' : '/sessions'} className="text-sm text-sky-700 hover:underline dark:text-sky-400">
            Clear
          </Link>
        </div>
        <p id="history-dates" className="basis-full text-xs text-zinc-500 dark:text-zinc-400">
          Days are UTC days, as the times below; both days are included.
        </p>
      </form>
    </search>
  );
}
