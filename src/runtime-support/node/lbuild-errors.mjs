// Error bodies in aws-lambda-ric's shape: {errorType, errorMessage, trace}. Node runtimes use
// "trace" (Python uses "stackTrace"); errorType is the error's name, or typeof for non-errors.

/** A failure of the runtime contract, named like Lambda's (Runtime.ImportModuleError...). */
export class HandlerError extends Error {
  constructor(type, message, cause) {
    super(message, cause ? { cause } : undefined);
    this.name = type;
  }
}

export function errorBody(error) {
  if (
    error instanceof Error ||
    (error && typeof error === 'object' && 'message' in error && 'name' in error)
  ) {
    return {
      errorType: String(error.name ?? 'Error'),
      errorMessage: String(error.message ?? ''),
      trace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
    };
  }
  let message;
  try {
    message = typeof error === 'string' ? error : JSON.stringify(error);
  } catch {
    message = String(error);
  }
  return { errorType: typeof error, errorMessage: message ?? String(error), trace: [] };
}
