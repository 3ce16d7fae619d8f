"""Run once the database is healthy (database.init) and safe to run again: creates what is missing."""
from db import connection


def handler(event, context):
    with connection().cursor() as cur:
        cur.execute(
            """
            CREATE TABLE IF NOT EXISTS items (
                id SERIAL PRIMARY KEY,
                name TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """
        )
        cur.execute("SELECT count(*) FROM items")
        count = cur.fetchone()[0]
    return {"migrated": True, "items": count}
