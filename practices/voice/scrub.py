"""Personal data out of what customers said, before anything is stored, indexed or sent.

E-mail addresses, card-like numbers (13 to 19 digits, spaces or dashes allowed) and phone numbers
(French: 06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78, 0033 6...; international: +44 20 7946 0958,
+1 (555) 123-4567) are replaced by a mark. Cards go before phones: a card number holds a phone-like run.
"""

import re

EMAIL_MARK, PHONE_MARK, CARD_MARK = "[email]", "[phone]", "[card]"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
CARD = re.compile(r"(?<![\d+])(?!00)\d(?:[ -]?\d){12,18}(?!\d)")
PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:"
    r"(?:\+|00)\d{1,3}[ .\-]?(?:\(0\)[ .\-]?)?(?:\(?\d{1,4}\)?[ .\-]?){2,5}\d{2,4}"  # international
    r"|0[1-9](?:[ .\-]?\d{2}){4}"  # French national
    r")"
    r"(?!\d)"
)


def scrub(text: str) -> str:
    """`text` without e-mails, card numbers or phone numbers (each replaced by its mark)."""
    text = EMAIL.sub(EMAIL_MARK, text)
    text = CARD.sub(CARD_MARK, text)
    return PHONE.sub(PHONE_MARK, text)
