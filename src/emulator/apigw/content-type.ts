/**
 * Which bodies travel as text and which as base64. API Gateway HTTP APIs (like Lambda function URLs)
 * base64-encode every request body whose content type is not textual; we apply the same rule to the
 * REST flavour as if binaryMediaTypes were set to the non-text types, so binary uploads survive
 * either way. The Python adapters use the same list for responses (lbuild_adapters/encoding.py).
 */

const textualApplicationTypes = new Set([
  'application/json',
  'application/javascript',
  'application/ecmascript',
  'application/xml',
  'application/yaml',
  'application/x-yaml',
  'application/graphql',
  'application/x-ndjson',
]);

export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mime = contentType.split(';')[0]!.trim().toLowerCase();
  if (mime.startsWith('text/')) return true;
  if (textualApplicationTypes.has(mime)) return true;
  return mime.endsWith('+json') || mime.endsWith('+xml');
}

/** The event's body field: text stays text, anything else is base64. */
export function encodeBody(
  body: Buffer,
  contentType: string | undefined,
): { body: string; isBase64Encoded: boolean } {
  // Without a content type we cannot know; valid UTF-8 is taken as text (the AWS docs' examples send
  // "Hello from Lambda" that way), anything else stays bytes.
  if (contentType === undefined || isTextContentType(contentType)) {
    // A "text" body that is not valid UTF-8 would be mangled by a JSON string: keep its bytes.
    try {
      return { body: strictUtf8.decode(body), isBase64Encoded: false };
    } catch {
      // fall through to base64
    }
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
