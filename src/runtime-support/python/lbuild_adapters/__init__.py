"""Run unmodified WSGI (Flask, Django) and ASGI (Starlette, FastAPI) apps as Lambda handlers behind
API Gateway: `from lbuild_adapters.wsgi import make_handler; handler = make_handler(app)`.

Pure standard library, Python 3.9+, so it can be copied into any Lambda package or image.
"""
