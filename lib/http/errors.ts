// Errors meant for the person at the browser: each carries the HTTP status a
// route answers with and a message that says what happened and what to do.
// Route handlers end in `catch (error) { return errorResponse(error); }`;
// anything else is a bug and stays a 500.

export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Extra JSON fields for API clients (never credentials). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** `{ error, ...details }` with the error's status, for a UserFacingError; rethrows anything else. */
export function errorResponse(error: unknown): Response {
  if (error instanceof UserFacingError) {
    return Response.json({ error: error.message, ...error.details }, { status: error.status });
  }
  throw error;
}
