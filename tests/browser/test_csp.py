"""The Content-Security-Policy (no inline script) breaks nothing: the API docs, the admin and the
sign-in pages render and run with it, and no violation is reported (each one is a console error,
which the session fixture turns into a failure). The other browser tests do the same for the UI."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

VIOLATIONS_JS = """() => { window.__csp = []; document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI)); }"""


def _violations(page):
    return page.evaluate("window.__csp || []")


def test_api_docs_and_admin_work_under_the_policy(session, transactional_db, admin_user):
    s = session(admin_user)
    s.context.add_init_script(VIOLATIONS_JS.join(["(", ")()"]))
    page = s.page
    response = page.goto("/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Fact-check Workbench API")
    assert _violations(page) == []
    page.goto("/api/redoc/")
    expect(page.locator("h1").first).to_contain_text("Fact-check Workbench API")
    page.goto("/admin/auth/user/")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto(f"/admin/auth/user/{admin_user.pk}/change/")
    expect(page.locator("#id_username")).to_be_visible()
    page.goto("/")
    assert _violations(page) == []
    # ReDoc's own footer logo (loaded late) is on its CDN: refused by the policy, as any outside request is; and
    # its search worker starts from a blob: URL of this page.
    s.errors[:] = [e for e in s.errors if "cdn.redoc.ly" not in e and "outside the server: blob:" not in e]


def test_an_inline_script_is_refused_by_the_browser(session, transactional_db, editor):
    """The policy really is enforced: a script injected into the page does not run."""
    s = session(editor)
    page = s.page
    page.goto("/")
    page.evaluate("""() => { const el = document.createElement('script'); el.textContent = 'window.__ran = 1';
                             document.body.appendChild(el); }""")
    assert page.evaluate("window.__ran === undefined")
    refused = [e for e in s.errors if "Content Security Policy" in e]
    assert refused, s.errors
    s.errors[:] = [e for e in s.errors if e not in refused]  # expected here
