"""ASGI apps (Starlette, FastAPI, Quart...) as Lambda handlers, like Mangum but stdlib-only.

    from lbuild_adapters.asgi import make_handler
    handler = make_handler(app)     # lifespan="auto" | "on" | "off"

One event loop lives as long as the Lambda environment, so the app's connection pools and
background tasks created at startup stay valid across warm invocations. Lifespan startup runs once,
on the first (cold) invocation; an app that does not speak lifespan is tolerated in "auto" mode.
Shutdown is attempted at interpreter exit, which Lambda does not always grant: do not rely on it.
"""
import asyncio
import atexit

from .request import parse_event
from .response import build_response


class LifespanFailure(RuntimeError):
    pass


class _AsgiHandler:
    def __init__(self, app, lifespan):
        if lifespan not in ("auto", "on", "off"):
            raise ValueError('lifespan must be "auto", "on" or "off"')
        self.app = app
        self.lifespan = lifespan
        self.loop = None
        self.state = {}
        self._lifespan_inbox = None
        self._lifespan_supported = False

    def __call__(self, event, context):
        if self.loop is None:
            self.loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self.loop)
            if self.lifespan != "off":
                self.loop.run_until_complete(self._startup())
                atexit.register(self._shutdown)
        request = parse_event(event)
        return self.loop.run_until_complete(self._http(request, event, context))

    async def _startup(self):
        loop = asyncio.get_running_loop()
        self._lifespan_inbox = asyncio.Queue()
        started = loop.create_future()

        async def receive():
            return await self._lifespan_inbox.get()

        async def send(message):
            kind = message["type"]
            if kind == "lifespan.startup.complete" and not started.done():
                started.set_result(True)
            elif kind == "lifespan.startup.failed" and not started.done():
                started.set_exception(LifespanFailure("ASGI lifespan startup failed: " + message.get("message", "")))

        async def run():
            scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": self.state}
            try:
                await self.app(scope, receive, send)
            except BaseException as error:  # an app without lifespan support raises on the unknown scope
                if not started.done():
                    if self.lifespan == "on":
                        started.set_exception(error)
                    else:
                        started.set_result(False)
            if not started.done():
                started.set_result(False)

        loop.create_task(run())
        await self._lifespan_inbox.put({"type": "lifespan.startup"})
        self._lifespan_supported = await started

    def _shutdown(self):
        if not self._lifespan_supported or self.loop is None or self.loop.is_closed():
            return
        try:
            self.loop.run_until_complete(asyncio.wait_for(self._lifespan_inbox.put({"type": "lifespan.shutdown"}), 1))
            self.loop.run_until_complete(asyncio.sleep(0.05))  # let the app run its shutdown handlers
        except Exception:
            pass

    async def _http(self, request, event, context):
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": request.scheme,
            "path": request.path,
            "raw_path": request.raw_path,
            "query_string": request.query_string,
            "root_path": request.script_name,
            "headers": [(name.encode("latin-1"), value.encode("latin-1", "replace")) for name, value in request.headers],
            "client": (request.remote_addr, 0),
            "server": (request.server_name, request.server_port),
            "state": dict(self.state),
            "aws.event": event,
            "aws.context": context,
        }
        body_sent = False
        finished = asyncio.Event()
        response = {"status": None, "headers": [], "body": []}

        async def receive():
            nonlocal body_sent
            if not body_sent:
                body_sent = True
                return {"type": "http.request", "body": request.body, "more_body": False}
            await finished.wait()  # the client "disconnects" only once the response is complete
            return {"type": "http.disconnect"}

        async def send(message):
            kind = message["type"]
            if kind == "http.response.start":
                response["status"] = message["status"]
                response["headers"] = [
                    (bytes(name).decode("latin-1"), bytes(value).decode("latin-1")) for name, value in message.get("headers", [])
                ]
            elif kind == "http.response.body":
                response["body"].append(bytes(message.get("body", b"")))
                if not message.get("more_body", False):
                    finished.set()

        try:
            await self.app(scope, receive, send)
        finally:
            finished.set()
        if response["status"] is None:
            raise RuntimeError("the ASGI app returned without sending http.response.start")
        return build_response(request, response["status"], response["headers"], b"".join(response["body"]))


def make_handler(app, lifespan="auto"):
    """Return handler(event, context) that runs the ASGI `app` for one API Gateway event."""
    return _AsgiHandler(app, lifespan)
