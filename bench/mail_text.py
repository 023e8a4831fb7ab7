"""Words for bench.mail's messages: people's names, subjects (some needing encoded words) and letter bodies."""

from __future__ import annotations

import html
import random

FIRST = ("Alice", "Bob", "Zoë", "Łukasz", "José", "Anna", "Marek", "Chloé", "Jürgen", "Priya", "Kenji", "Fatima",
         "Olga", "Tomás", "Inès", "Noah", "Małgorzata", "Søren")  # fmt: skip
LAST = ("Smith", "Nowak", "Müller", "Álvarez", "Kowalska", "Dubois", "Tanaka", "Okafor", "Rossi", "Jensen",
        "Wójcik", "O'Brien", "Nguyen", "García")  # fmt: skip
TOPICS = ("Renewal terms", "Invoice", "Kick-off agenda", "Q4 forecast", "Umowa ramowa \u2013 poprawki",
          "Réunion de suivi", "Angebot für das Projekt", "見積もりのご依頼", "Onboarding checklist",
          "Support ticket", "Price list 2027", "Meeting notes", "Zażółć gęślą jaźń: test", "Contract draft v3",
          "Access to the staging environment", "Follow-up on our call")  # fmt: skip
PREFIXES = ("", "", "", "Re: ", "RE: ", "Re: Re: ")
SENTENCES = (
    "Thanks for the call this morning, it was good to go through the open points together.",
    "Please find the revised proposal below; the pricing reflects the volume we discussed.",
    "Could you confirm the delivery date by Friday? Our finance team needs it for the quarter.",
    "We reviewed the contract draft and have two small changes to clause 7 (liability).",
    "The team in Kraków will take over the integration work from next Monday.",
    "Attached is the invoice for October; payment terms are 30 days as usual.",
    "Let me know if a meeting next week works for you — Tuesday or Wednesday afternoon.",
    "Zgodnie z ustaleniami przesyłam poprawioną wersję umowy do akceptacji.",
    "Merci pour votre retour rapide, nous revenons vers vous d'ici jeudi.",
    "Die Testumgebung ist ab morgen früh wieder erreichbar.",
    "We noticed a spike in error rates after the last release and are looking into it.",
    "No rush on this, but it would help to have the numbers before the steering committee.",
)  # fmt: skip
SIGNATURES = ("Best regards", "Kind regards", "Cheers", "Pozdrawiam", "Cordialement", "Viele Grüße")


def subject_for(rng: random.Random, number: int) -> str:
    """A subject no other message has (its reference number), a quarter of them needing encoded words."""
    return f"{rng.choice(PREFIXES)}{rng.choice(TOPICS)} (ref {number:06d})"


def letter_text(rng: random.Random, *, quoted: bool) -> str:
    """A short letter: greeting, a few paragraphs, a signature; now and then the quoted mail it answers."""
    paragraphs = [" ".join(rng.sample(SENTENCES, rng.randint(1, 3))) for _ in range(rng.randint(1, 4))]
    text = "Hi,\n\n" + "\n\n".join(paragraphs) + f"\n\n{rng.choice(SIGNATURES)},\n{rng.choice(FIRST)}"
    if quoted:
        earlier = " ".join(rng.sample(SENTENCES, 3))
        text += f"\n\nOn Mon, 2 Nov 2026 at 09:14, {rng.choice(FIRST)} wrote:\n> {earlier}\n>\n> Thanks"
    return text


def html_of(text: str) -> str:
    """The letter as an HTML mail program sends it: a style block, paragraphs, a signature table."""
    paragraphs = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n"))
    return (
        "<html><head><style>p { font-family: Arial; margin: 0 0 1em }</style></head><body>"
        f'<div dir="ltr">{paragraphs}</div>'
        '<table><tr><td><b>OurCo</b> | +48 12 345 67 89 | <a href="https://ourco.test">ourco.test</a></td></tr>'
        "</table></body></html>"
    )
