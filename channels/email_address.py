"""Who sent an inbound mail. Pure: header text and envelope sender in, a Sender out.

The From header is read with the standard library's RFC 5322 address parser and believed only
when it holds a clean mailbox whose address our mailer can answer (the rule every customer
address follows). Otherwise the envelope sender (SMTP MAIL FROM) is used, with a note for the
agent; when neither can be answered, the mail has no usable sender and is kept unplaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address, AddressHeader, HeaderRegistry
from email.utils import getaddresses

from contact_center.customers.identities import email_or_none

# The parser is quadratic on some shapes (about 30 ms for 1,000 quote marks); a real From is
# a few hundred characters even with a long encoded display name.
MAX_FROM_CHARS = 1_000
_REGISTRY = HeaderRegistry()
_FROM = _REGISTRY["From"]


class NoUsableSender(ValueError):
    """Neither the From header nor the envelope sender is an address we could answer."""


@dataclass(frozen=True)
class Sender:
    address: str
    display_name: str
    # Why the From header was not used, for the agent; empty when it was.
    note: str = ""


def choose_sender(from_values: list[str], envelope_sender: str | None) -> Sender:
    """The sender's address (normalized like every customer email) and display name.

    `from_values` are the From headers as written (unfolded; encoded words left encoded).
    """
    found, problem = _from_header(from_values, envelope_sender or "")
    if not problem:
        return found
    envelope = email_or_none(envelope_sender or "")
    if envelope is None:
        state = "empty" if not (envelope_sender or "").strip() else "not answerable either"
        raise NoUsableSender(f"{problem}; the envelope sender is {state}")
    note = f"The From header was not usable ({problem}); the envelope sender {envelope} is used."
    return Sender(envelope, found.display_name, note)


def _from_header(values: list[str], envelope: str) -> tuple[Sender, str]:
    """The sender the header names, and "" or why it cannot be used."""
    nobody = Sender("", "")
    if not values or not any(value.strip() for value in values):
        return nobody, "no From header"
    if len(set(values)) > 1:
        return nobody, f"{len(values)} different From headers"
    value = values[0]
    if len(value) > MAX_FROM_CHARS:
        return nobody, f"From header longer than {MAX_FROM_CHARS} characters"
    try:
        header = _FROM("From", value)
        mailboxes: list[Address] = (
            list(header.addresses) if isinstance(header, AddressHeader) else []
        )
    except Exception as exc:  # the parser's failures (recursion on nested comments) are many
        return nobody, f"From header unreadable: {type(exc).__name__}"
    if not mailboxes:
        return nobody, "no address in the From header"
    # The lenient parser also takes a name from a comment, and leaves encoded words to the
    # caller's decoder, which is kinder to mislabelled charsets.
    lenient = [(name, address) for name, address in getaddresses([value]) if address]
    if [mailbox.addr_spec for mailbox in mailboxes] != [address for _, address in lenient]:
        # The strict parser skipped or the lenient one split something: two addresses without
        # a comma, a name without quotes. Whichever address one of them guessed is not believed.
        defect = f": {header.defects[0]}" if header.defects else ""
        return Sender("", str(mailboxes[0].display_name)), f"ambiguous From header{defect}"
    names = [
        name or str(mailbox.display_name)
        for (name, _), mailbox in zip(lenient, mailboxes, strict=True)
    ]
    usable = [
        (address, name)
        for mailbox, name in zip(mailboxes, names, strict=True)
        if (address := email_or_none(mailbox.addr_spec))
    ]
    if not usable:
        return Sender("", names[0]), f"From address {mailboxes[0].addr_spec!r} cannot be answered"
    if len(usable) > 1:  # several authors: the one who also sent the envelope, else the first
        usable.sort(key=lambda found: found[0] != email_or_none(envelope))
    return Sender(*usable[0]), ""
