'use client';

import { signOut } from 'next-auth/react';
import { useEffect, useState } from 'react';

/** Ends the session (next-auth clears the cookie) and goes back to the login page. */
export function SignOutButton({ className = '' }: { className?: string }) {
  const [pending, setPending] = useState(false);
  // Disabled until hydrated: a click before the script runs would do nothing.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return (
    <button
      type="button"
      disabled={!ready || pending}
      onClick={() => {
        setPending(true);
        signOut({ callbackUrl: '/login?signedOut=1' }).catch(() => setPending(false));
      }}
      className={`rounded-md px-2 py-1 text-zinc-600 ring-1 ring-zinc-300 ring-inset hover:bg-zinc-100 hover:text-zinc-900 disabled:opacity-60 dark:text-zinc-300 dark:ring-zinc-700 dark:hover:bg-zinc-800 dark:hover:text-zinc-100 ${className}`}
    >
      Sign out
    </button>
  );
}
