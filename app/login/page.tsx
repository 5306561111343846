import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInButton } from '@/components/auth/sign-in-button';
import { Notice } from '@/components/auth/notice';
import { loginNotice, safeCallbackUrl } from '@/lib/auth/login-notice';
import { PROVIDER_ID } from '@/lib/auth/options';
import { currentUser } from '@/lib/auth/session';
import { authSettings } from '@/lib/auth/settings';

export const metadata: Metadata = { title: 'Sign in' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const user = await currentUser();
  const { providerName, publicUrl } = authSettings().sso;
  const callbackUrl = safeCallbackUrl(params.callbackUrl, publicUrl);
  if (user) redirect(user.roles.length > 0 ? callbackUrl : '/no-access');

  const notice = loginNotice(params, providerName);
  return (
    <div className="mx-auto mt-16 max-w-sm">
      <section
        aria-labelledby="sign-in"
        className="space-y-5 rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <div className="space-y-1">
          <h1 id="sign-in" className="text-lg font-semibold tracking-tight">Sign in to Ephemera</h1>
          <p className="text-zinc-600 dark:text-zinc-400">Debug live Kubernetes workloads with ephemeral containers, as yourself.</p>
        </div>
        {notice && <Notice tone={notice.tone}>{notice.text}</Notice>}
        <SignInButton providerId={PROVIDER_ID} providerName={providerName} callbackUrl={callbackUrl} />
        <p className="text-xs leading-relaxed text-zinc-500 dark:text-zinc-400">
          What you may do here follows your groups at {providerName}; every action on a cluster is made in your name.
        </p>
      </section>
    </div>
  );
}
