"""The complaint phrases and weights a site starts with (English and Chinese): the default of
the `classifier` setting until a supervisor edits it. A weight is how sure the phrase alone makes a
complaint: 0.8 and more is a complaint by itself; below the threshold a phrase needs company.
Words that ordinary questions use ("refund", "退款", "terrible", "rude") stay at 0.3 so that one
alone is not a complaint while two together are (1 − 0.7 × 0.7 = 0.51). "曝光" (to expose, but
also a camera's exposure) is left out.
"""

from __future__ import annotations

from typing import Any

DEFAULT_THRESHOLD = 0.5

DEFAULT_PHRASES: tuple[tuple[str, float], ...] = (
    # English: the customer says it is a complaint
    ("complaint", 0.8),
    ("complain", 0.8),
    ("formal complaint", 0.9),
    ("want my money back", 0.8),
    ("consumer protection", 0.7),
    ("speak to a manager", 0.5),
    ("escalate", 0.4),
    # English: unhappy with the service (the plain words also describe the weather, a film, or
    # a question about them: below the threshold, they need another phrase)
    ("unacceptable", 0.6),
    ("not happy", 0.6),
    ("not satisfied", 0.6),
    ("dissatisfied", 0.6),
    ("unhappy", 0.5),
    ("disappointed", 0.5),
    ("poor service", 0.6),
    ("terrible", 0.3),
    ("awful", 0.3),
    ("worst", 0.3),
    ("rude", 0.3),
    ("angry", 0.4),
    ("furious", 0.6),
    ("ripped off", 0.6),
    # English: something went wrong, or a request (needs company to make a complaint: "how do
    # I get a refund" is a question, "unacceptable, I want a refund" a complaint)
    ("refund", 0.3),
    ("no refund", 0.6),
    ("money back", 0.4),
    ("broken", 0.4),
    ("damaged", 0.4),
    ("faulty", 0.4),
    ("defective", 0.4),
    ("never arrived", 0.4),
    ("still waiting", 0.3),
    ("no reply", 0.3),
    ("no response", 0.3),
    # Chinese: the customer says it is a complaint
    ("投诉", 0.8),
    ("投诉你们", 0.9),
    ("我要投诉", 0.9),
    ("消费者协会", 0.7),
    ("12315", 0.7),
    ("给个说法", 0.6),
    # Chinese: unhappy with the service
    ("不满", 0.6),
    ("不满意", 0.6),
    ("差评", 0.6),
    ("太差", 0.6),
    ("很差", 0.5),
    ("态度差", 0.6),
    ("态度恶劣", 0.7),
    ("失望", 0.5),
    ("生气", 0.4),
    ("骗人", 0.6),
    # Chinese: something went wrong
    ("退款", 0.3),
    ("退钱", 0.3),
    ("质量问题", 0.4),
    ("坏了", 0.4),
    ("破损", 0.4),
    ("没人回复", 0.4),
    ("没人管", 0.5),
    ("态度", 0.2),
)

DEFAULT_CLASSIFIER: dict[str, Any] = {
    "threshold": DEFAULT_THRESHOLD,
    "phrases": [{"text": text, "weight": weight} for text, weight in DEFAULT_PHRASES],
}
