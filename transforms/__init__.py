"""NLP annotation: sentences, actor mentions and event candidates."""
