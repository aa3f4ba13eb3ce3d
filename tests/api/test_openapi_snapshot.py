"""The API's contract changes only on purpose: the live OpenAPI document must equal the committed one.

After an intended change, rewrite the snapshot and commit it with the change:

    GROUNDSWELL_UPDATE_OPENAPI_SNAPSHOT=1 .venv/bin/pytest tests/api/test_openapi_snapshot.py
"""

import json
import os
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("openapi.snapshot.json")


def test_openapi_document_matches_the_snapshot(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    live = json.dumps(response.json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    if os.environ.get("GROUNDSWELL_UPDATE_OPENAPI_SNAPSHOT") == "1":
        SNAPSHOT.write_text(live, encoding="utf-8")

    assert SNAPSHOT.exists(), "No snapshot yet: run with GROUNDSWELL_UPDATE_OPENAPI_SNAPSHOT=1 to write it."
    assert live == SNAPSHOT.read_text(encoding="utf-8"), (
        "The API's OpenAPI document changed. If that is on purpose, rewrite the snapshot and commit it: "
        "GROUNDSWELL_UPDATE_OPENAPI_SNAPSHOT=1 .venv/bin/pytest tests/api/test_openapi_snapshot.py"
    )


def test_openapi_document_has_no_interactive_docs_page(client):
    # Swagger UI would load scripts from a CDN; the document alone is served.
    assert client.get("/api/v1/docs").status_code == 404
