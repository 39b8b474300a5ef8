"""The composer's SMS counter (static/sms_length.js) gives the server's answers on the shared
cases. Runs the file under Node when it is installed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from contact_center.tickets import sms_length
from tests.tickets.test_sms_length import CASES, case_text

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "contact_center/web/static/sms_length.js"
NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
def test_the_browser_rule_matches_the_server_rule_on_every_case() -> None:
    texts = [case_text(c) for c in CASES] + ["Thanks 👍", "您好", "a" * 200 + "€"]
    program = (
        f"const {{ smsLength }} = require({json.dumps(str(SCRIPT))});"
        "let input = ''; process.stdin.on('data', (d) => { input += d; });"
        "process.stdin.on('end', () => {"
        "  console.log(JSON.stringify(JSON.parse(input).map(smsLength)));"
        "});"
    )
    assert NODE is not None
    run = subprocess.run(
        [NODE, "-e", program],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    browser = json.loads(run.stdout)
    server = [sms_length(t).__dict__ for t in texts]
    assert browser == server
