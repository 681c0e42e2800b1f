"""Contract suites: one class of tests per port, run against the fake and every real adapter.

A fake that passes the same suite as the adapter it stands in for cannot drift from it, so the
fast unit tests that use the fake say something about production. The pattern follows
Haystack's document-store test mixins (``haystack/testing/document_store.py``):

* ``tests/contracts/<port>.py`` holds ``<Port>Contract``, a plain class (its name does not
  start with ``Test`` and its module not with ``test_``, so pytest never collects it alone).
  Its tests are written against one fixture, ``subject``: an empty instance of the port. The
  base fixture raises, so a subclass that forgets to provide it fails loudly.
* ``tests/contracts/test_<port>.py`` holds one small subclass per adapter, e.g.
  ``class TestFakeVectorIndex(VectorIndexContract)``, that only overrides ``subject`` (and
  builds, and cleans up, the adapter there). Tests that concern one adapter alone (its
  migrations, its own tuning knobs) sit in that adapter's subclass, not in the contract.
* A subclass that needs a real model, a database or a server carries
  ``pytestmark = pytest.mark.integration``; the fakes carry no marker, so their contract runs in
  the fast ``-m "not integration"`` pass.
* Shared sample data (``samples.py``) and fixtures (``conftest.py``: the Chroma server, the
  spaCy and sentence-transformers models) live beside the suites.

Adding a suite for another port (the storage ports: directory, documents, index ledger,
drafts, vault, entries, audit) is the same three steps::

    # tests/contracts/drafts.py
    class DraftsContract:
        @pytest.fixture
        def subject(self) -> Drafts:
            raise NotImplementedError("a subclass provides the adapter under test")

        def test_a_saved_draft_comes_back(self, subject: Drafts) -> None: ...

    # tests/contracts/test_drafts.py
    class TestSqlDrafts(DraftsContract):
        pytestmark = pytest.mark.integration

        @pytest.fixture
        def subject(self, records: SqlRecords) -> Drafts:
            return SqlDrafts(records.engine)

A subclass may also add fixtures the contract asks for besides ``subject`` (say a second
handle on the same files, to test what another process sees); the contract then declares them
the same way, raising in the base.
"""
