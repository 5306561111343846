import { connection } from 'next/server';
import { withUser } from '@/lib/auth/session';
import { ConfigError } from '@/lib/config/env';
import { clustersWithStatus } from '@/lib/k8s/clusters';

export const GET = withUser(async () => {
  await connection();
  try {
    return Response.json(await clustersWithStatus());
  } catch (error) {
    // The server checks its configuration at startup; this is a kubeconfig that broke since.
    if (error instanceof ConfigError) return Response.json({ error: error.message }, { status: 500 });
    throw error;
  }
});
