#!/usr/bin/env python3
"""lbuild's Python runtime interface client.

Runs a Lambda handler against the Runtime API (AWS_LAMBDA_RUNTIME_API) where AWS's own client
(awslambdaric) is not installed: host-process workers and the offline Debian stand-in images.
It mirrors awslambdaric's behaviour: the same error types and messages, the same context object,
the same logging format, so a handler behaves here as it does on Lambda. Standard library only,
Python 3.9+, because it runs inside images we do not control.

Usage: python3 bootstrap.py [handler]   (default: $_HANDLER)
Handlers: "module.func", "pkg/module.func", or "wsgi:module.app" / "asgi:module.app", which wrap
the app object with lbuild_adapters (shipped beside this file).
"""
import importlib
import json
import logging
import os
import sys
import time
import traceback

from lbuild_lambda_context import LambdaContext  # our own modules load while sys.path[0] is still HERE
from lbuild_runtime_client import RuntimeClient

HERE = os.path.dirname(os.path.abspath(__file__))

# Python puts the script's folder first on sys.path; Lambda puts the code first and the runtime
# last, so a user module never loses to one of ours.
if sys.path and os.path.abspath(sys.path[0] or ".") == HERE:
    sys.path.pop(0)
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", "/var/task")
if TASK_ROOT not in sys.path:
    sys.path.insert(0, TASK_ROOT)

sys.path.append(HERE)

_current_request_id = None
# AWS_LAMBDA_LOG_FORMAT=JSON: logging records and the runtime's error lines as JSON objects.
# print() output stays as written (Lambda wraps only the logging module's records).
JSON_LOGS = os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON"


class CountingStream:
    """sys.stdout / sys.stderr, counting the bytes written (awslambdaric wraps them too).

    The count goes with every result (x-lbuild-output-bytes) so the emulator waits for exactly the
    invocation's output before it closes the log, instead of guessing from quiet periods.
    """

    def __init__(self, stream):
        self._stream = stream
        self.bytes = 0

    def write(self, text):
        if isinstance(text, str):
            self.bytes += len(text) if text.isascii() else len(text.encode(self._stream.encoding or "utf-8", self._stream.errors or "strict"))
        return self._stream.write(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def count_output():
    out, err = CountingStream(sys.stdout), CountingStream(sys.stderr)
    sys.stdout, sys.stderr = out, err
    # The streams themselves, not sys.*: user code may swap sys.stdout (redirect_stdout) for a while.
    return lambda: "{} {}".format(out.bytes, err.bytes)


class FaultError(Exception):
    """A failure of the runtime contract (import, handler name), reported with a Runtime.* type."""

    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


def error_body(error_type, message, stack):
    return {"errorMessage": message, "errorType": error_type, "requestId": _current_request_id or "", "stackTrace": stack}


def exception_body(exc):
    frames = traceback.extract_tb(exc.__traceback__)
    # Like awslambdaric: the trace starts at the user's code, not in the bootstrap that called it.
    while frames and os.path.dirname(os.path.abspath(frames[0].filename)) == HERE:
        frames = frames[1:]
    return error_body(type(exc).__name__, str(exc), traceback.format_list(frames))


def log_error(body):
    if JSON_LOGS:
        # awslambdaric's JSON error record: the error body with a timestamp (whole seconds) and level.
        record = {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()), "level": "ERROR"}
        record.update(body)
        sys.stderr.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stderr.flush()
        return
    # Lambda logs "[ERROR] Type: message" then the traceback, one record.
    lines = ["[ERROR] {}: {}".format(body["errorType"], body["errorMessage"])]
    if body.get("stackTrace"):
        lines.append("Traceback (most recent call last):")
        lines.extend(line.rstrip("\n") for line in body["stackTrace"])
    sys.stderr.write("\n".join(lines) + "\n")
    sys.stderr.flush()


def load_handler(spec):
    adapter = None
    if spec.startswith("wsgi:") or spec.startswith("asgi:"):
        adapter, spec = spec.split(":", 1)
    try:
        modname, attr = spec.rsplit(".", 1)
    except ValueError as exc:
        raise FaultError("Runtime.MalformedHandlerName", "Bad handler '{}': {}".format(spec, exc))
    modname = modname.replace("/", ".")
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultError(
                "Runtime.BuiltInModuleConflict",
                "Cannot use built-in module {} as a handler module".format(modname),
            )
        module = importlib.import_module(modname)
    except ImportError as exc:
        raise FaultError("Runtime.ImportModuleError", "Unable to import module '{}': {}".format(modname, exc))
    except SyntaxError as exc:
        trace = ['  File "%s" Line %s\n    %s' % (exc.filename, exc.lineno, exc.text)]
        raise FaultError("Runtime.UserCodeSyntaxError", "Syntax error in module '{}': {}".format(modname, exc), trace)
    target = getattr(module, attr, None)
    if target is None:
        # Like awslambdaric: a missing handler fails each invocation, not the init.
        fault = FaultError("Runtime.HandlerNotFound", "Handler '{}' missing on module '{}'".format(attr, modname))

        def missing(event, context):
            raise fault

        return missing
    if adapter is not None:
        adapters = importlib.import_module("lbuild_adapters." + adapter)
        return adapters.make_handler(target)
    return target


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _current_request_id or ""
        return True


class JsonFormatter(logging.Formatter):
    """awslambdaric's JSON records: timestamp, level, message, logger, requestId; with an exception
    also errorType, errorMessage, stackTrace and location; then the record's extra fields."""

    # LogRecord's own attributes: everything else on a record came from extra={...}.
    STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "aws_request_id"}

    def format(self, record):
        level = min(50, max(0, record.levelno)) // 10 * 10
        created = time.gmtime(record.created)
        result = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", created) + ".%03dZ" % (record.msecs,),
            "level": logging.getLevelName(level),
            "message": record.getMessage(),
            "logger": record.name,
            "requestId": getattr(record, "aws_request_id", None),
        }
        if record.exc_info:
            exc_type, exc, tb = record.exc_info
            result["errorType"] = exc_type.__name__
            result["errorMessage"] = str(exc)
            result["stackTrace"] = traceback.format_tb(tb)
            result["location"] = "{}:{}:{}".format(record.pathname, record.funcName, record.lineno)
        for key, value in vars(record).items():
            if key not in self.STANDARD and key not in result:
                result[key] = value
        return json.dumps({k: v for k, v in result.items() if v is not None}, ensure_ascii=False, default=str)


def setup_logging():
    # The formats of Lambda's Python runtime, so log parsers and habits carry over.
    handler = logging.StreamHandler(sys.stdout)
    if JSON_LOGS:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S")
        )
        handler.formatter.converter = time.gmtime
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    # Python has no TRACE: awslambdaric maps it to DEBUG; without a level the root keeps WARNING.
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
    level = {"TRACE": "DEBUG", "WARN": "WARNING"}.get(level, level)
    root.setLevel(level if level in ("DEBUG", "INFO", "WARNING", "ERROR", "FATAL", "CRITICAL") else logging.WARNING)


def to_json(result):
    try:
        return json.dumps(result).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise FaultError("Runtime.MarshalError", "Unable to marshal response: {}".format(exc))


def flush():
    # Output written during the invocation must reach the log before the result does.
    sys.stdout.flush()
    sys.stderr.flush()


def run_one(client, handler, invocation):
    """Run one invocation; returns the next one (its long poll rides along with the result)."""
    global _current_request_id
    request_id = invocation.request_id
    _current_request_id = request_id
    if invocation.trace_id:
        os.environ["_X_AMZN_TRACE_ID"] = invocation.trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)
    context = LambdaContext(invocation)
    try:
        result = handler(invocation.event(), context)
        body = to_json(result)
    except FaultError as exc:
        err = error_body(exc.error_type, exc.message, exc.trace)
        log_error(err)
        flush()
        client.post_error(request_id, exc.error_type, err)
        return client.next_invocation()
    except Exception as exc:  # noqa: BLE001  (any user exception is the function's error)
        err = exception_body(exc)
        log_error(err)
        flush()
        client.post_error(request_id, err["errorType"], err)
        return client.next_invocation()
    flush()
    return client.post_response_and_next(request_id, body)


def main():
    handler_spec = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("_HANDLER", "")
    # lbuild's private transport hint: read once and removed, so the function sees Lambda's environment only.
    local_socket = os.environ.pop("LBUILD_RUNTIME_API_SOCKET", None)
    client = RuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"], count_output(), local_socket)
    setup_logging()
    try:
        handler = load_handler(handler_spec)
    except FaultError as exc:
        err = error_body(exc.error_type, exc.message, exc.trace)
        log_error(err)
        client.post_init_error(exc.error_type, err)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001  (module-level code raised)
        err = exception_body(exc)
        log_error(err)
        client.post_init_error(err["errorType"], err)
        sys.exit(1)
    invocation = client.next_invocation()
    while True:
        invocation = run_one(client, handler, invocation)


if __name__ == "__main__":
    main()
