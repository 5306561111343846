/** Labels or annotations as key=value chips, or a dash. */
export function KeyValues({ label, values }: { label: string; values: Record<string, string> }) {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="text-zinc-400 dark:text-zinc-600">None</p>;
  return (
    <ul aria-label={label} className="flex flex-wrap gap-1.5">
      {entries.map(([key, value]) => (
        <li key={key} className="max-w-full truncate rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300" title={`${key}=${value}`}>
          {key}
          {value !== '' && <span className="text-zinc-500">={value}</span>}
        </li>
      ))}
    </ul>
  );
}
