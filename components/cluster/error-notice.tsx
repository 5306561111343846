import Link from 'next/link';

/** What went wrong, in the error's own words, with a way back. */
export function ErrorNotice({ title, message, reset }: { title: string; message: string; reset?: string }) {
  return (
    <section role="alert" aria-label={title} className="max-w-2xl space-y-2 rounded-md bg-red-50 p-4 text-red-900 ring-1 ring-red-600/20 dark:bg-red-400/10 dark:text-red-200 dark:ring-red-400/25">
      <h1 className="font-semibold">{title}</h1>
      <p className="leading-snug">{message}</p>
      {reset && (
        <Link href={reset} className="inline-block text-sm font-medium underline">
          Start again without filters
        </Link>
      )}
    </section>
  );
}
