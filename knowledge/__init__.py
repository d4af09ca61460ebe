"""Product tips: offline embeddings, the Chroma collection, ingestion and search."""
