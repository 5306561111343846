import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/layout/app-header';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Ephemera', template: '%s · Ephemera' },
  description: 'Debug live Kubernetes workloads with ephemeral containers.',
  icons: { icon: { url: '/favicon.svg', type: 'image/svg+xml' } },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 text-sm text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <AppHeader />
        <main className="mx-auto max-w-7xl px-4 py-5">{children}</main>
      </body>
    </html>
  );
}
