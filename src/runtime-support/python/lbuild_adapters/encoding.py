"""Which bodies travel as text and which as base64 (the same list as the gateway's content-type.ts).

API Gateway delivers non-text request bodies base64-encoded and decodes a response body the function
marks `isBase64Encoded`. Text goes as text so logs and tests stay readable; everything else, and any
compressed body, goes as base64 so bytes survive the JSON round trip.
"""
import base64

_TEXT_APPLICATION_TYPES = frozenset(
    [
        "application/json",
        "application/javascript",
        "application/ecmascript",
        "application/xml",
        "application/yaml",
        "application/x-yaml",
        "application/graphql",
        "application/x-ndjson",
    ]
)


def is_text_content_type(content_type):
    if not content_type:
        return False
    mime = content_type.split(";", 1)[0].strip().lower()
    return (
        mime.startswith("text/")
        or mime in _TEXT_APPLICATION_TYPES
        or mime.endswith("+json")
        or mime.endswith("+xml")
    )


def decode_request_body(event):
    """The request body as bytes, whatever way the event carries it."""
    body = event.get("body")
    if body is None:
        return b""
    if event.get("isBase64Encoded"):
        return base64.b64decode(body)
    return body.encode("utf-8")


def encode_response_body(body, content_type, content_encoding):
    """(body_text, is_base64) for a response: text types as text unless compressed or not UTF-8."""
    if not body:
        return "", False
    if is_text_content_type(content_type) and not content_encoding:
        try:
            return body.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(body).decode("ascii"), True
