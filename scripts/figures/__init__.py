"""One module per chapter, chNN_<topic>.py, each exposing FIGURES = {"NN_name": function}.

Each function takes no arguments and returns a matplotlib Figure built with nnlib
(seeded, so the PNG is the same every time). scripts/make_figures.py finds the
modules by their names and saves every figure with nnlib.plot.savefig.
"""
