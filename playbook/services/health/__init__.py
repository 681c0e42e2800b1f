"""Programme health without reading anyone's journal (issue 21).

Four sources, each a service of its own module, each built from metadata, counts, anonymous
answers and consented attributes only, never from private text:

- ``signals``: early warnings for coordinators (quiet pairings, dropping rhythm, missing
  debriefs, entries past review, share requests waiting), with snooze and resolve;
- ``surveys``: anonymous pulse surveys, results only for enough respondents;
- ``coverage``: what the programme writes about against the goals and domains it declares;
- ``inclusion``: participation, pairing and showcase representation by self-declared
  attributes, with small-cell suppression.

Every figure they report is a ``figures.Figure`` or ``figures.Table`` that states its period
and population; ``figures.suppress`` is the one place the minimum group size is applied.
"""
