"""The product's edges: the HTTP app (FastAPI) and the `troly` command line."""
