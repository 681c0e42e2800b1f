from ingest.redact import Pseudonymizer, _resolve_overlaps, normalise


def test_the_same_person_gets_the_same_placeholder_whatever_the_case_or_possessive() -> None:
    p = Pseudonymizer(b"secret")
    tony = p.placeholder("PERSON", "Tony")
    assert p.placeholder("PERSON", "tony") == tony
    assert p.placeholder("PERSON", "Tony's") == tony
    assert p.placeholder("PERSON", "Tony’s") == tony
    assert p.placeholder("PERSON", "Priya") != tony
    assert tony.startswith("[PERSON-") and len(tony) == len("[PERSON-123456]")


def test_placeholders_depend_on_the_key() -> None:
    assert Pseudonymizer(b"a").placeholder("PERSON", "Tony") != Pseudonymizer(b"b").placeholder(
        "PERSON", "Tony"
    )


def test_typed_placeholders_and_normalised_numbers() -> None:
    p = Pseudonymizer(b"k")
    assert p.placeholder("EMAIL_ADDRESS", "a@b.com").startswith("[EMAIL-")
    assert p.placeholder("PHONE_NUMBER", "+44 20 7946 0958") == p.placeholder(
        "PHONE_NUMBER", "+44-20-7946-0958"
    )
    assert normalise("PERSON", "  Ana   Lima ") == "ana lima"


def test_overlapping_findings_keep_the_strongest() -> None:
    spans = [(0, 10, "PERSON", 0.6), (5, 20, "EMAIL_ADDRESS", 1.0), (25, 30, "PERSON", 0.85)]
    assert _resolve_overlaps(spans) == [(5, 20, "EMAIL_ADDRESS", 1.0), (25, 30, "PERSON", 0.85)]
