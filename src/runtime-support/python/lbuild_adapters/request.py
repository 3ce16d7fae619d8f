"""One view of an API Gateway event, whatever its payload version, shared by the WSGI and ASGI adapters.

- Payload 2.0 (HTTP API): rawPath/rawQueryString are the client's own; cookies travel in `cookies`.
- Payload 1.0 (REST, or HTTP API with "version": "1.0"): `path` is already decoded and, on a REST API,
  lacks the stage; requestContext.path has it, so the difference is the mount point (SCRIPT_NAME /
  root_path) that makes url_for produce "/dev/..." links that work through the gateway.
"""
from urllib.parse import quote, unquote_to_bytes, urlencode

from .encoding import decode_request_body


class HttpRequest:
    __slots__ = (
        "version", "method", "script_name", "path", "raw_path", "query_string", "headers", "body",
        "remote_addr", "scheme", "server_name", "server_port",
    )

    def header(self, name):
        """Comma-joined values of one header (names are lower-case here), or None."""
        values = [value for key, value in self.headers if key == name]
        return ", ".join(values) if values else None


def _split_stage(stage, raw_path):
    """Payload 2.0 on a named stage keeps the stage in rawPath: mount the app below it."""
    if stage and stage != "$default":
        prefix = "/" + stage
        if raw_path == prefix or raw_path.startswith(prefix + "/"):
            return prefix, raw_path[len(prefix):] or "/"
    return "", raw_path


def _v2(event, request):
    context = event.get("requestContext") or {}
    http = context.get("http") or {}
    request.method = (http.get("method") or "GET").upper()
    request.script_name, raw_path = _split_stage(context.get("stage"), event.get("rawPath") or "/")
    request.raw_path = raw_path.encode("latin-1", "replace")
    request.path = unquote_to_bytes(raw_path).decode("utf-8", "replace")
    request.query_string = (event.get("rawQueryString") or "").encode("latin-1", "replace")
    headers = [(key.lower(), value) for key, value in (event.get("headers") or {}).items()]
    if event.get("cookies"):
        headers.append(("cookie", "; ".join(event["cookies"])))
    request.headers = headers
    request.remote_addr = http.get("sourceIp") or "127.0.0.1"


def _v1(event, request):
    context = event.get("requestContext") or {}
    request.method = (event.get("httpMethod") or "GET").upper()
    path = event.get("path") or "/"
    full_path = context.get("path") or path
    # REST: requestContext.path = "/{stage}" + path when called through execute-api.
    if path == "/":
        script_name = full_path
    elif len(full_path) > len(path) and full_path.endswith(path):
        script_name = full_path[: -len(path)]
    else:
        script_name = ""
    request.script_name = script_name.rstrip("/")
    request.path = path
    request.raw_path = quote(path, safe="/:@!$&'()*+,;=-._~").encode("ascii")
    multi_query = event.get("multiValueQueryStringParameters")
    if multi_query:
        request.query_string = urlencode(multi_query, doseq=True).encode("ascii")
    else:
        request.query_string = urlencode(event.get("queryStringParameters") or {}).encode("ascii")
    multi_headers = event.get("multiValueHeaders")
    if multi_headers:
        request.headers = [(key.lower(), value) for key, values in multi_headers.items() for value in (values or [])]
    else:
        request.headers = [(key.lower(), value) for key, value in (event.get("headers") or {}).items()]
    request.remote_addr = (context.get("identity") or {}).get("sourceIp") or "127.0.0.1"


def parse_event(event):
    if not isinstance(event, dict) or ("requestContext" not in event and "httpMethod" not in event):
        raise ValueError(
            "lbuild_adapters: the event is not an API Gateway proxy event; "
            "invoke this handler through the API (or pass an HTTP API / REST API event)"
        )
    request = HttpRequest()
    if event.get("version") == "2.0":
        request.version = "2.0"
        _v2(event, request)
    else:
        request.version = "1.0"
        _v1(event, request)
    request.body = decode_request_body(event)

    host = request.header("host") or (event.get("requestContext") or {}).get("domainName") or "localhost"
    request.scheme = (request.header("x-forwarded-proto") or "https").split(",")[0].strip()
    name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if not name or not port.isdigit():
        name, port = host, ""
    forwarded_port = (request.header("x-forwarded-port") or "").split(",")[0].strip()
    request.server_name = name
    request.server_port = int(forwarded_port or port or (443 if request.scheme == "https" else 80))
    return request
