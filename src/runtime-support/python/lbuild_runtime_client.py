"""The HTTP side of lbuild's Python bootstrap: the Runtime API calls, over one kept-alive connection.

A minimal HTTP/1.1 client on a plain socket instead of http.client, because it sits on the hot path
of every invocation: it sends the result and the next GET /next in one write (pipelining: one round
trip and one wake-up of the Runtime API less per invocation), and it does not parse headers with
the email package. It speaks only what the Runtime API needs: requests with a Content-Length,
responses with a Content-Length or a chunked body (or one ended by the close).
"""
import json
import socket
import sys
import time

try:
    import resource
except ImportError:  # not on every platform
    resource = None

ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
OUTPUT_BYTES_HEADER = "X-Lbuild-Output-Bytes"
MAX_RSS_HEADER = "X-Lbuild-Max-Rss-Kb"
# ru_maxrss is in kilobytes on Linux and in bytes on macOS.
_RSS_UNIT = 1024 if sys.platform == "darwin" else 1


def _max_rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // _RSS_UNIT


class ProtocolError(Exception):
    """The Runtime API answered something that is not HTTP/1.x, or closed mid-response."""


class Invocation:
    def __init__(self, headers, body):
        # Header names are lower-case (HTTP names are case-insensitive).
        self.request_id = headers.get("lambda-runtime-aws-request-id", "")
        self.deadline_ms = int(headers.get("lambda-runtime-deadline-ms") or 0)
        self.function_arn = headers.get("lambda-runtime-invoked-function-arn", "")
        self.trace_id = headers.get("lambda-runtime-trace-id")
        self.client_context = headers.get("lambda-runtime-client-context")
        self.cognito_identity = headers.get("lambda-runtime-cognito-identity")
        self.body = body

    def event(self):
        return json.loads(self.body) if self.body else None


class Response:
    __slots__ = ("status", "headers", "body")

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body


def _header_safe(value):
    # A header value must not break the request's structure (http.client raises on these).
    return "".join(ch for ch in str(value) if ch == "\t" or " " <= ch <= "~" or "\x80" <= ch <= "\xff")


class _Connection:
    def __init__(self, host, port, socket_path=None):
        if socket_path:
            # The same Runtime API on a Unix socket (lbuild's host-process workers): cheaper per call.
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                self.sock.connect(socket_path)
            except OSError:
                self.sock.close()
                raise
        else:
            self.sock = socket.create_connection((host, port))
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = self.sock.makefile("rb", buffering=65536)

    def close(self):
        try:
            self.reader.close()
        finally:
            self.sock.close()

    def read_response(self):
        reader = self.reader
        line = reader.readline(65537)
        if not line:
            raise ProtocolError("the Runtime API closed the connection")
        parts = line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
            raise ProtocolError("not an HTTP response: {!r}".format(line[:100]))
        status = int(parts[1])
        headers = {}
        while True:
            line = reader.readline(65537)
            if not line:
                raise ProtocolError("the Runtime API closed the connection in the headers")
            if line in (b"\r\n", b"\n"):
                break
            name, sep, value = line.decode("latin-1").partition(":")
            if not sep:
                continue
            name = name.strip().lower()
            value = value.strip()
            headers[name] = headers[name] + ", " + value if name in headers else value
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = self._read_chunked()
        elif status in (204, 304):
            body = b""
        elif "content-length" in headers:
            length = int(headers["content-length"])
            body = reader.read(length) if length > 0 else b""
            if len(body) != length:
                raise ProtocolError("the Runtime API closed the connection in the body")
        else:
            body = reader.read()
        return Response(status, headers, body)

    def _read_chunked(self):
        reader = self.reader
        parts = []
        while True:
            line = reader.readline(65537)
            if not line:
                raise ProtocolError("the Runtime API closed the connection in a chunked body")
            size = int(line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while reader.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            parts.append(reader.read(size))
            reader.read(2)


class RuntimeClient:
    def __init__(self, address, output_bytes=None, socket_path=None):
        """address: AWS_LAMBDA_RUNTIME_API ("host:port"). socket_path: a Unix socket serving the same
        API, used when given. output_bytes: returns "<stdout bytes> <stderr bytes>" written so far
        (sent with every result)."""
        self.output_bytes = output_bytes
        self.socket_path = socket_path or None
        host, _, port = address.rpartition(":")
        self.host = host
        self.port = int(port)
        self.host_header = "{}:{}".format(host, port)
        self.conn = None

    def _connect(self):
        if self.socket_path:
            try:
                return _Connection(self.host, self.port, self.socket_path)
            except OSError as exc:
                # A socket that cannot be reached (a refused mount, SELinux): the TCP port serves the same API.
                sys.stderr.write("lbuild bootstrap: cannot use the Runtime API socket {} ({}); using {}\n".format(self.socket_path, exc, self.host_header))
                sys.stderr.flush()
                self.socket_path = None
        return _Connection(self.host, self.port)

    def _encode(self, method, path, body, headers):
        head = "{} /2018-06-01{} HTTP/1.1\r\nHost: {}\r\n".format(method, path, self.host_header)
        if headers:
            for name, value in headers.items():
                head += "{}: {}\r\n".format(name, _header_safe(value))
        if body is not None:
            head += "Content-Length: {}\r\n".format(len(body))
        head = (head + "\r\n").encode("latin-1")
        return head + body if body else head

    def _exchange(self, requests):
        """Send the requests in one write and read their responses, in order."""
        data = b"".join(self._encode(*request) for request in requests)
        # One retry on a fresh connection: a kept-alive socket may have been closed by the server.
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = self._connect()
            try:
                self.conn.sock.sendall(data)
                return [self.conn.read_response() for _ in requests]
            except (OSError, ProtocolError, ValueError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise RuntimeError("unreachable")

    def _request(self, method, path, body=None, headers=None):
        response = self._exchange([(method, path, body, headers)])[0]
        return response, response.body

    def next_invocation(self):
        response, body = self._request("GET", "/runtime/invocation/next")
        return self._invocation_from(response, body)

    def _invocation_from(self, response, body):
        while response.status != 200:
            sys.stderr.write("lbuild bootstrap: /next answered {}: {}\n".format(response.status, body[:200]))
            time.sleep(0.1)
            response, body = self._request("GET", "/runtime/invocation/next")
        return Invocation(response.headers, body)

    def _result_headers(self, headers):
        """lbuild's facts about the runtime, sent with every result: output written so far, peak memory."""
        if self.output_bytes is not None:
            headers[OUTPUT_BYTES_HEADER] = self.output_bytes()
        if resource is not None:
            headers[MAX_RSS_HEADER] = _max_rss_kb()
        return headers

    def post_response(self, request_id, payload):
        response, body = self._request("POST", self._response_path(request_id), payload, self._result_headers({"Content-Type": "application/json"}))
        self._check_response(response, body)

    def post_response_and_next(self, request_id, payload):
        """The result and the next long poll in one write; returns the next invocation."""
        posted, following = self._exchange(
            [
                ("POST", self._response_path(request_id), payload, self._result_headers({"Content-Type": "application/json"})),
                ("GET", "/runtime/invocation/next", None, None),
            ]
        )
        self._check_response(posted, posted.body)
        return self._invocation_from(following, following.body)

    @staticmethod
    def _response_path(request_id):
        return "/runtime/invocation/{}/response".format(request_id)

    @staticmethod
    def _check_response(response, body):
        if response.status != 202:
            # 413 (payload too large) ends the invocation on Lambda's side; report it and go on.
            sys.stderr.write("lbuild bootstrap: response rejected ({}): {}\n".format(response.status, body[:300].decode("utf-8", "replace")))
            sys.stderr.flush()

    def post_error(self, request_id, error_type, error):
        self._post_error("/runtime/invocation/{}/error".format(request_id), error_type, error)

    def post_init_error(self, error_type, error):
        self._post_error("/runtime/init/error", error_type, error)

    def _post_error(self, path, error_type, error):
        payload = json.dumps(error).encode("utf-8")
        headers = self._result_headers({"Content-Type": "application/json", ERROR_TYPE_HEADER: error_type})
        response, body = self._request("POST", path, payload, headers)
        if response.status != 202:
            sys.stderr.write("lbuild bootstrap: error report rejected ({}): {}\n".format(response.status, body[:300].decode("utf-8", "replace")))
            sys.stderr.flush()
