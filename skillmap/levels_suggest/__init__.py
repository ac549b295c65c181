"""Suggest an EQF level for qualifications without one (outside any national framework), with evidence.

Sits after ``skillmap.levels`` in the data flow: it reads text (``skillmap.text``), tables (``skillmap.sources``) and
its data files (data/levels_suggest/); ``align`` and the CLI use it. Public names: ``suggest_level``,
``evaluate_levels`` and their result types, exported by ``skillmap``.
"""
