"""Schemathesis hooks for scripts/contract.py: how to make values of the API's own formats.

`phone` (see contact_center/web/api/schemas.py) is a number valid where it is dialled; these
are made-up numbers in ranges kept for fiction (555-01XX), written the ways people write them.
"""

from __future__ import annotations

import schemathesis
from hypothesis import strategies as st

AREA_CODES = ["202", "212", "312", "415", "617", "718"]
WRITINGS = ["+1{a}555{n}", "({a}) 555-{n}", "{a}.555.{n}", "1 {a} 555 {n}", "{a}555{n}"]

phones = st.builds(
    lambda writing, area, last: writing.format(a=area, n=f"01{last:02d}"),
    st.sampled_from(WRITINGS),
    st.sampled_from(AREA_CODES),
    st.integers(min_value=0, max_value=99),
)
schemathesis.openapi.format("phone", phones)
