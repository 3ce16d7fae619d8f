// An event function that streams its response (Node's awslambda.streamifyResponse), behind a
// Function URL in RESPONSE_STREAM mode: the words reach the browser as they are written, the way
// an LLM's tokens would.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const text =
    new URLSearchParams(event.rawQueryString ?? '').get('text') ?? 'streamed one word at a time';
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
  for (const word of text.split(' ')) {
    stream.write(`${word} `);
    await sleep(200);
  }
  stream.end();
});
