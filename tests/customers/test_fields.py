from datetime import date

import pytest

from contact_center.customers.fields import clean_customer_fields, clean_organization_fields
from contact_center.customers.model import ACCOUNT_FIELDS
from contact_center.errors import Invalid


def test_card_fields_are_converted() -> None:
    cleaned = clean_customer_fields(
        {
            "name": " Ada ",
            "birthday": "1990-04-30",
            "tags": ["vip", " vip", "retail"],
        }
    )
    assert cleaned == {"name": "Ada", "birthday": date(1990, 4, 30), "tags": ["retail", "vip"]}
    account = clean_organization_fields(
        {"tier": "A", "route_weekday": 3, "latitude": 40.7, "is_key_account": True}
    )
    assert account == {"tier": "A", "route_weekday": 3, "latitude": 40.7, "is_key_account": True}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tier", "D"),
        ("route_weekday", 8),
        ("route_weekday", True),
        ("birthday", "30/04/1990"),
        ("latitude", 91),
        ("preferred_channel", "fax"),
        ("lifecycle_stage", "ghost"),
        ("name", ""),
        ("tags", "vip"),
        ("is_key_account", "yes"),
        ("account_manager_id", "nope"),
        ("shoe_size", 9),
    ],
)
def test_bad_values_name_their_field(field: str, value: object) -> None:
    clean = clean_organization_fields if field in ACCOUNT_FIELDS else clean_customer_fields
    with pytest.raises(Invalid) as caught:
        clean({field: value})
    assert caught.value.field == field


def test_account_fields_are_no_card_fields_of_a_customer() -> None:
    # They belong to the account (customers.update_customer sends them there).
    with pytest.raises(Invalid) as caught:
        clean_customer_fields({"tier": "A"})
    assert caught.value.field == "tier"


def test_organizations_have_no_personal_fields() -> None:
    with pytest.raises(Invalid) as caught:
        clean_organization_fields({"birthday": "1990-01-01"})
    assert caught.value.field == "birthday"


def test_a_whole_number_written_with_a_point_is_a_weekday() -> None:
    # JSON Schema (and the OpenAPI document) call 4.0 an integer; the card must agree.
    assert clean_organization_fields({"route_weekday": 4.0}) == {"route_weekday": 4}
    with pytest.raises(Invalid):
        clean_organization_fields({"route_weekday": 4.5})
