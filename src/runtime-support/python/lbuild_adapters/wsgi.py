"""WSGI apps (Flask, Django, Bottle...) as Lambda handlers, with no change to the app.

    from lbuild_adapters.wsgi import make_handler
    handler = make_handler(app)     # the bootstrap does this for a handler string "wsgi:module.app"

The environ follows PEP 3333: PATH_INFO decoded (as latin-1 text of the UTF-8 bytes), SCRIPT_NAME
the REST stage ("/dev") so url_for builds links that work through the gateway, REMOTE_ADDR from the
gateway's sourceIp, and the raw event and context under "lambda.event" / "lambda.context".
"""
import io
import sys

from .request import parse_event
from .response import build_response


def _wsgi_str(text):
    # PEP 3333 "native strings": bytes as latin-1, so non-ASCII paths reach the app intact.
    return text.encode("utf-8").decode("latin-1")


def build_environ(request, event, context):
    environ = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": _wsgi_str(request.script_name),
        "PATH_INFO": _wsgi_str(request.path),
        "QUERY_STRING": request.query_string.decode("latin-1"),
        "SERVER_NAME": request.server_name,
        "SERVER_PORT": str(request.server_port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": request.remote_addr,
        "CONTENT_LENGTH": str(len(request.body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": request.scheme,
        "wsgi.input": io.BytesIO(request.body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "lambda.event": event,
        "lambda.context": context,
    }
    for name, value in request.headers:
        if name == "content-type":
            environ["CONTENT_TYPE"] = value
            continue
        if name == "content-length":
            continue  # the decoded body's length is the truth, not what the client sent
        key = "HTTP_" + name.upper().replace("-", "_")
        separator = "; " if name == "cookie" else ", "
        environ[key] = environ[key] + separator + value if key in environ else value
    return environ


def make_handler(app):
    """Return handler(event, context) that runs the WSGI `app` for one API Gateway event."""

    def handler(event, context):
        request = parse_event(event)
        environ = build_environ(request, event, context)
        state = {}
        chunks = []

        def start_response(status, headers, exc_info=None):
            if exc_info is not None and state.get("sent"):
                raise exc_info[1].with_traceback(exc_info[2])
            state["status"] = status
            state["headers"] = list(headers)
            return chunks.append  # the legacy write() callable

        result = app(environ, start_response)
        try:
            for chunk in result:
                if chunk:
                    state["sent"] = True
                    chunks.append(chunk)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if "status" not in state:
            raise RuntimeError("the WSGI app returned without calling start_response")
        status = int(state["status"].split(" ", 1)[0])
        return build_response(request, status, state["headers"], b"".join(chunks))

    return handler
