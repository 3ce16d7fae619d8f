"""Turn (status, headers, body) from an app into the proxy response the event's gateway expects.

Payload 2.0 sends each Set-Cookie in `cookies` (a headers map cannot hold repeats); payload 1.0 sends
repeated headers in `multiValueHeaders`, which API Gateway prefers over `headers` for the same name.
"""
from .encoding import encode_response_body


def build_response(request, status, headers, body):
    content_type = None
    content_encoding = None
    for name, value in headers:
        lower = name.lower()
        if lower == "content-type":
            content_type = value
        elif lower == "content-encoding":
            content_encoding = value
    text, is_base64 = encode_response_body(body, content_type, content_encoding)

    if request.version == "2.0":
        single = {}
        cookies = []
        for name, value in headers:
            if name.lower() == "set-cookie":
                cookies.append(value)
            elif name in single:
                single[name] = single[name] + ", " + value
            else:
                single[name] = value
        response = {"statusCode": status, "headers": single, "body": text, "isBase64Encoded": is_base64}
        if cookies:
            response["cookies"] = cookies
        return response

    multi = {}
    for name, value in headers:
        multi.setdefault(name, []).append(value)
    return {
        "statusCode": status,
        "headers": {name: values[-1] for name, values in multi.items() if len(values) == 1},
        "multiValueHeaders": multi,
        "body": text,
        "isBase64Encoded": is_base64,
    }
