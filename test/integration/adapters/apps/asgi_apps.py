"""Minimal ASGI apps in pure Python: one with lifespan, one that rejects lifespan, one that never answers."""
import json

startups = []


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                startups.append(1)
                scope["state"]["started"] = True
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if scope["path"] == "/binary":
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/octet-stream")]})
        await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
        await send({"type": "http.response.body", "body": body[len(body) // 2 :]})
        return
    payload = {
        "path": scope["path"],
        "raw_path": scope["raw_path"].decode(),
        "root_path": scope["root_path"],
        "query_string": scope["query_string"].decode(),
        "headers": {k.decode(): v.decode() for k, v in scope["headers"]},
        "client": list(scope["client"]),
        "server": list(scope["server"]),
        "scheme": scope["scheme"],
        "body": body.decode("utf-8", "replace"),
        "startups": len(startups),
        "state_started": scope["state"].get("started", False),
    }
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"set-cookie", b"x=1"), (b"set-cookie", b"y=2")],
        }
    )
    await send({"type": "http.response.body", "body": json.dumps(payload).encode()})


async def no_lifespan_app(scope, receive, send):
    if scope["type"] != "http":
        raise ValueError("only http is supported")
    await send({"type": "http.response.start", "status": 202, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"no lifespan, still fine"})


async def silent_app(scope, receive, send):
    if scope["type"] == "http":
        return  # never starts a response: the adapter must report a function error
