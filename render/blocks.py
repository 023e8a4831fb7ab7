"""Block Kit for every reply, built with slack_sdk.models so Slack's limits are checked before sending."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from render.formats import clip, harmless

SECTION_MAX = 3000
HEADER_MAX = 150
MESSAGE_BLOCKS_MAX = 50
TEXT_MAX = 3000


@dataclass
class Message:
    """A reply: fallback text for notifications and screen readers, and the blocks people see."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The `text` and `blocks` arguments of chat.postMessage / response_url, validated."""
        blocks = self.blocks[:MESSAGE_BLOCKS_MAX]
        return quiet({"text": clip(self.text, TEXT_MAX), "blocks": [block.to_dict() for block in blocks]})


def surface(view: View) -> dict[str, Any]:
    """A modal or Home tab as Slack receives it (views.open, views.update, views.publish, a view ack)."""
    return quiet(view.to_dict())


def quiet(payload: Any) -> Any:
    """Every text in a message or view, made harmless: user text in it never notifies anyone.

    This is the one place user text enters what Slack renders, whatever message kind carries it.
    """
    if isinstance(payload, dict):
        return {k: harmless(v) if k == "text" and isinstance(v, str) else quiet(v) for k, v in payload.items()}
    if isinstance(payload, list):
        return [quiet(item) for item in payload]
    return payload


def section(text: str) -> SectionBlock:
    """A mrkdwn section, clipped to Slack's limit."""
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_MAX)))


def sections(lines: Iterable[str], *, heading: str | None = None) -> list[Block]:
    """Lines packed into as few sections as Slack's 3,000-character limit allows."""
    blocks: list[Block] = []
    current = heading + "\n" if heading else ""
    for line in lines:
        line = clip(line, SECTION_MAX - 100)
        if len(current) + len(line) + 1 > SECTION_MAX:
            blocks.append(section(current.rstrip("\n")))
            current = ""
        current += line + "\n"
    if current.strip():
        blocks.append(section(current.rstrip("\n")))
    return blocks


def header(text: str) -> HeaderBlock:
    """A plain-text header, clipped to Slack's limit."""
    return HeaderBlock(text=clip(text, HEADER_MAX))


def context(*texts: str) -> ContextBlock:
    """Small grey text under a message."""
    return ContextBlock(elements=[MarkdownTextObject(text=clip(t, 2000)) for t in texts[:10]])


def divider() -> DividerBlock:
    return DividerBlock()


def simple(text: str) -> Message:
    """A one-section reply."""
    return Message(text=text, blocks=[section(text)])


def fit(blocks: Sequence[Block], note: str) -> list[Block]:
    """Blocks cut to Slack's 50-block limit, the last one saying what was left out."""
    if len(blocks) <= MESSAGE_BLOCKS_MAX:
        return list(blocks)
    return [*blocks[: MESSAGE_BLOCKS_MAX - 1], context(note)]
