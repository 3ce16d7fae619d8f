"""Table tests of lbuild_adapters.request.parse_event on the AWS docs' example events (stdlib only)."""
import base64
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "src", "runtime-support", "python"))

from lbuild_adapters.request import parse_event  # noqa: E402
from lbuild_adapters.response import build_response  # noqa: E402

V2_DOC = {
    "version": "2.0", "routeKey": "$default", "rawPath": "/my/path",
    "rawQueryString": "parameter1=value1&parameter1=value2&parameter2=value", "cookies": ["cookie1", "cookie2"],
    "headers": {"header1": "value1", "header2": "value1,value2"},
    "requestContext": {"domainName": "id.execute-api.us-east-1.amazonaws.com", "stage": "$default",
                       "http": {"method": "POST", "path": "/my/path", "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1", "userAgent": "agent"}},
    "body": "Hello from Lambda", "isBase64Encoded": False,
}

REST_DOC = {
    "resource": "/{proxy+}", "path": "/hello/world", "httpMethod": "POST",
    "headers": {"Content-Type": "application/json", "Host": "gy415nuibc.execute-api.us-east-1.amazonaws.com", "X-Forwarded-Port": "443", "X-Forwarded-Proto": "https"},
    "multiValueHeaders": {"Content-Type": ["application/json"], "Host": ["gy415nuibc.execute-api.us-east-1.amazonaws.com"], "X-Forwarded-Port": ["443"], "X-Forwarded-Proto": ["https"]},
    "queryStringParameters": {"name": "me", "multivalueName": "me"},
    "multiValueQueryStringParameters": {"name": ["me"], "multivalueName": ["you", "me"]},
    "requestContext": {"stage": "testStage", "path": "/testStage/hello/world", "identity": {"sourceIp": "192.168.196.186"}},
    "body": "{\r\n\t\"a\": 1\r\n}", "isBase64Encoded": False,
}


class ParseEvent(unittest.TestCase):
    def test_v2_docs_example(self):
        r = parse_event(V2_DOC)
        self.assertEqual((r.version, r.method, r.script_name, r.path), ("2.0", "POST", "", "/my/path"))
        self.assertEqual(r.query_string, b"parameter1=value1&parameter1=value2&parameter2=value")
        self.assertEqual(r.header("cookie"), "cookie1; cookie2")
        self.assertEqual(r.header("header2"), "value1,value2")
        self.assertEqual((r.remote_addr, r.server_name, r.server_port, r.scheme), ("192.0.2.1", "id.execute-api.us-east-1.amazonaws.com", 443, "https"))
        self.assertEqual(r.body, b"Hello from Lambda")

    def test_rest_docs_example_mounts_below_the_stage(self):
        r = parse_event(REST_DOC)
        self.assertEqual((r.version, r.script_name, r.path, r.raw_path), ("1.0", "/testStage", "/hello/world", b"/hello/world"))
        self.assertEqual(r.query_string, b"name=me&multivalueName=you&multivalueName=me")
        self.assertEqual(r.remote_addr, "192.168.196.186")
        self.assertEqual(r.body, b'{\r\n\t"a": 1\r\n}')

    def test_rest_stage_root_and_custom_domain(self):
        self.assertEqual(parse_event({**REST_DOC, "path": "/", "requestContext": {"path": "/testStage"}}).script_name, "/testStage")
        self.assertEqual(parse_event({**REST_DOC, "requestContext": {"path": "/hello/world"}}).script_name, "")

    def test_http_api_v1_has_no_mount(self):
        r = parse_event({**REST_DOC, "version": "1.0", "requestContext": {"path": "/hello/world", "stage": "$default"}})
        self.assertEqual((r.script_name, r.path), ("", "/hello/world"))

    def test_v2_named_stage_and_base64_body(self):
        event = {**V2_DOC, "rawPath": "/prod/a%2Fb", "requestContext": {**V2_DOC["requestContext"], "stage": "prod"},
                 "body": base64.b64encode(b"\x00\xff").decode(), "isBase64Encoded": True}
        r = parse_event(event)
        self.assertEqual((r.script_name, r.path, r.raw_path, r.body), ("/prod", "/a/b", b"/a%2Fb", b"\x00\xff"))

    def test_rejects_non_gateway_events(self):
        with self.assertRaises(ValueError):
            parse_event({"Records": []})


class BuildResponse(unittest.TestCase):
    def test_v2_cookies_and_text(self):
        r = parse_event(V2_DOC)
        out = build_response(r, 200, [("Content-Type", "text/html"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("X-A", "1"), ("X-A", "2")], "é".encode())
        self.assertEqual(out, {"statusCode": 200, "headers": {"Content-Type": "text/html", "X-A": "1, 2"}, "body": "é", "isBase64Encoded": False, "cookies": ["a=1", "b=2"]})

    def test_binary_and_compressed_bodies_are_base64(self):
        r = parse_event(V2_DOC)
        self.assertTrue(build_response(r, 200, [("Content-Type", "image/png")], b"\x89PNG")["isBase64Encoded"])
        self.assertTrue(build_response(r, 200, [("Content-Type", "text/plain"), ("Content-Encoding", "gzip")], b"\x1f\x8b")["isBase64Encoded"])
        self.assertFalse(build_response(r, 204, [], b"")["isBase64Encoded"])

    def test_v1_multi_value_headers(self):
        out = build_response(parse_event(REST_DOC), 302, [("Location", "/x"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")], b"")
        self.assertEqual(out["multiValueHeaders"], {"Location": ["/x"], "Set-Cookie": ["a=1", "b=2"]})
        self.assertEqual(out["headers"], {"Location": "/x"})


if __name__ == "__main__":
    unittest.main()
