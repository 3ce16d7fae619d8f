"""A real Starlette app (Debian's python3-starlette): routing, lifespan state, url_for, binary bodies."""
import contextlib

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

events = []


@contextlib.asynccontextmanager
async def lifespan(app):
    events.append("startup")
    app.state.ready = True
    yield
    events.append("shutdown")


async def item(request: Request):
    return JSONResponse(
        {
            "id": request.path_params["item_id"],
            "q": request.query_params.getlist("q"),
            "cookie": request.cookies.get("session"),
            "url_for": str(request.url_for("item", item_id="42")),
            "ready": getattr(request.app.state, "ready", False),
            "startups": events.count("startup"),
        }
    )


async def echo(request: Request):
    body = await request.body()
    response = Response(body, media_type="application/octet-stream")
    response.set_cookie("one", "1")
    response.set_cookie("two", "2")
    return response


app = Starlette(routes=[Route("/items/{item_id}", item, name="item"), Route("/echo", echo, methods=["POST"])], lifespan=lifespan)
