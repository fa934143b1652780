"""The fault corpus of issue 13: bad inputs, model files and output paths (built by code, see corpus.py)."""
