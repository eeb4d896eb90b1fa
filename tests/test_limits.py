"""The characters a report's text may hold, and how limits read in each language."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from articles.limits import FIELD_MAX_LENGTHS, forbidden_character, limit_text, validate_characters


def test_text_with_tabs_line_breaks_and_any_script_is_accepted():
    validate_characters("Zeile\teins\r\nलेख 記事 статья 🙂\u00a0\u200b\u2028")
    validate_characters("")
    validate_characters(None)


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800", "\ufffe", "\uffff"])
def test_control_characters_lone_surrogates_and_non_characters_are_refused_with_their_line(character):
    with pytest.raises(ValidationError) as refused:
        validate_characters(f"First line\nsecond {character} line")
    assert refused.value.messages == [
        f"This text contains an invisible control character (U+{ord(character):04X}) on line 2; remove it."
    ]
    assert forbidden_character(f"a{character}") == (character, 1)


def test_limits_are_written_as_the_reader_writes_numbers():
    assert limit_text(200_000) == "200,000"
    with translation.override("de"):
        assert limit_text(200_000) == "200.000"


def test_every_translated_field_has_a_limit():
    assert set(FIELD_MAX_LENGTHS) == {"headline", "summary", "body"}
    assert FIELD_MAX_LENGTHS["body"] == 200_000
