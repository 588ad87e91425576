"""Every page carries a Content-Security-Policy that runs scripts from this site's own files
only, and no page needs more: no inline script or handler in any template, nothing loaded
from another origin (the API docs included). The browser tests fail on any violation the
policy reports (web/tests/conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from winddown.conftest import staff_signed_in

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(ROOT.glob("*/templates/**/*.html"))
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
ASSET = re.compile(r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", re.I)


def test_the_sweep_finds_the_templates():
    assert len(TEMPLATES) > 40


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_an_inline_script_or_handler(template):
    text = template.read_text()
    for attributes in SCRIPT_TAG.findall(text):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
    assert not HANDLER.search(text), HANDLER.search(text).group(0)
    assert "javascript:" not in text


def _assert_own_policy(response):
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    body = response.content.decode()
    for url in ASSET.findall(body):
        assert url.startswith("/") and not url.startswith("//"), url  # same origin
    for attributes in SCRIPT_TAG.findall(body):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/m/login/", "/staff/login/", "/events/", "/api/docs", "/admin/login/", "/no-such"],
)
def test_public_pages_carry_the_policy(url):
    response = Client().get(url, follow=True)
    _assert_own_policy(response)


@pytest.mark.django_db
def test_the_api_docs_come_from_this_sites_static_files():
    body = Client().get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower() and "unpkg" not in body.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/staff/", "/staff/events/", "/staff/institutions/{}/events/new/"])
def test_staff_pages_carry_the_policy(institution_a, operator_a, url):
    response = staff_signed_in(operator_a).get(url.format(institution_a.pk), follow=True)
    assert response.status_code == 200
    _assert_own_policy(response)
