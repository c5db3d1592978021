"""`make bench` renders the bilingual sample letter of `make letters`: its snapshot must build
from the samples as they are (it broke silently once when the snapshot read a new relation)."""

from terminations.management.commands.bench_letters import sample_snapshot


def test_the_bench_letter_is_the_bilingual_sample_termination_notice():
    snapshot = sample_snapshot()
    assert (snapshot["kind"], snapshot["language"]) == ("termination", "bilingual")
    assert snapshot["letter_number"] == "TC-2026-00042-L1-v1"
    assert snapshot["facts_en"] and snapshot["addressees"][0]["name"]
