"""Orchestration: the extractor that runs every stage, and the one ingest path."""
