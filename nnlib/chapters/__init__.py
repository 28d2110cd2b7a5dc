"""The book's chapter modules: the pure math of each chapter, one module per chapter key.

A chapter's key, NN_topic, names all of its parts: notebooks/NN_topic.py, this package's
chNN_topic.py (its math: plain numpy functions, tested in tests/test_chNN_topic.py), the
widget module nnlib/widgets/chNN_topic.py and the figure script scripts/figures/chNN_topic.py.
Chapter modules use the library (nnlib.functional, nnlib.tensor, ...) and never a widget.
"""
