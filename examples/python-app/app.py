"""The shop's API: a plain Flask app. lbuild runs it on Lambda through its WSGI adapter
(handler "wsgi:app.app"), so the same file runs under `flask run` too."""
from flask import Flask, jsonify, request

from db import connection

app = Flask(__name__)


@app.get("/api/health")
def health():
    return {"ok": True}


@app.get("/api/items")
def list_items():
    with connection().cursor() as cur:
        cur.execute("SELECT id, name, created_at FROM items ORDER BY id")
        rows = cur.fetchall()
    return jsonify([{"id": r[0], "name": r[1], "createdAt": r[2].isoformat()} for r in rows])


@app.post("/api/items")
def create_item():
    body = request.get_json(silent=True) or {}
    name = str(body.get("name", "")).strip()
    if not name:
        return {"error": "name is required"}, 400
    with connection().cursor() as cur:
        cur.execute("INSERT INTO items (name) VALUES (%s) RETURNING id", (name,))
        item_id = cur.fetchone()[0]
    return {"id": item_id, "name": name}, 201


@app.delete("/api/items/<int:item_id>")
def delete_item(item_id):
    with connection().cursor() as cur:
        cur.execute("DELETE FROM items WHERE id = %s", (item_id,))
    return "", 204
