import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { whoAmI } from '@/lib/k8s/whoami';

/** The signed-in user, their roles, and what each cluster lets them do per namespace (never the ID token). */
export const GET = withUser(async (user) => {
  try {
    return Response.json(await whoAmI(user));
  } catch (error) {
    return errorResponse(error);
  }
});
