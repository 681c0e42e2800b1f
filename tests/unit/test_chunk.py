from hypothesis import given
from hypothesis import strategies as st

from ingest.chunk import Chunker, count_tokens, sentences


def test_sentences_keep_offsets_into_the_text() -> None:
    text = 'We decided late. "Too late," said the team!\n\n- Next time: decide on day one.'
    spans = sentences(text)
    assert [s.text for s in spans] == [
        "We decided late.",
        '"Too late," said the team!',
        "- Next time: decide on day one.",
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_chunks_respect_the_size_and_overlap_by_whole_sentences() -> None:
    sentence = "The rotation taught me to ask about the cost of exceptions first. "
    text = sentence * 40
    chunker = Chunker(max_tokens=60, overlap_tokens=15)
    chunks = chunker.split(text)
    assert len(chunks) > 3
    assert all(count_tokens(c.text) <= 60 for c in chunks)
    # consecutive chunks share a sentence (the overlap)
    assert chunks[0].text.endswith(chunks[1].text[: len(sentence.strip())])
    assert all(text[c.start : c.end] == c.text for c in chunks)


def test_a_sentence_longer_than_a_chunk_is_cut_at_words() -> None:
    text = " ".join(f"word{i}" for i in range(500))
    chunks = Chunker(max_tokens=100, overlap_tokens=0).split(text)
    assert len(chunks) == 5
    assert " ".join(c.text for c in chunks) == text


def test_blank_text_gives_no_chunks() -> None:
    assert Chunker().split("  \n\n ") == []


@given(st.text(min_size=1, max_size=2000))
def test_every_word_lands_in_some_chunk(text: str) -> None:
    chunks = Chunker(max_tokens=30, overlap_tokens=8).split(text)
    covered = "".join(c.text for c in chunks)
    for word in text.split():
        assert word in covered
    assert all(text[c.start : c.end] == c.text for c in chunks)
