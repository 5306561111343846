import Link from 'next/link';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { currentUser } from '@/lib/auth/session';

export async function AppHeader() {
  const user = await currentUser();
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <div className="mx-auto flex h-11 max-w-7xl items-center gap-6 px-4">
        {/* Not prefetched for a visitor who is not signed in: it would only be turned away. */}
        <Link href="/" prefetch={user ? undefined : false} className="flex items-center gap-2 font-semibold tracking-tight">
          <img src="/favicon.svg" alt="" width={20} height={20} />
          Ephemera
        </Link>
        {user && user.roles.length > 0 && (
          <nav aria-label="Main" className="flex gap-4 text-zinc-600 dark:text-zinc-400">
            <Link href="/" className="hover:text-zinc-900 dark:hover:text-zinc-100">
              Clusters
            </Link>
            <Link href="/sessions" className="hover:text-zinc-900 dark:hover:text-zinc-100">
              Sessions
            </Link>
            <Link href="/whoami" className="hover:text-zinc-900 dark:hover:text-zinc-100">
              Who am I
            </Link>
          </nav>
        )}
        {user && (
          <section aria-label="Signed in user" className="ml-auto flex items-center gap-3">
            <span className="text-zinc-700 dark:text-zinc-300" title={user.email ?? user.name}>
              {user.displayName ?? user.name}
            </span>
            {user.roles.length > 0 && (
              <ul aria-label="Your roles" className="flex gap-1">
                {user.roles.map((role) => (
                  <li key={role} className="rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                    {role}
                  </li>
                ))}
              </ul>
            )}
            <SignOutButton className="text-xs" />
          </section>
        )}
      </div>
    </header>
  );
}
