"""First guess at a ticket's kind from what the customer wrote. Pure; agents can change it."""

from contact_center.tickets.model import Kind

COMPLAINT_WORDS = (
    "complain",
    "complaint",
    "unacceptable",
    "disappointed",
    "refund",
    "broken",
    "rude",
    "terrible",
    "angry",
    "worst",
    "投诉",
    "不满",
    "退款",
    "差评",
    "质量问题",
    "态度",
)
ORDER_WORDS = (
    "order",
    "purchase",
    "buy",
    "quote",
    "invoice",
    "delivery",
    "订单",
    "订货",
    "下单",
    "发货",
)


def classify(text: str, subject: str = "", to_address: str = "") -> Kind:
    """Complaint first: a complaint mislabelled as an order misses its deadlines."""
    haystack = f"{subject}\n{text}".lower()
    if to_address.lower().startswith("complaints@") or any(w in haystack for w in COMPLAINT_WORDS):
        return Kind.COMPLAINT
    if to_address.lower().startswith("orders@") or any(w in haystack for w in ORDER_WORDS):
        return Kind.ORDER
    return Kind.INQUIRY
