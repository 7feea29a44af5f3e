from __future__ import annotations

from pathlib import Path

from bot.core.content import Content, load_content
from bot.core.replies import Kind, Visibility
from bot.daily.rotation import daily_reply, excerpt, item_after, next_item, rotation


def test_default_rotation_is_takeaways_then_entries_in_number_order(content: Content) -> None:
    items = rotation(content)
    assert len(items) == len(content.takeaways) + len(content.entries) == 13
    assert [i.key for i in items[:3]] == ["takeaway-1", "takeaway-2", "takeaway-3"]
    assert [i.number for i in items[3:]] == list(range(1, 11))
    assert items[3].headline == content.entry_by_number(1).question


def test_content_daily_list_sets_items_and_order(tmp_path: Path, content: Content) -> None:
    text = Path(content.path).read_text(encoding="utf-8")
    second = content.entry_by_number(2).id
    (tmp_path / "qa.yaml").write_text(
        text + f"\ndaily:\n  - {second}\n  - takeaway-3\n", encoding="utf-8"
    )
    custom = load_content(tmp_path / "qa.yaml")
    assert [i.key for i in rotation(custom)] == [second, "takeaway-3"]


def test_next_item_wraps_and_restarts_on_a_key_that_left_the_content(content: Content) -> None:
    items = rotation(content)
    assert next_item(items, None) == items[0]
    assert next_item(items, items[0].key) == items[1]
    assert next_item(items, items[-1].key) == items[0]
    assert next_item(items, "an-entry-that-was-deleted") == items[0]
    assert item_after(items, items[1].key, 3) == items[5]


def test_excerpt_cuts_at_a_sentence_or_a_word_never_inside_one() -> None:
    sentences = "First sentence is here. " * 20
    cut = excerpt(sentences, 100)
    assert cut.endswith("here.") and len(cut) <= 100
    words = "word " * 100
    cut = excerpt(words, 52)
    assert cut.endswith("word…") and len(cut) <= 53
    assert excerpt("Short answer.", 100) == "Short answer."


def test_entry_post_has_question_excerpt_and_how_to_ask_for_more(content: Content) -> None:
    item = rotation(content)[5]  # entry 3
    reply = daily_reply(content, item, "/kubecon")
    assert reply.kind is Kind.DAILY and reply.visibility is Visibility.CHANNEL
    assert reply.title == "Takeaway of the day"
    assert item.headline in reply.body
    assert "Ask `/kubecon 3` for the full answer." in reply.body
    answer = content.entry_by_number(3).answer
    assert len(item.excerpt) < len(answer)
    assert answer.startswith(item.excerpt.rstrip("…"))
    assert reply.links[0].url == content.recording_url
    assert content.recording_url in reply.text
    assert reply.footer and content.webinar.presenter in reply.footer


def test_takeaway_post_is_the_takeaway_verbatim(content: Content) -> None:
    reply = daily_reply(content, rotation(content)[0])
    assert reply.body == content.takeaways[0]
    assert reply.number is None and reply.entry_id is None
