'use client';

import { signIn } from 'next-auth/react';
import { useEffect, useState } from 'react';

/** Starts the OIDC sign-in: next-auth posts for a CSRF-checked authorization URL, then the browser goes to the IdP. */
export function SignInButton({ providerId, providerName, callbackUrl }: { providerId: string; providerName: string; callbackUrl: string }) {
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
        signIn(providerId, { callbackUrl }).catch(() => setPending(false));
      }}
      className="inline-flex w-full items-center justify-center rounded-md bg-zinc-900 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-zinc-700 disabled:cursor-wait disabled:opacity-70 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
    >
      {pending ? `Redirecting to ${providerName}…` : `Sign in with ${providerName}`}
    </button>
  );
}
