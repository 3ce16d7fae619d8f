/**
 * The AWS event stream encoding (application/vnd.amazon.eventstream), the frames of
 * InvokeWithResponseStream: a prelude (total length, headers length, their CRC32), headers
 * (1-byte name length, name, type 7 = string, 2-byte value length, value), the payload, and a
 * CRC32 of everything before it. The AWS SDKs check both CRCs and need `:message-type`,
 * `:event-type` and `:content-type` on every event, so each frame carries all three.
 *
 * Written here rather than taken from @smithy/eventstream-codec: encoding is 40 lines and
 * lbuild's runtime dependencies stay free of the SDK's internals (the SDK is a test dependency).
 */

// CRC-32 (IEEE 802.3): the one ZIP uses is the one the event stream uses.
import { crc32 } from '../../package/zip/crc32.js';

const stringType = 7;

function encodeHeaders(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    const head = Buffer.alloc(1 + nameBytes.length + 3);
    head.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(head, 1);
    head.writeUInt8(stringType, 1 + nameBytes.length);
    head.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    parts.push(head, valueBytes);
  }
  return Buffer.concat(parts);
}

/** One event stream message. */
export function encodeMessage(headers: Record<string, string>, payload: Uint8Array): Buffer {
  const headerBytes = encodeHeaders(headers);
  const total = 12 + headerBytes.length + payload.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, 12);
  Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).copy(
    message,
    12 + headerBytes.length,
  );
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** An event of a modelled event stream: the member name is the event type. */
export function encodeEvent(eventType: string, contentType: string, payload: Uint8Array): Buffer {
  return encodeMessage(
    { ':event-type': eventType, ':content-type': contentType, ':message-type': 'event' },
    payload,
  );
}
