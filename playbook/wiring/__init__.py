"""The one place that builds adapters from settings. Heavy models load lazily, once.

``Container`` (``container.py``, with its indexes in ``indexes.py``) is what front ends and
tests use; ``models.py`` loads the models a process shares.
"""

from playbook.wiring.container import Container
from playbook.wiring.models import offline_environment, sentence_model, spacy_pipeline

__all__ = ["Container", "offline_environment", "sentence_model", "spacy_pipeline"]
