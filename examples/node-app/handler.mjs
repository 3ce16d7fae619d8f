// A Node API on Lambda behind API Gateway (HTTP API, payload 2.0). Notes live in memory per warm
// worker: enough to show routing, warm reuse and the event shape without a database.
const notes = [];

export async function api(event) {
  const method = event.requestContext.http.method;
  if (event.rawPath === '/notes' && method === 'GET')
    return { statusCode: 200, body: JSON.stringify(notes) };
  if (event.rawPath === '/notes' && method === 'POST') {
    const body = JSON.parse(
      event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body || '{}',
    );
    notes.push({ text: String(body.text ?? ''), at: new Date().toISOString() });
    return { statusCode: 201, body: JSON.stringify(notes.at(-1)) };
  }
  return {
    statusCode: 404,
    body: JSON.stringify({ message: `no route for ${method} ${event.rawPath}` }),
  };
}

export async function stats(_event, context) {
  return {
    notes: notes.length,
    requestId: context.awsRequestId,
    remainingMs: context.getRemainingTimeInMillis(),
  };
}
