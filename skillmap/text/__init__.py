"""Text normalisation for matching: words (case, accents, gender forms, stemming), statements, titles.

* :mod:`skillmap.text.normalise` — ``fold``, ``words``, ``stem_words``, ``light_stem``, ``has_stemmer``
* :mod:`skillmap.text.statements` — ``split_statements`` (learning outcomes → statements)
* :mod:`skillmap.text.titles` — qualification titles: ``title_tokens``, ``content_tokens``, ``normalise_title``,
  ``title_words``, ``title_for_matching``
* :mod:`skillmap.text.occupation_titles` — job and occupation titles: ``occupation_title_for_matching``,
  ``drop_exclusions``, ``singular_title``, ``lower_case_title``

Every name stays importable from ``skillmap.text``.
"""

from skillmap.text.normalise import (
    LIGHT_STEM_LENGTH,
    SNOWBALL_LANGUAGES,
    fold,
    has_stemmer,
    light_stem,
    stem_words,
    words,
)
from skillmap.text.occupation_titles import (
    drop_exclusions,
    lower_case_title,
    occupation_title_for_matching,
    singular_title,
)
from skillmap.text.statements import split_statements
from skillmap.text.titles import (
    TitleWords,
    content_tokens,
    normalise_title,
    title_for_matching,
    title_tokens,
    title_words,
)

__all__ = [
    "LIGHT_STEM_LENGTH",
    "SNOWBALL_LANGUAGES",
    "TitleWords",
    "content_tokens",
    "drop_exclusions",
    "fold",
    "has_stemmer",
    "light_stem",
    "lower_case_title",
    "normalise_title",
    "occupation_title_for_matching",
    "singular_title",
    "split_statements",
    "stem_words",
    "title_for_matching",
    "title_tokens",
    "title_words",
    "words",
]
