"""A plain Flask app, written as for any WSGI server: nothing in it knows about Lambda."""
import hashlib

from flask import Flask, jsonify, make_response, request, url_for

app = Flask(__name__)


@app.get("/hello")
def hello():
    return jsonify(
        name=request.args.get("name"),
        tags=request.args.getlist("tag"),
        cookies=request.cookies,
        script_root=request.script_root,
        path=request.path,
        url=request.url,
        self_link=url_for("hello"),
        external_link=url_for("hello", _external=True),
        remote_addr=request.remote_addr,
        host=request.host,
    )


@app.post("/json")
def post_json():
    return jsonify(received=request.get_json(), content_length=request.content_length, content_type=request.content_type), 201


@app.post("/upload")
def upload():
    data = request.get_data()
    response = make_response(data)
    response.headers["Content-Type"] = "application/octet-stream"
    response.headers["X-Sha256"] = hashlib.sha256(data).hexdigest()
    return response


@app.get("/download")
def download():
    response = make_response(bytes(range(256)))
    response.headers["Content-Type"] = "image/png"
    return response


@app.get("/set-cookies")
def set_cookies():
    response = make_response("cookies set")
    response.set_cookie("a", "1")
    response.set_cookie("b", "2", httponly=True)
    response.set_cookie("c", "3", path="/hello")
    return response


@app.get("/lambda")
def lambda_info():
    request.environ["wsgi.errors"].write("written to wsgi.errors\n")
    return jsonify(
        function_name=request.environ["lambda.context"].function_name,
        has_event="requestContext" in request.environ["lambda.event"],
    )


@app.get("/unicode/<word>")
def unicode_word(word):
    return jsonify(word=word)


@app.get("/boom")
def boom():
    raise RuntimeError("unhandled in the view")
