"""The checker itself: axe-core, as injected here, does find what it must."""

from .conftest import axe_violations


def test_axe_finds_a_missing_alt_a_faint_text_and_a_missing_language(page, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<html><body><img src="x.png"><p style="color:#eee;background:#fff">faint</p></body></html>'
    )
    page.goto(bad.as_uri())
    found = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= found, found
