"""Test harness: a stand-in for a warm Lambda environment running lbuild_adapters handlers.

Reads one JSON request per line on stdin: {"handler": "wsgi:flask_app.app", "event": {...}} and
writes one JSON line back: {"ok": true, "result": ...} or {"ok": false, "errorType", "errorMessage"}.
Handlers are built once and kept (warm starts), so ASGI lifespan runs once per process as on Lambda.
"""
import importlib
import json
import os
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "src", "runtime-support", "python"))
sys.path.insert(0, os.path.join(HERE, "apps"))

_handlers = {}


class Context:
    function_name = "adapter-test"
    function_version = "$LATEST"
    memory_limit_in_mb = 128
    aws_request_id = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self):
        return 30000


def load(spec):
    if spec not in _handlers:
        kind, _, target = spec.partition(":")
        module_name, _, attr = target.rpartition(".")
        app = getattr(importlib.import_module(module_name), attr)
        adapter = importlib.import_module("lbuild_adapters." + kind)
        _handlers[spec] = adapter.make_handler(app)
    return _handlers[spec]


def main():
    out = sys.stdout
    sys.stdout = sys.stderr  # app prints must not corrupt the protocol
    for line in sys.stdin:
        request = json.loads(line)
        try:
            result = load(request["handler"])(request["event"], Context())
            reply = {"ok": True, "result": result}
        except Exception as error:
            traceback.print_exc()
            reply = {"ok": False, "errorType": type(error).__name__, "errorMessage": str(error)}
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
