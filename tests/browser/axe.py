"""axe-core in the browser tests: injected from tests/browser/vendor/ (never from a network), run
on the page as it is, violations of impact "serious" or "critical" returned for the test to fail on."""

import hashlib
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
BLOCKING = {"serious", "critical"}


def axe_source() -> str:
    data = AXE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == AXE_SHA256, f"{AXE} is not axe-core {AXE_VERSION} as published"
    return data.decode()


def axe_violations(page) -> list[dict]:
    """Serious and critical violations on the current page: [{id, impact, help, targets}]."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's Content-Security-Policy allows no inline
        # script, so a <script> tag with axe in it would be blocked.
        page.evaluate(axe_source())
    result = page.evaluate("""async () => {
        const r = await window.axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                        targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")) }));
    }""")
    return [v for v in result if v["impact"] in BLOCKING]
