from contact_center.outbox.masking import mask, mask_text


def test_addresses_are_masked_for_logs() -> None:
    assert mask("+12025550143") == "+1202*****43"
    assert mask("rowan.hale@example.org") == "ro***@example.org"


def test_addresses_inside_provider_errors_are_masked() -> None:
    text = "recipient refused: {'nobody@example.net': (550,)}; To +12025550143, at 2026-12-05 10:00"
    masked = mask_text(text)
    assert "nobody@" not in masked and "5550143" not in masked
    assert "no***@example.net" in masked and "2026-12-05 10:00" in masked
    assert mask_text("not a valid email address: '@example.com'").endswith("'***@example.com'")
