/** The AWS SDK's Lambda client pointed at a local Invoke API, as a user's code would point it. */
import { LambdaClient } from '@aws-sdk/client-lambda';

export function localLambdaClient(endpoint: string): LambdaClient {
  return new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    // The SDK would otherwise retry throttles and 5xx, hiding what the API answered.
    maxAttempts: 1,
  });
}
