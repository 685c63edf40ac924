"""One classifier over the project's taxonomy, built once for the classifier's test modules."""

from __future__ import annotations

from bot.classify import Classifier
from bot.settings import PROJECT_ROOT
from bot.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy(PROJECT_ROOT / "config")
CLASSIFIER = Classifier(TAXONOMY)
