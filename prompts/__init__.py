"""Reflection prompt sets and LLM templates, kept as data files (YAML) beside this module.

The reflection studio fills this package; nothing is loaded from here yet.
"""
