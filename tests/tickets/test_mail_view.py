from __future__ import annotations

from contact_center.tickets.mail_view import mail_document


def test_inline_images_become_data_urls_and_nothing_else_does() -> None:
    html = (
        '<p><img src="cid:logo@x"><img src=\'cid:<chart>\'><img src="cid:drawing">'
        '<img src="cid:missing"><img src="https://example.org/a.png"></p>'
    )
    document = mail_document(
        html,
        {
            "logo@x": ("image/png", b"\x89PNG"),
            "chart": ("image/gif", b"GIF8"),
            "drawing": ("image/svg+xml", b"<svg onload=alert(1)>"),
        },
    )
    assert '<img src="data:image/png;base64,iVBORw==">' in document
    assert "<img src='data:image/gif;base64,R0lGOA=='>" in document
    assert 'src="cid:drawing"' in document and "svg" not in document.replace("cid:drawing", "")
    assert 'src="cid:missing"' in document and 'src="https://example.org/a.png"' in document
    assert document.startswith("<!doctype html>")
