"""The HTTP side of lbuild's Python bootstrap: the Runtime API calls, over one kept-alive connection."""
import http.client
import json
import sys
import time

ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"


class Invocation:
    def __init__(self, headers, body):
        self.request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        self.deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)
        self.function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn", "")
        self.trace_id = headers.get("Lambda-Runtime-Trace-Id")
        self.client_context = headers.get("Lambda-Runtime-Client-Context")
        self.cognito_identity = headers.get("Lambda-Runtime-Cognito-Identity")
        self.body = body

    def event(self):
        return json.loads(self.body) if self.body else None


class RuntimeClient:
    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.host = host
        self.port = int(port)
        self.conn = None

    def _request(self, method, path, body=None, headers=None):
        # One retry on a fresh connection: a kept-alive socket may have been closed by the server.
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port)
            try:
                self.conn.request(method, "/2018-06-01" + path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response, response.read()
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise RuntimeError("unreachable")

    def next_invocation(self):
        while True:
            response, body = self._request("GET", "/runtime/invocation/next")
            if response.status == 200:
                return Invocation(response.headers, body)
            sys.stderr.write("lbuild bootstrap: /next answered {}: {}\n".format(response.status, body[:200]))
            time.sleep(0.1)

    def post_response(self, request_id, payload):
        response, body = self._request(
            "POST", "/runtime/invocation/{}/response".format(request_id), payload, {"Content-Type": "application/json"}
        )
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
        headers = {"Content-Type": "application/json", ERROR_TYPE_HEADER: error_type}
        response, body = self._request("POST", path, payload, headers)
        if response.status != 202:
            sys.stderr.write("lbuild bootstrap: error report rejected ({}): {}\n".format(response.status, body[:300].decode("utf-8", "replace")))
            sys.stderr.flush()
