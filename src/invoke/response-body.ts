/** A function's response as JSON when it is JSON, else as the text it returned. */
export function parseBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
