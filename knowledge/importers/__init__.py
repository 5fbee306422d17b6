"""Importers of the national sources, one module per format, each recognised from the file's
content (not only its suffix) by `knowledge.loaders`:

- `phapdien`: a Bộ Pháp điển đề mục's HTML export and the Pháp điển article CSV;
- `procedures`: national administrative-procedure records (Cổng Dịch vụ công quốc gia JSONL);
- `law_text`: a law or decree as Markdown / plain text;
- `native`: the product's own document format (JSON Lines), in which the demo ships;
- `notes`: the source note of a Pháp điển article (shared by the HTML and CSV importers).
"""
