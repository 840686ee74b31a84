"""Import payloads built in tests: JSON Lines and zip archives as bytes."""

import io
import json
import zipfile


def jsonl(*rows) -> bytes:
    """One line per row: dicts as JSON, strings as they are (for malformed lines)."""
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows).encode()


def make_zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()
